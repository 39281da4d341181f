import { z } from '../zod.js';
import { defineFact } from '../model.js';
import { s3BucketPolicies, s3Encryption, s3PublicAccessBlock } from './aws.js';

/** Network, placement and snapshot facts: EC2 security groups, subnets' routes, flow logs, EBS defaults, RDS networking. */

export const ec2SecurityGroups = defineFact({
  id: 'aws.ec2.security-groups',
  description: 'EC2 security groups of the selected regions with their inbound rules, and the entries of the managed prefix lists those rules admit',
  permissions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      vpcId: z.string().nullable(),
      region: z.string(),
      ingress: z.array(
        z.object({
          /** `-1` for every protocol, else `tcp`, `udp`, `icmp` or a number. */
          protocol: z.string(),
          fromPort: z.number().nullable(),
          toPort: z.number().nullable(),
          ipv4: z.array(z.string()),
          ipv6: z.array(z.string()),
          prefixLists: z.array(z.string()),
          /**
           * The entries of each prefix list in `prefixLists` (AWS-managed ones too), as read when collected: `cidrs` null
           * when they could not be read, `error` saying why. Absent in snapshots from before it was collected.
           */
          prefixListRanges: z
            .array(z.object({ id: z.string(), name: z.string().nullable(), cidrs: z.array(z.string()).nullable(), error: z.string().nullable() }))
            .optional(),
          groups: z.array(z.string()),
        }),
      ),
    }),
  ),
});

export const ec2SubnetRoutes = defineFact({
  id: 'aws.ec2.subnet-routes',
  description: 'Every subnet of the selected regions, the route table that applies to it and its routes to an internet gateway',
  permissions: ['ec2:DescribeSubnets', 'ec2:DescribeRouteTables'],
  schema: () => z.array(
    z.object({
      subnetId: z.string(),
      vpcId: z.string(),
      region: z.string(),
      availabilityZone: z.string().nullable(),
      /** The explicitly associated table, else the VPC's main one; null when neither was found. */
      routeTableId: z.string().nullable(),
      /** The explicit association (`rtbassoc-…`) with that table; null when the subnet falls back on the main table. */
      associationId: z.string().nullable().default(null),
      /** Destinations routed to an internet gateway (`igw-…`), e.g. `0.0.0.0/0 → igw-1`. */
      internetRoutes: z.array(z.string()),
    }),
  ),
});

export const ec2FlowLogs = defineFact({
  id: 'aws.ec2.flow-logs',
  description: 'VPC flow logs of the selected regions',
  permissions: ['ec2:DescribeFlowLogs'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      resourceId: z.string(),
      region: z.string(),
      status: z.string().nullable(),
      trafficType: z.string().nullable(),
      destinationType: z.string().nullable(),
      deliverStatus: z.string().nullable(),
    }),
  ),
});

export const ec2EbsEncryptionByDefault = defineFact({
  id: 'aws.ec2.ebs-encryption-by-default',
  description: 'Whether new EBS volumes are encrypted by default, per selected region, and with which KMS key',
  permissions: ['ec2:GetEbsEncryptionByDefault', 'ec2:GetEbsDefaultKmsKeyId', 'kms:DescribeKey'],
  schema: () => z.array(
    z.object({
      region: z.string(),
      enabled: z.boolean(),
      /**
       * The default KMS key of new encrypted volumes, read where encryption by default is on (null where it is off);
       * absent in snapshots from before it was collected.
       */
      defaultKey: z
        .object({
          /** As GetEbsDefaultKmsKeyId answered: a key ARN, key id, alias or alias ARN (`alias/aws/ebs`: the AWS managed key); null when not read. */
          id: z.string().nullable(),
          /** DescribeKey's key ARN; null when the key was not described. */
          arn: z.string().nullable(),
          /** DescribeKey's KeyManager; `AWS` for `alias/aws/ebs`, which is not described (describing it before first use creates the key). */
          manager: z.string().nullable(),
          /** DescribeKey's KeyState (Enabled, Disabled, PendingDeletion, …), 'NotFound' when the key does not exist; null when not described. */
          state: z.string().nullable(),
          /** Why the key could not be read (GetEbsDefaultKmsKeyId or DescribeKey failed). */
          error: z.string().nullable(),
          /** The key's account when it is not the account assessed (the caller's); null when it is the caller's own (a bare id or alias is). */
          otherAccount: z.string().nullable(),
        })
        .nullable()
        .optional(),
    }),
  ),
});

