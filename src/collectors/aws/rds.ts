import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import { rdsClusters, rdsInstances } from '../../facts/aws.js';
import { rdsAccountDatabases } from '../../facts/aws-rds-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector, type CollectContext } from '../types.js';
import type { AwsSession } from './session.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
import { pages } from './pages.js';

type Cluster = FactValue<typeof rdsClusters>[number];
type Instance = FactValue<typeof rdsInstances>[number];

/**
 * One read of the regions per session (one per account and run), shared by the listed facts and
 * aws.rds.account-databases: with a list, both need every database, and reading twice doubles the calls.
 */
const readsBySession = new WeakMap<AwsSession, { clusters?: Promise<Cluster[]>; instances?: Promise<Instance[]> }>();

function everyCluster(context: CollectContext): Promise<Cluster[]> {
  const reads = readsOf(context.aws);
  return (reads.clusters ??= readClusters(context));
}

function everyInstance(context: CollectContext): Promise<Instance[]> {
  const reads = readsOf(context.aws);
  return (reads.instances ??= readInstances(context));
}

function readsOf(session: AwsSession) {
  let reads = readsBySession.get(session);
  if (!reads) readsBySession.set(session, (reads = {}));
  return reads;
}

/** Every DB cluster of the selected regions. */
async function readClusters(context: CollectContext): Promise<Cluster[]> {
  requireAws(context);
  const { paginateDescribeDBClusters } = await import('@aws-sdk/client-rds');
  const found: Cluster[] = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('rds', region);
    try {
      for await (const page of pages(paginateDescribeDBClusters, { client }, {}, context.signal)) {
        for (const cluster of requireList(page, 'DBClusters', 'rds:DescribeDBClusters')) found.push(toCluster(cluster, region));
      }
    } catch (error) {
      throw awsFactError(error, 'rds:DescribeDBClusters');
    }
  }
  return found;
}

/** Every DB instance of the selected regions, cluster members included. */
async function readInstances(context: CollectContext): Promise<Instance[]> {
  requireAws(context);
  const { paginateDescribeDBInstances } = await import('@aws-sdk/client-rds');
  const instances: Instance[] = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('rds', region);
    try {
      for await (const page of pages(paginateDescribeDBInstances, { client }, {}, context.signal)) {
        for (const instance of requireList(page, 'DBInstances', 'rds:DescribeDBInstances')) instances.push(toInstance(instance, region));
      }
    } catch (error) {
      throw awsFactError(error, 'rds:DescribeDBInstances');
    }
  }
  return instances;
}

export const rdsClustersCollector = defineCollector(rdsClusters, async (context) => {
  const found = await everyCluster(context);
  const wanted = context.config.aws?.rds.clusters;
  if (!wanted) return found;
  // An identifier is unique per region only: a listed id names every region's cluster of that name.
  const byId = Map.groupBy(found, (c) => c.id);
  return [...new Set(wanted)].flatMap((id) => byId.get(id) ?? [missingCluster(id, context.aws.defaultRegion)]);
});

export const rdsInstancesCollector = defineCollector(rdsInstances, async (context) => {
  const instances = await everyInstance(context);
  const { clusters, instances: wanted } = context.config.aws?.rds ?? {};
  if (!clusters && !wanted) return instances;
  // With a selection, only the selected clusters' members and the listed instances are assessed.
  const selectedClusters = new Set(clusters);
  const listed = new Set(wanted);
  const selected = instances.filter((i) => (i.clusterId !== null && selectedClusters.has(i.clusterId)) || listed.has(i.id));
  // A listed instance that does not exist is a finding, not something to leave out.
  const seen = new Set(instances.map((i) => i.id));
  const absent = (wanted ?? []).filter((id) => !seen.has(id)).map((id) => missingInstance(id, context.aws.defaultRegion));
  return [...selected, ...absent];
});

