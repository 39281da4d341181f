import { rdsClusterParameterGroups, rdsClusters, rdsGlobalClusters } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws } from './require.js';
import { pages } from './pages.js';

/** The parameters that make a cluster refuse unencrypted connections (PostgreSQL, MySQL). */
export const TLS_PARAMETERS = ['rds.force_ssl', 'require_secure_transport'] as const;

export const rdsClusterParameterGroupsCollector = defineCollector(rdsClusterParameterGroups, async (context) => {
  requireAws(context);
  const { paginateDescribeDBClusterParameters } = await import('@aws-sdk/client-rds');
  const clusters = await context.fact(rdsClusters);
  const groups: FactValue<typeof rdsClusterParameterGroups> = [];
  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (cluster.missing || !cluster.parameterGroup) continue;
    const key = `${cluster.region}/${cluster.parameterGroup}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const client = await context.aws.client('rds', cluster.region);
    const parameters: Record<string, string | null> = {};
    let found = true;
    try {
      for await (const page of pages(paginateDescribeDBClusterParameters, { client, pageSize: 100 }, { DBClusterParameterGroupName: cluster.parameterGroup }, context.signal)) {
        for (const parameter of page.Parameters ?? []) {
          const name = parameter.ParameterName ?? '';
          if ((TLS_PARAMETERS as readonly string[]).includes(name)) parameters[name] = parameter.ParameterValue ?? null;
        }
      }
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'DBParameterGroupNotFoundFault' && name !== 'DBClusterParameterGroupNotFoundFault') throw awsFactError(error, 'rds:DescribeDBClusterParameters');
      found = false;
    }
    groups.push({ name: cluster.parameterGroup, region: cluster.region, found, parameters });
  }
  return groups;
});

export const rdsGlobalClustersCollector = defineCollector(rdsGlobalClusters, async (context) => {
  requireAws(context);
  const { paginateDescribeGlobalClusters } = await import('@aws-sdk/client-rds');
  // Global clusters are account-wide: any regional endpoint lists all of them.
  const client = await context.aws.client('rds', context.aws.defaultRegion);
  const globals: FactValue<typeof rdsGlobalClusters> = [];
  try {
    for await (const page of pages(paginateDescribeGlobalClusters, { client, pageSize: 100 }, {}, context.signal)) {
      for (const global of page.GlobalClusters ?? []) {
        globals.push({
          id: global.GlobalClusterIdentifier ?? '',
          arn: global.GlobalClusterArn ?? '',
          members: (global.GlobalClusterMembers ?? []).map((m) => ({ clusterArn: m.DBClusterArn ?? '', isWriter: m.IsWriter === true })),
        });
      }
    }
  } catch (error) {
    throw awsFactError(error, 'rds:DescribeGlobalClusters');
  }
  return globals;
});
