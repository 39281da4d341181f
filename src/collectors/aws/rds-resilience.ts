import { rdsClusterParameterGroups, rdsClusters, rdsGlobalClusters, rdsInstanceParameterGroups, rdsInstances } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
import { pages } from './pages.js';

/** The parameters that make a cluster refuse unencrypted connections (PostgreSQL, MySQL). */
export const TLS_PARAMETERS = ['rds.force_ssl', 'require_secure_transport'] as const;

type ParameterGroup = FactValue<typeof rdsClusterParameterGroups>[number];
type ParameterPage = { Parameters?: { ParameterName?: string; ParameterValue?: string }[] };
const GROUP_NOT_FOUND = ['DBParameterGroupNotFoundFault', 'DBClusterParameterGroupNotFoundFault'];

/** Keeps only the TLS parameters of a group's pages; a group that does not exist is `found: false`, other errors throw. */
async function readTlsGroup(name: string, region: string, parameterPages: AsyncIterable<ParameterPage>, permission: string): Promise<ParameterGroup> {
  const parameters: Record<string, string | null> = {};
  try {
    for await (const page of parameterPages) {
      for (const parameter of requireList(page, 'Parameters', permission)) {
        const parameterName = parameter.ParameterName ?? '';
        if ((TLS_PARAMETERS as readonly string[]).includes(parameterName)) parameters[parameterName] = parameter.ParameterValue ?? null;
      }
    }
  } catch (error) {
    if (!GROUP_NOT_FOUND.includes((error as Error).name)) throw awsFactError(error, permission);
    return { name, region, found: false, parameters };
  }
  return { name, region, found: true, parameters };
}

/** Each (region, group) once, in first-seen order. */
function uniqueGroups(owners: { region: string; group: string | null; skip: boolean }[]): { region: string; group: string }[] {
  const seen = new Map<string, { region: string; group: string }>();
  for (const { region, group, skip } of owners) if (!skip && group && !seen.has(`${region}/${group}`)) seen.set(`${region}/${group}`, { region, group });
  return [...seen.values()];
}

export const rdsClusterParameterGroupsCollector = defineCollector(rdsClusterParameterGroups, async (context) => {
  requireAws(context);
  const { paginateDescribeDBClusterParameters } = await import('@aws-sdk/client-rds');
  const clusters = await context.fact(rdsClusters);
  const groups: FactValue<typeof rdsClusterParameterGroups> = [];
  for (const { region, group } of uniqueGroups(clusters.map((c) => ({ region: c.region, group: c.parameterGroup, skip: c.missing })))) {
    const client = await context.aws.client('rds', region);
    const parameterPages = pages(paginateDescribeDBClusterParameters, { client, pageSize: 100 }, { DBClusterParameterGroupName: group }, context.signal);
    groups.push(await readTlsGroup(group, region, parameterPages, 'rds:DescribeDBClusterParameters'));
  }
  return groups;
});

/**
 * The DB parameter groups of standalone instances (a cluster member's TLS setting is its cluster's).
 * The `parameter-name` filter spares listing every parameter of the group; older API docs call it unsupported
 * and moto ignores it, so readTlsGroup still picks the TLS parameters out itself.
 */
export const rdsInstanceParameterGroupsCollector = defineCollector(rdsInstanceParameterGroups, async (context) => {
  requireAws(context);
  const { paginateDescribeDBParameters } = await import('@aws-sdk/client-rds');
  const instances = await context.fact(rdsInstances);
  const groups: FactValue<typeof rdsInstanceParameterGroups> = [];
  for (const { region, group } of uniqueGroups(instances.map((i) => ({ region: i.region, group: i.parameterGroup, skip: i.missing || i.clusterId !== null })))) {
    const client = await context.aws.client('rds', region);
    const parameterPages = pages(paginateDescribeDBParameters, { client, pageSize: 100 }, { DBParameterGroupName: group, Filters: [{ Name: 'parameter-name', Values: [...TLS_PARAMETERS] }] }, context.signal);
    groups.push(await readTlsGroup(group, region, parameterPages, 'rds:DescribeDBParameters'));
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
      for (const global of requireList(page, 'GlobalClusters', 'rds:DescribeGlobalClusters')) {
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
