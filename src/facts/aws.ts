import { z } from '../zod.js';
import { defineFact } from '../model.js';

export const awsIdentity = defineFact({
  id: 'aws.identity',
  description: 'The AWS account and principal the tool runs as',
  permissions: ['sts:GetCallerIdentity'],
  schema: () => z.object({ account: z.string(), arn: z.string(), regions: z.array(z.string()) }),
});

const serverless = () => z.object({ minCapacity: z.number(), maxCapacity: z.number() }).nullable();

export const rdsClusters = defineFact({
  id: 'aws.rds.clusters',
  description: 'RDS/Aurora DB clusters in the selected regions',
  permissions: ['rds:DescribeDBClusters'],
  schema: () => z.array(
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
      /** PendingModifiedValues.BackupRetentionPeriod (null: none pending). Absent in snapshots from before it was read. */
      pendingBackupRetentionDays: z.number().nullable().optional(),
      members: z.array(z.string()),
      parameterGroup: z.string().nullable(),
      serverless: serverless(),
      /** A configured cluster id that was not found in any region. */
      missing: z.boolean().default(false),
      /**
       * Each member's DBClusterParameterGroupStatus: the cluster group is in effect on a member only when `in-sync`
       * (`pending-reboot` after it is attached or a static parameter is edited). Absent in snapshots from before it was read.
       */
      memberParameterStatuses: z.array(z.object({ instance: z.string(), status: z.string().nullable() })).optional(),
    }),
  ),
});

export const rdsInstances = defineFact({
  id: 'aws.rds.instances',
  description: 'RDS DB instances in the selected regions (cluster members and standalone)',
  permissions: ['rds:DescribeDBInstances'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      arn: z.string(),
      region: z.string(),
      engine: z.string(),
      clusterId: z.string().nullable(),
      engineVersion: z.string().nullable().default(null),
      /** The DB parameter group of the instance (a cluster member's TLS setting lives in its cluster's group). */
      parameterGroup: z.string().nullable().default(null),
      publiclyAccessible: z.boolean(),
      deletionProtection: z.boolean(),
      storageEncrypted: z.boolean(),
      kmsKeyId: z.string().nullable(),
      backupRetentionDays: z.number(),
      /** PendingModifiedValues.BackupRetentionPeriod (null: none pending). Absent in snapshots from before it was read. */
      pendingBackupRetentionDays: z.number().nullable().optional(),
      /** ARNs of cross-region replications of this instance's automated backups. */
      backupReplications: z.array(z.string()).default([]),
      /** A configured instance id that was not found in any region. */
      missing: z.boolean().default(false),
      /**
       * ParameterApplyStatus of the DB parameter group: in effect only when `in-sync` (`pending-reboot` or `applying`
       * after it is attached or edited). Absent in snapshots from before it was read.
       */
      parameterApplyStatus: z.string().nullable().optional(),
    }),
  ),
});

export const s3Buckets = defineFact({
  id: 'aws.s3.buckets',
  description: 'The S3 buckets to assess (configured, else every bucket of the account)',
  permissions: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'],
  schema: () => z.array(z.object({ name: z.string(), region: z.string().nullable(), exists: z.boolean() })),
});