export const rdsInstanceNetwork = defineFact({
  id: 'aws.rds.instance-network',
  description: 'Where each RDS DB instance lives: VPC, subnets, security groups, port, zone, Multi-AZ and CloudWatch log exports',
  permissions: ['rds:DescribeDBInstances'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      region: z.string(),
      clusterId: z.string().nullable(),
      engine: z.string(),
      instanceClass: z.string(),
      vpcId: z.string().nullable(),
      /** The DB subnet group's name (what a restored copy must be placed in to stay as private). */
      subnetGroup: z.string().nullable().default(null),
      subnets: z.array(z.string()),
      securityGroups: z.array(z.string()),
      port: z.number().nullable(),
      availabilityZone: z.string().nullable(),
      multiAz: z.boolean(),
      logExports: z.array(z.string()),
    }),
  ),
});

export const rdsClusterSettings = defineFact({
  id: 'aws.rds.cluster-settings',
  description: 'Placement and CloudWatch log exports of each DB cluster',
  permissions: ['rds:DescribeDBClusters'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      region: z.string(),
      engine: z.string(),
      multiAz: z.boolean(),
      port: z.number().nullable(),
      subnetGroup: z.string().nullable().default(null),
      securityGroups: z.array(z.string()),
      logExports: z.array(z.string()),
    }),
  ),
});

export const rdsManualSnapshots = defineFact({
  id: 'aws.rds.manual-snapshots',
  description: 'Manual DB and DB cluster snapshots of the account and who may restore them (`all`: public)',
  permissions: ['rds:DescribeDBSnapshots', 'rds:DescribeDBSnapshotAttributes', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBClusterSnapshotAttributes'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      arn: z.string(),
      kind: z.enum(['instance', 'cluster']),
      region: z.string(),
      source: z.string().nullable(),
      encrypted: z.boolean(),
      /** Account ids allowed to restore it; `all` makes it public. null when the restore attribute could not be read. */
      restorableBy: z.array(z.string()).nullable(),
      /** Why `restorableBy` is null (the attribute read that failed); absent in snapshots from before it was collected. */
      restoreError: z.string().nullable().optional(),
    }),
  ),
});

export const kmsKeys = defineFact({
  id: 'aws.kms.keys',
  description: 'KMS keys of the selected regions: who manages them, state, spec, and automatic rotation of customer-managed symmetric keys',
  permissions: ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyRotationStatus'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      arn: z.string(),
      region: z.string(),
      manager: z.enum(['AWS', 'CUSTOMER', 'unknown']),
      state: z.string().nullable(),
      keySpec: z.string().nullable(),
      origin: z.string().nullable(),
      /** null where rotation does not apply (AWS-managed, asymmetric, disabled or imported keys). */
      rotationEnabled: z.boolean().nullable(),
      /** GetKeyRotationStatus's RotationPeriodInDays; null where the answer has none (or rotation does not apply); absent in snapshots from before it was collected. */
      rotationPeriodDays: z.number().nullable().optional(),
    }),
  ),
});

export const s3AccountBuckets = defineFact({
  id: 'aws.s3.account-buckets',
  description: 'The names of every bucket of the account, to show which ones a bucket list in the config leaves out',
  permissions: ['s3:ListAllMyBuckets'],
  schema: () => z.array(z.string()),
});

export const s3UnlistedBucketSettings = defineFact({
  id: 'aws.s3.unlisted-bucket-settings',
  description: 'For each bucket of the account that the bucket list in the config leaves out: default encryption, bucket-level Block Public Access and policy statements (empty without a list)',
  permissions: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration', 's3:GetBucketPublicAccessBlock', 's3:GetBucketPolicy'],
  schema: () => z.array(
    z.object({
      bucket: z.string(),
      region: z.string(),
      rules: s3Encryption.schema.element.shape.rules,
      settings: s3PublicAccessBlock.schema.element.shape.settings,
      statements: s3BucketPolicies.schema.element.shape.statements,
    }),
  ),
});
