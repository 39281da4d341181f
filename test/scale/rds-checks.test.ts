import { describe, expect, it } from 'vitest';
import disasterRecovery from '../../checks/aws/aws.rds.disaster-recovery.js';
import forceSsl from '../../checks/aws/aws.rds.force-ssl.js';
import logExports from '../../checks/aws/aws.rds.log-exports.js';
import multiAz from '../../checks/aws/aws.rds.multi-az.js';
import databaseIsolation from '../../checks/aws/aws.vpc.database-isolation.js';
import flowLogs from '../../checks/aws/aws.vpc.flow-logs.js';
import type { AnyCheck } from '../../src/model.js';
import { growth } from '../support/scans.js';
import { rdsEstate } from './rds-estate.js';

type Estate = ReturnType<typeof rdsEstate>;

// Each check of the RDS estate, what it must look up rather than scan per database, and its facts by the names it uses.
const cases: [AnyCheck, string, (estate: Estate) => Record<string, unknown>][] = [
  [disasterRecovery, 'the global database of each cluster', ({ clusters, instances, globals }) => ({ clusters, instances, globals })],
  [forceSsl, 'the cluster and instance parameter groups', (e) => ({ clusters: e.clusters, groups: e.clusterParameterGroups, instances: e.instances, instanceGroups: e.instanceParameterGroups })],
  [logExports, 'cluster settings and instance placements', ({ clusters, instances, clusterSettings, network }) => ({ clusters, instances, clusterSettings, network })],
  [databaseIsolation, 'placements, cluster settings, subnets and security groups', ({ clusters, instances, network, clusterSettings, subnets, groups }) => ({ clusters, instances, network, clusterSettings, subnets, groups })],
  [multiAz, 'the placement of each instance', ({ clusters, instances, network }) => ({ clusters, instances, network })],
  [flowLogs, 'the flow logs of each VPC holding a database', ({ clusters, instances, network, flowLogs: logs }) => ({ clusters, instances, network, flowLogs: logs })],
];

describe('the RDS and network checks at scale', () => {
  it.each(cases.map(([check, what, factsOf]) => ({ id: check.meta.id, check, what, factsOf })))('$id: $what looked up, not scanned per database', ({ check, factsOf }) => {
    const { scans, results } = growth(check, (size) => ({ facts: factsOf(rdsEstate(size)) }));
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