/** Every cluster and instance, listed or not, so that aws.rds.unlisted-databases can judge what a list leaves out. */
export const rdsAccountDatabasesCollector = defineCollector(rdsAccountDatabases, async (context) => {
  const [clusters, instances] = await Promise.all([everyCluster(context), everyInstance(context)]);
  return {
    clusters: clusters.map(({ id, arn, region, engine, storageEncrypted }) => ({ id, arn, region, engine, storageEncrypted })),
    instances: instances.map(({ id, arn, region, engine, clusterId, publiclyAccessible, storageEncrypted }) => ({ id, arn, region, engine, clusterId, publiclyAccessible, storageEncrypted })),
  };
});

function toCluster(cluster: DBCluster, region: string): Cluster {
  const scaling = cluster.ServerlessV2ScalingConfiguration;
  return {
    id: cluster.DBClusterIdentifier ?? '',
    arn: cluster.DBClusterArn ?? '',
    region,
    engine: cluster.Engine ?? 'unknown',
    engineVersion: cluster.EngineVersion ?? null,
    status: cluster.Status ?? null,
    endpoint: cluster.Endpoint ?? null,
    deletionProtection: cluster.DeletionProtection === true,
    storageEncrypted: cluster.StorageEncrypted === true,
    kmsKeyId: cluster.KmsKeyId ?? null,
    backupRetentionDays: cluster.BackupRetentionPeriod ?? 0,
    pendingBackupRetentionDays: cluster.PendingModifiedValues?.BackupRetentionPeriod ?? null,
    members: (cluster.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier ?? '').filter(Boolean),
    parameterGroup: cluster.DBClusterParameterGroup ?? null,
    serverless: scaling?.MinCapacity !== undefined && scaling.MaxCapacity !== undefined ? { minCapacity: scaling.MinCapacity, maxCapacity: scaling.MaxCapacity } : null,
    missing: false,
    memberParameterStatuses: (cluster.DBClusterMembers ?? []).flatMap((m) => (m.DBInstanceIdentifier ? [{ instance: m.DBInstanceIdentifier, status: m.DBClusterParameterGroupStatus ?? null }] : [])),
  };
}

function missingCluster(id: string, region: string): Cluster {
  return {
    id, arn: '', region, engine: 'unknown', engineVersion: null, status: null, endpoint: null,
    deletionProtection: false, storageEncrypted: false, kmsKeyId: null, backupRetentionDays: 0,
    members: [], parameterGroup: null, serverless: null, missing: true,
  };
}

function missingInstance(id: string, region: string): Instance {
  return {
    id, arn: '', region, engine: 'unknown', clusterId: null, engineVersion: null, parameterGroup: null, publiclyAccessible: false, deletionProtection: false,
    storageEncrypted: false, kmsKeyId: null, backupRetentionDays: 0, backupReplications: [], missing: true,
  };
}

function toInstance(instance: DBInstance, region: string): Instance {
  return {
    id: instance.DBInstanceIdentifier ?? '',
    arn: instance.DBInstanceArn ?? '',
    region,
    engine: instance.Engine ?? 'unknown',
    clusterId: instance.DBClusterIdentifier ?? null,
    engineVersion: instance.EngineVersion ?? null,
    parameterGroup: instance.DBParameterGroups?.[0]?.DBParameterGroupName ?? null,
    publiclyAccessible: instance.PubliclyAccessible === true,
    deletionProtection: instance.DeletionProtection === true,
    storageEncrypted: instance.StorageEncrypted === true,
    kmsKeyId: instance.KmsKeyId ?? null,
    backupRetentionDays: instance.BackupRetentionPeriod ?? 0,
    pendingBackupRetentionDays: instance.PendingModifiedValues?.BackupRetentionPeriod ?? null,
    backupReplications: (instance.DBInstanceAutomatedBackupsReplications ?? []).map((r) => r.DBInstanceAutomatedBackupsArn ?? '').filter(Boolean),
    missing: false,
    parameterApplyStatus: instance.DBParameterGroups?.[0]?.ParameterApplyStatus ?? null,
  };
}
