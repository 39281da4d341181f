import type { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import type { rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import type { FactValue } from '../../src/model.js';

type Cluster = FactValue<typeof rdsClusters>[number];
type Instance = FactValue<typeof rdsInstances>[number];
type Placement = FactValue<typeof rdsInstanceNetwork>[number];

/** One assessed database: a cluster with its members, or a standalone instance. */
export interface Database {
  resource: string;
  kind: 'cluster' | 'instance';
  region: string;
  engine: string;
  missing: boolean;
  /** Ids of the instances that serve it (the instance itself when standalone). */
  instanceIds: string[];
}

/** The databases the RDS checks assess, as the existing RDS facts selected them. */
export function assessedDatabases(clusters: readonly Cluster[], instances: readonly Instance[]): Database[] {
  return [
    ...clusters.map((c): Database => ({ resource: c.id, kind: 'cluster', region: c.region, engine: c.engine, missing: c.missing, instanceIds: c.members })),
    ...instances
      .filter((i) => i.clusterId === null)
      .map((i): Database => ({ resource: i.id, kind: 'instance', region: i.region, engine: i.engine, missing: i.missing, instanceIds: [i.id] })),
  ];
}

/** The placement of each instance of a database; ids that were not found are returned apart. */
export function placementsOf(database: Database, network: readonly Placement[]): { found: Placement[]; unread: string[] } {
  const found: Placement[] = [];
  const unread: string[] = [];
  for (const id of database.instanceIds) {
    const placement = network.find((p) => p.id === id && p.region === database.region);
    if (placement) found.push(placement);
    else unread.push(id);
  }
  return { found, unread };
}