export const s3Encryption = defineFact({
  id: 'aws.s3.encryption',
  description: 'Default encryption rules of each bucket',
  permissions: ['s3:GetEncryptionConfiguration'],
  schema: () => z.array(
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
  schema: () => z.array(z.object({ bucket: z.string(), status: z.enum(['Enabled', 'Suspended', 'Never']), mfaDelete: z.boolean() })),
});

export const cloudwatchAlarms = defineFact({
  id: 'aws.cloudwatch.alarms',
  description: 'CloudWatch metric alarms in the selected regions',
  permissions: ['cloudwatch:DescribeAlarms'],
  schema: () => z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      region: z.string(),
      namespace: z.string().nullable(),
      metric: z.string().nullable(),
      threshold: z.number().nullable(),
      comparison: z.string().nullable(),
      /** Statistic (Average, Sum, SampleCount, …) or ExtendedStatistic (p99); null for neither; absent in snapshots taken before it was collected. */
      statistic: z.string().nullable().optional(),
      /** Period in seconds, EvaluationPeriods and DatapointsToAlarm (M of N); absent in snapshots taken before they were collected. */
      period: z.number().nullable().optional(),
      evaluationPeriods: z.number().nullable().optional(),
      datapointsToAlarm: z.number().nullable().optional(),
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
  schema: () => z.array(
    z.object({
      bucket: z.string(),
      rules: z.array(
        z.object({
          id: z.string().nullable(),
          enabled: z.boolean(),
          prefix: z.string().nullable(),
          transitions: z.array(z.object({ days: z.number().nullable(), storageClass: z.string() })),
          expirationDays: z.number().nullable(),
          /** What the rule applies to; every part null or empty: the whole bucket. Absent: collected before it was recorded. */
          filter: z
            .object({
              prefix: z.string().nullable(),
              tags: z.array(z.object({ key: z.string(), value: z.string() })),
              objectSizeGreaterThan: z.number().nullable(),
              objectSizeLessThan: z.number().nullable(),
            })
            .optional(),
          /** `Expiration.Date` (ISO 8601): from that day on, every current object the rule applies to is deleted, whatever its age. */
          expirationDate: z.string().nullable().optional(),
          expiredObjectDeleteMarker: z.boolean().optional(),
          /** `NoncurrentVersionExpiration.NoncurrentDays`: versions are deleted this many days after they are replaced. */
          noncurrentExpirationDays: z.number().nullable().optional(),
        }),
      ),
    }),
  ),
});

export const s3Cors = defineFact({
  id: 'aws.s3.cors',
  description: 'CORS rules of each bucket',
  permissions: ['s3:GetBucketCORS'],
  schema: () => z.array(
    z.object({
      bucket: z.string(),
      rules: z.array(z.object({ allowedOrigins: z.array(z.string()), allowedMethods: z.array(z.string()), allowedHeaders: z.array(z.string()) })),
    }),
  ),
});

const tlsParameterGroups = () => z.array(
  z.object({
    name: z.string(),
    region: z.string(),
    /** False when the group could not be found (moto does not know AWS's `default.*` groups). */
    found: z.boolean(),
    /** `rds.force_ssl` (PostgreSQL) and `require_secure_transport` (MySQL): value, or null when left to the engine default. */
    parameters: z.record(z.string(), z.string().nullable()),
  }),
);

export const rdsClusterParameterGroups = defineFact({
  id: 'aws.rds.cluster-parameter-groups',
  description: 'The TLS-related settings of the cluster parameter group of each DB cluster',
  permissions: ['rds:DescribeDBClusterParameters'],
  schema: tlsParameterGroups,
});

export const rdsInstanceParameterGroups = defineFact({
  id: 'aws.rds.instance-parameter-groups',
  description: 'The TLS-related settings of the DB parameter group of each standalone DB instance (not in a cluster)',
  permissions: ['rds:DescribeDBParameters'],
  schema: tlsParameterGroups,
});

export const rdsGlobalClusters = defineFact({
  id: 'aws.rds.global-clusters',
  description: 'Aurora global databases and their member clusters',
  permissions: ['rds:DescribeGlobalClusters'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      arn: z.string(),
      members: z.array(z.object({ clusterArn: z.string(), isWriter: z.boolean() })),
    }),
  ),
});

const publicAccessBlockSettings = () => z.object({
  blockPublicAcls: z.boolean(),
  ignorePublicAcls: z.boolean(),
  blockPublicPolicy: z.boolean(),
  restrictPublicBuckets: z.boolean(),
});

export const s3PublicAccessBlock = defineFact({
  id: 'aws.s3.public-access-block',
  description: 'Bucket-level S3 Block Public Access settings of each bucket (null: none set)',
  permissions: ['s3:GetBucketPublicAccessBlock'],
  schema: () => z.array(z.object({ bucket: z.string(), settings: publicAccessBlockSettings().nullable() })),
});

export const s3AccountPublicAccessBlock = defineFact({
  id: 'aws.s3.account-public-access-block',
  description: 'Account-level S3 Block Public Access settings (S3 Control; null: none set)',
  permissions: ['s3:GetAccountPublicAccessBlock'],
  schema: () => z.object({ account: z.string(), settings: publicAccessBlockSettings().nullable() }),
});

export const s3BucketPolicies = defineFact({
  id: 'aws.s3.bucket-policies',
  description: 'The statements of each bucket policy (null: the bucket has no policy)',
  permissions: ['s3:GetBucketPolicy'],
  schema: () => z.array(
    z.object({
      bucket: z.string(),
      statements: z
        .array(
          z.object({
            sid: z.string().nullable(),
            effect: z.string(),
            /** `*` for everyone, else the principals' ARNs or service names. */
            principals: z.array(z.string()),
            actions: z.array(z.string()),
            notActions: z.array(z.string()),
            resources: z.array(z.string()),
            /** operator → condition key → values, e.g. { Bool: { 'aws:SecureTransport': ['false'] } }. */
            conditions: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
          }),
        )
        .nullable(),
    }),
  ),
});

