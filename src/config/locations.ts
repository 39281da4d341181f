import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Result } from '../model.js';
import { matchesId } from '../engine/select.js';
import type { Config } from './schema.js';

/** A path into the config (`['aws', 's3', 'buckets', 1]`), as the loader locates it. */
export type ConfigKeyPath = (string | number)[];

/**
 * Pure: the config key a result relates to, where there is one — the waiver that waived it, the `checks.<id>` that
 * turned it off, the service declared unused, or the entry naming its resource (a bucket, a cluster, a required alarm,
 * a probe, a document, an attestation, a vendor, a host, a secret, a table); else the section's key, else none.
 */
export function configKeyPath(result: Result, config: Config): ConfigKeyPath | undefined {
  const { resource } = result;
  if (result.waiver) {
    const i = config.waivers.findIndex((w) => w.check === result.waiver!.check && w.resource === result.waiver!.resource && w.expires === result.waiver!.expires && w.reason === result.waiver!.reason);
    if (i >= 0) return ['waivers', i];
  }
  if (result.code === 'turned-off') return ['checks', result.checkId];
  if (result.code === 'declared-unused') {
    const i = config.unused.findIndex((u) => u.service === result.evidence.service);
    if (i >= 0) return ['unused', i];
  }
  const found = entryNaming(resource, config);
  if (found) return found;
  if (config.checks[result.checkId]) return ['checks', result.checkId];
  const configured = Object.keys(config.checks).find((id) => matchesId(result.checkId, id));
  if (configured) return ['checks', configured];
  return SECTION_KEYS[result.section];
}

const SECTION_KEYS: Partial<Record<Result['section'], ConfigKeyPath>> = { aws: ['aws'], supabase: ['supabase'], domain: ['domain'], monitoring: ['aws', 'cloudwatch'] };

/** The entries that name resources, indexed once per config: an `init`-written config lists every bucket, and a report has a result per bucket and check. */
interface NamingIndex {
  /** Buckets, clusters and instances: named before a required alarm is. */
  first: Map<string, ConfigKeyPath>;
  /** Required alarms by `<namespace> <metric>`: a resource names one exactly, or followed by its dimensions. */
  alarms: Map<string, ConfigKeyPath>;
  rest: Map<string, ConfigKeyPath>;
}

const namingIndexes = new WeakMap<Config, NamingIndex>();

function namingIndex(config: Config): NamingIndex {
  const cached = namingIndexes.get(config);
  if (cached) return cached;
  const index: NamingIndex = { first: new Map(), alarms: new Map(), rest: new Map() };
  // In the order the entries are looked for: the first entry naming a resource is its key.
  const add = (map: Map<string, ConfigKeyPath>, name: string | undefined, path: ConfigKeyPath) => {
    if (name !== undefined && !map.has(name)) map.set(name, path);
  };
  const record = (map: Map<string, ConfigKeyPath>, entries: Record<string, string>, ...path: string[]) => {
    for (const [name, value] of Object.entries(entries)) {
      add(map, name, [...path, name]);
      add(map, value, [...path, name]);
    }
  };
  const { aws, supabase, domain } = config;
  aws?.s3.buckets?.forEach((b, i) => add(index.first, b.name, ['aws', 's3', 'buckets', i]));
  aws?.rds.clusters?.forEach((c, i) => add(index.first, c, ['aws', 'rds', 'clusters', i]));
  aws?.rds.instances?.forEach((c, i) => add(index.first, c, ['aws', 'rds', 'instances', i]));
  aws?.cloudwatch.requiredAlarms.forEach((a, i) => add(index.alarms, `${a.namespace} ${a.metric}`, ['aws', 'cloudwatch', 'requiredAlarms', i]));
  const { rest } = index;
  aws?.secrets.allowNonRotating.forEach((s, i) => add(rest, s, ['aws', 'secrets', 'allowNonRotating', i]));
  config.probes.forEach((p, i) => {
    add(rest, p.id, ['probes', i]);
    add(rest, p.url, ['probes', i]);
  });
  record(rest, config.documents, 'documents');
  for (const name of Object.keys(config.attestations)) add(rest, name, ['attestations', name]);
  config.vendors.forEach((v, i) => add(rest, v, ['vendors', i]));
  config.vendors.forEach((v, i) => add(rest, `${v}-baa`, ['vendors', i]));
  if (domain) {
    record(rest, domain.hosts, 'domain', 'hosts');
    add(rest, domain.name, ['domain', 'name']);
  }
  supabase?.requiredSecrets.forEach((s, i) => add(rest, s, ['supabase', 'requiredSecrets', i]));
  supabase?.phiTables.forEach((t, i) => {
    add(rest, t, ['supabase', 'phiTables', i]);
    add(rest, `public.${t}`, ['supabase', 'phiTables', i]);
  });
  supabase?.publicFunctions.forEach((f, i) => add(rest, f, ['supabase', 'publicFunctions', i]));
  supabase?.requiredExtensions.forEach((e, i) => add(rest, e, ['supabase', 'requiredExtensions', i]));
  add(rest, supabase?.projectRef, ['supabase', 'projectRef']);
  add(rest, config.evidence.e2e, ['evidence', 'e2e']);
  add(rest, config.evidence.loadTest?.summary, ['evidence', 'loadTest']);
  namingIndexes.set(config, index);
  return index;
}

