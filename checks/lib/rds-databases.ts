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

const byId = (entry: { id: string }): string => entry.id;

/** Per naming function (a module constant), per fact: the first entry of each name in each region. */
const regionalIndexes = new WeakMap<(entry: never) => string, WeakMap<readonly object[], Map<string, unknown>>>();

/**
 * The entry of a name in a region (its `id`, or what `nameOf` reads), indexed once per fact: estates have thousands of
 * databases, groups, subnets and placements. The first entry of a name wins, as a scan would find it. `nameOf` must be
 * a module constant, not a function made per call, or each call builds its own index.
 */
export function regionalEntry<T extends { region: string }>(entries: readonly T[], region: string, name: string, nameOf: (entry: T) => string = byId as never): T | undefined {
  let ofNaming = regionalIndexes.get(nameOf);
  if (!ofNaming) regionalIndexes.set(nameOf, (ofNaming = new WeakMap()));
  let index = ofNaming.get(entries);
  if (!index) {
    index = new Map();
    for (const entry of entries) {
      const key = regionalKey(entry.region, nameOf(entry));
      if (!index.has(key)) index.set(key, entry);
    }
    ofNaming.set(entries, index);
  }
  return index.get(regionalKey(region, name)) as T | undefined;
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