export const s3AccessLogging = defineFact({
  id: 'aws.s3.access-logging',
  description: 'Server access logging target of each bucket (null: logging off)',
  permissions: ['s3:GetBucketLogging'],
  schema: () => z.array(z.object({ bucket: z.string(), targetBucket: z.string().nullable(), targetPrefix: z.string().nullable() })),
});

export const cloudfrontDistributions = defineFact({
  id: 'aws.cloudfront.distributions',
  description: 'CloudFront distributions with their cache behaviours, aliases, certificate, logging and WAF',
  permissions: ['cloudfront:ListDistributions', 'cloudfront:GetDistributionConfig', 'wafv2:GetWebACL', 'wafv2:DescribeManagedRuleGroup', 'wafv2:GetRuleGroup'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      arn: z.string(),
      domainName: z.string(),
      enabled: z.boolean(),
      aliases: z.array(z.string()),
      /**
       * Every cache behaviour; the default one has the path pattern `*` and comes first. `targetOriginId` and
       * `originIds` (the target, an origin group resolved to its members) are absent in snapshots from before.
       */
      behaviors: z
        .array(z.object({ pathPattern: z.string(), viewerProtocolPolicy: z.string(), targetOriginId: z.string().optional(), originIds: z.array(z.string()).optional() }))
        .min(1),
      /**
       * Every origin (absent in snapshots from before). kind `s3`: S3OriginConfig or an origin access control, always
       * fetched over HTTPS; `custom`: CustomOriginConfig, whose protocol policy and SSL protocols are kept; `vpc`: a VPC
       * origin (its protocol lives in the VPC origin, not read); `unknown`: none of these in the answer.
       */
      origins: z
        .array(
          z.object({
            id: z.string(),
            domainName: z.string(),
            kind: z.enum(['s3', 'custom', 'vpc', 'unknown']),
            protocolPolicy: z.string().nullable(),
            sslProtocols: z.array(z.string()).nullable(),
          }),
        )
        .optional(),
      certificate: z.object({
        source: z.enum(['cloudfront', 'acm', 'iam']),
        acmCertificateArn: z.string().nullable(),
        minimumProtocolVersion: z.string().nullable(),
        sslSupportMethod: z.string().nullable(),
      }),
      logging: z.object({ enabled: z.boolean(), bucket: z.string().nullable(), prefix: z.string().nullable() }),
      webAclId: z.string().nullable(),
      /**
       * What the web ACL named by `webAclId` does, from wafv2 GetWebACL (absent: no ACL, or a snapshot from before).
       * A rule's action is its Action, or for a rule group `group` (OverrideAction None: the group's own actions
       * apply; where the rule has RuleActionOverrides or ExcludedRules, or names a customer group, at least one of the
       * group's rules, read with DescribeManagedRuleGroup or GetRuleGroup, still blocks, challenges or asks a CAPTCHA),
       * `count` (OverrideAction Count, or no rule of the group left that does) or `group-unknown` (the group's rules
       * could not be read).
       * `read: false`: the ACL could not be read, with the reason.
       */
      webAcl: z
        .discriminatedUnion('read', [
          z.object({
            read: z.literal(true),
            name: z.string(),
            defaultAction: z.enum(['allow', 'block']),
            rules: z.array(z.object({ name: z.string(), action: z.enum(['block', 'challenge', 'captcha', 'allow', 'count', 'group', 'group-unknown']) })),
          }),
          z.object({ read: z.literal(false), reason: z.string() }),
        ])
        .optional(),
    }),
  ),
});

export const acmCertificates = defineFact({
  id: 'aws.acm.certificates',
  description: 'ACM certificates of every key type, in us-east-1 (where CloudFront reads them) and the selected regions',
  permissions: ['acm:ListCertificates', 'acm:DescribeCertificate'],
  schema: () => z.array(
    z.object({
      arn: z.string(),
      region: z.string(),
      domainName: z.string(),
      subjectAlternativeNames: z.array(z.string()),
      status: z.string(),
      type: z.string().nullable(),
      keyAlgorithm: z.string().nullable(),
      notAfter: z.iso.datetime().nullable(),
      inUseBy: z.array(z.string()),
      renewalEligibility: z.string().nullable(),
      // Optional: snapshots taken before these were collected still parse, and the check reads absent as not collected.
      /** RenewalSummary.RenewalStatus (PENDING_AUTO_RENEWAL, PENDING_VALIDATION, SUCCESS, FAILED); null: no renewal yet. */
      renewalStatus: z.string().nullable().optional(),
      renewalStatusReason: z.string().nullable().optional(),
      /** The distinct DomainValidationOptions[].ValidationMethod (DNS, EMAIL, HTTP); empty for an imported certificate. */
      validationMethods: z.array(z.string()).optional(),
    }),
  ),
});