function entryNaming(resource: string, config: Config): ConfigKeyPath | undefined {
  const { first, alarms, rest } = namingIndex(config);
  return first.get(resource) ?? alarmNaming(resource, alarms) ?? rest.get(resource);
}

/** The first required alarm whose `<namespace> <metric>` is the resource, or the resource's words up to one of its spaces (then its dimensions). */
function alarmNaming(resource: string, alarms: Map<string, ConfigKeyPath>): ConfigKeyPath | undefined {
  // Looked up for every result of a report: without required alarms, nothing to look for.
  if (alarms.size === 0) return undefined;
  let first = alarms.get(resource);
  for (let space = resource.indexOf(' '); space >= 0; space = resource.indexOf(' ', space + 1)) {
    const path = alarms.get(resource.slice(0, space));
    if (path && (!first || alarmIndex(path) < alarmIndex(first))) first = path;
  }
  return first;
}

const alarmIndex = (path: ConfigKeyPath) => path.at(-1) as number;

/** Where a finding is shown in code scanning and annotations: the config's path in the repository, and a line. */
export interface ResultLocation {
  uri: string;
  line(result: Result): number;
}

/** Without a loaded config: the default config name, line 1. */
export const DEFAULT_LOCATION: ResultLocation = { uri: 'readiness.config.yaml', line: () => 1 };

/** The config's lines for results, from the loader's source positions: the related key's line, else 1. */
export function resultLocation(uri: string, config: Config, lineOf: (path: ConfigKeyPath) => number | undefined): ResultLocation {
  // Many results share a key (every resource of an account-wide check): each key is looked up once.
  const lines = new Map<string, number>();
  // The paths of the naming index are one array per entry, shared by every result naming it: found by identity
  // first, without writing out the path per result (10,000s in SARIF).
  const linesByPath = new Map<ConfigKeyPath, number>();
  return {
    uri,
    line(result) {
      const path = configKeyPath(result, config);
      if (!path) return 1;
      let line = linesByPath.get(path);
      if (line !== undefined) return line;
      const key = JSON.stringify(path);
      line = lines.get(key);
      if (line === undefined) lines.set(key, (line = lineOf(path) ?? 1));
      linesByPath.set(path, line);
      return line;
    },
  };
}

/**
 * The config's path from the root of its repository (the nearest folder up holding `.git`), with `/`:
 * `-c ops/readiness.config.yaml` is `ops/readiness.config.yaml`. Outside a repository: from `cwd` when the file
 * is under it, else its name alone. Never a path of the machine it ran on.
 */
export function repositoryPath(file: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, file);
  for (let dir = dirname(absolute); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, '.git'))) return toPosix(relative(dir, absolute));
    if (dirname(dir) === dir) break;
  }
  const fromCwd = relative(cwd, absolute);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? toPosix(fromCwd) : basename(absolute);
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
