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

/** The key of one id in one region: unambiguous whatever the names hold. */
export const regionalKey = (region: string, id: string): string => JSON.stringify([region, id]);

interface Regional {
  id: string;
  region: string;
}

const regionalIndexes = new WeakMap<readonly Regional[], Map<string, Regional>>();

/** The entry of an id in a region, indexed once per fact (estates have thousands of databases, groups, placements). */
export function regionalEntry<T extends Regional>(entries: readonly T[], region: string, id: string): T | undefined {
  let index = regionalIndexes.get(entries);
  if (!index) {
    // The first entry of an id and region wins, as a scan would find it.
    index = new Map();
    for (const entry of entries) {
      const key = regionalKey(entry.region, entry.id);
      if (!index.has(key)) index.set(key, entry);
    }
    regionalIndexes.set(entries, index);
  }
  return index.get(regionalKey(region, id)) as T | undefined;
}

/** The placement of each instance of a database; ids that were not found are returned apart. */
export function placementsOf(database: Database, network: readonly Placement[]): { found: Placement[]; unread: string[] } {
  const found: Placement[] = [];
  const unread: string[] = [];
  for (const id of database.instanceIds) {
    const placement = regionalEntry(network, database.region, id);
    if (placement) found.push(placement);
    else unread.push(id);
  }
  return { found, unread };
}
