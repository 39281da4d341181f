import { rdsClusterSettings, rdsInstanceNetwork, rdsManualSnapshots } from '../../facts/aws-network.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws } from './require.js';

export const rdsInstanceNetworkCollector = defineCollector(rdsInstanceNetwork, async (context) => {
  requireAws(context);
  const { paginateDescribeDBInstances } = await import('@aws-sdk/client-rds');
  const out: FactValue<typeof rdsInstanceNetwork> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('rds', region);
    try {
      for await (const page of pages(paginateDescribeDBInstances, { client }, {}, context.signal)) {
        for (const i of requireArray(page.DBInstances, 'DBInstances', 'rds:DescribeDBInstances')) {
          out.push({
            id: i.DBInstanceIdentifier ?? '',
            region,
            clusterId: i.DBClusterIdentifier ?? null,
            engine: i.Engine ?? 'unknown',
            instanceClass: i.DBInstanceClass ?? 'unknown',
            vpcId: i.DBSubnetGroup?.VpcId ?? null,
            subnetGroup: i.DBSubnetGroup?.DBSubnetGroupName ?? null,
            subnets: (i.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier ?? '').filter(Boolean),
            securityGroups: (i.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
            port: i.Endpoint?.Port ?? i.DbInstancePort ?? null,
            availabilityZone: i.AvailabilityZone ?? null,
            multiAz: i.MultiAZ === true,
            logExports: i.EnabledCloudwatchLogsExports ?? [],
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'rds:DescribeDBInstances');
    }
  }
  return out;
});

export const rdsClusterSettingsCollector = defineCollector(rdsClusterSettings, async (context) => {
  requireAws(context);
  const { paginateDescribeDBClusters } = await import('@aws-sdk/client-rds');
  const out: FactValue<typeof rdsClusterSettings> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('rds', region);
    try {
      for await (const page of pages(paginateDescribeDBClusters, { client }, {}, context.signal)) {
        for (const c of requireArray(page.DBClusters, 'DBClusters', 'rds:DescribeDBClusters')) {
          out.push({
            id: c.DBClusterIdentifier ?? '',
            region,
            engine: c.Engine ?? 'unknown',
            multiAz: c.MultiAZ === true,
            port: c.Port ?? null,
            subnetGroup: c.DBSubnetGroup ?? null,
            securityGroups: (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
            logExports: c.EnabledCloudwatchLogsExports ?? [],
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'rds:DescribeDBClusters');
    }
  }
  return out;
});

type Snapshot = FactValue<typeof rdsManualSnapshots>[number];
type Attribute = { AttributeName?: string | undefined; AttributeValues?: string[] | undefined };

/** Manual snapshots only: automated ones cannot be shared, and copies shared with us are not ours. */
export const rdsManualSnapshotsCollector = defineCollector(rdsManualSnapshots, async (context) => {
  requireAws(context);
  const { paginateDescribeDBSnapshots, paginateDescribeDBClusterSnapshots, DescribeDBSnapshotAttributesCommand, DescribeDBClusterSnapshotAttributesCommand } = await import('@aws-sdk/client-rds');
  const out: Snapshot[] = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('rds', region);
    let permission = 'rds:DescribeDBSnapshots';
    try {
      for await (const page of pages(paginateDescribeDBSnapshots, { client }, { SnapshotType: 'manual' }, context.signal)) {
        for (const s of requireArray(page.DBSnapshots, 'DBSnapshots', permission)) {
          const restore = await restorers(context.signal, 'rds:DescribeDBSnapshotAttributes', async () => {
            const answer = await client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: s.DBSnapshotIdentifier }), { abortSignal: context.signal });
            return requireArray(answer.DBSnapshotAttributesResult?.DBSnapshotAttributes, 'DBSnapshotAttributes', 'rds:DescribeDBSnapshotAttributes');
          });
          out.push({
            id: s.DBSnapshotIdentifier ?? '',
            arn: s.DBSnapshotArn ?? '',
            kind: 'instance',
            region,
            source: s.DBInstanceIdentifier ?? null,
            encrypted: s.Encrypted === true,
            ...restore,
          });
        }
      }
      permission = 'rds:DescribeDBClusterSnapshots';
      for await (const page of pages(paginateDescribeDBClusterSnapshots, { client }, { SnapshotType: 'manual' }, context.signal)) {
        for (const s of requireArray(page.DBClusterSnapshots, 'DBClusterSnapshots', permission)) {
          const restore = await restorers(context.signal, 'rds:DescribeDBClusterSnapshotAttributes', async () => {
            const answer = await client.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: s.DBClusterSnapshotIdentifier }), { abortSignal: context.signal });
            return requireArray(answer.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes, 'DBClusterSnapshotAttributes', 'rds:DescribeDBClusterSnapshotAttributes');
          });
          out.push({
            id: s.DBClusterSnapshotIdentifier ?? '',
            arn: s.DBClusterSnapshotArn ?? '',
            kind: 'cluster',
            region,
            source: s.DBClusterIdentifier ?? null,
            encrypted: s.StorageEncrypted === true,
            ...restore,
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, permission);
    }
  }
  return out;
});

/** Who may restore one snapshot; null, with the reason, when its attributes could not be read. */
async function restorers(signal: AbortSignal, permission: string, read: () => Promise<Attribute[]>): Promise<Pick<Snapshot, 'restorableBy' | 'restoreError'>> {
  try {
    const restore = (await read()).find((a) => a.AttributeName === 'restore');
    if (restore && !Array.isArray(restore.AttributeValues)) throw new FactError('MalformedResponse', 'rds snapshot attributes: the restore attribute has no values list');
    return { restorableBy: restore?.AttributeValues ?? [], restoreError: null };
  } catch (error) {
    // A run that was stopped stops here; one unreadable snapshot (a resource-scoped deny) leaves the others' verdicts.
    signal.throwIfAborted();
    return { restorableBy: null, restoreError: awsFactError(error, permission).message };
  }
}
