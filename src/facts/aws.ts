import { z } from 'zod';
import { defineFact } from '../model.js';

export const awsIdentity = defineFact({
  id: 'aws.identity',
  description: 'The AWS account and principal the tool runs as',
  permissions: ['sts:GetCallerIdentity'],
  schema: z.object({ account: z.string(), arn: z.string(), regions: z.array(z.string()) }),
});

const serverless = z.object({ minCapacity: z.number(), maxCapacity: z.number() }).nullable();

export const rdsClusters = defineFact({
  id: 'aws.rds.clusters',
  description: 'RDS/Aurora DB clusters in the selected regions',
  permissions: ['rds:DescribeDBClusters'],
  schema: z.array(
    z.object({
      id: z.string(),
      arn: z.string(),
      region: z.string(),
      engine: z.string(),
      engineVersion: z.string().nullable(),
      status: z.string().nullable(),
      endpoint: z.string().nullable(),
      deletionProtection: z.boolean(),
      storageEncrypted: z.boolean(),
      kmsKeyId: z.string().nullable(),
      backupRetentionDays: z.number(),
      members: z.array(z.string()),
      parameterGroup: z.string().nullable(),
      serverless,
      /** A configured cluster id that was not found in any region. */
      missing: z.boolean().default(false),
    }),
  ),
});

export const rdsInstances = defineFact({
  id: 'aws.rds.instances',
  description: 'RDS DB instances in the selected regions (cluster members and standalone)',
  permissions: ['rds:DescribeDBInstances'],
  schema: z.array(
    z.object({
      id: z.string(),
      arn: z.string(),
      region: z.string(),
      engine: z.string(),
      clusterId: z.string().nullable(),
      publiclyAccessible: z.boolean(),
      deletionProtection: z.boolean(),
      storageEncrypted: z.boolean(),
      kmsKeyId: z.string().nullable(),
      backupRetentionDays: z.number(),
    }),
  ),
});

export const s3Buckets = defineFact({
  id: 'aws.s3.buckets',
  description: 'The S3 buckets to assess (configured, else every bucket of the account)',
  permissions: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'],
  schema: z.array(z.object({ name: z.string(), region: z.string().nullable(), exists: z.boolean() })),
});

export const s3Encryption = defineFact({
  id: 'aws.s3.encryption',
  description: 'Default encryption rules of each bucket',
  permissions: ['s3:GetEncryptionConfiguration'],
  schema: z.array(
    z.object({
      bucket: z.string(),
      rules: z.array(z.object({ algorithm: z.string(), kmsKeyId: z.string().nullable(), bucketKeyEnabled: z.boolean() })),
    }),
  ),
});

export const s3Versioning = defineFact({
  id: 'aws.s3.versioning',
  description: 'Versioning state of each bucket',
  permissions: ['s3:GetBucketVersioning'],
  schema: z.array(z.object({ bucket: z.string(), status: z.enum(['Enabled', 'Suspended', 'Never']), mfaDelete: z.boolean() })),
});

export const cloudwatchAlarms = defineFact({
  id: 'aws.cloudwatch.alarms',
  description: 'CloudWatch metric alarms in the selected regions',
  permissions: ['cloudwatch:DescribeAlarms'],
  schema: z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      region: z.string(),
      namespace: z.string().nullable(),
      metric: z.string().nullable(),
      threshold: z.number().nullable(),
      comparison: z.string().nullable(),
      dimensions: z.record(z.string(), z.string()),
      actionsEnabled: z.boolean(),
      alarmActions: z.array(z.string()),
      state: z.string().nullable(),
    }),
  ),
});

export const s3Lifecycle = defineFact({
  id: 'aws.s3.lifecycle',
  description: 'Lifecycle rules of each bucket (transitions and expirations)',
  permissions: ['s3:GetLifecycleConfiguration'],
  schema: z.array(
    z.object({
      bucket: z.string(),
      rules: z.array(
        z.object({
          id: z.string().nullable(),
          enabled: z.boolean(),
          prefix: z.string().nullable(),
          transitions: z.array(z.object({ days: z.number().nullable(), storageClass: z.string() })),
          expirationDays: z.number().nullable(),
        }),
      ),
    }),
  ),
});

export const s3Cors = defineFact({
  id: 'aws.s3.cors',
  description: 'CORS rules of each bucket',
  permissions: ['s3:GetBucketCORS'],
  schema: z.array(
    z.object({
      bucket: z.string(),
      rules: z.array(z.object({ allowedOrigins: z.array(z.string()), allowedMethods: z.array(z.string()), allowedHeaders: z.array(z.string()) })),
    }),
  ),
});
