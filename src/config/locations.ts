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

function entryNaming(resource: string, config: Config): ConfigKeyPath | undefined {
  const index = (list: readonly string[] | undefined, ...path: (string | number)[]): ConfigKeyPath | undefined => {
    const i = list?.indexOf(resource) ?? -1;
    return i >= 0 ? [...path, i] : undefined;
  };
  const key = (record: Record<string, string>, ...path: string[]): ConfigKeyPath | undefined => {
    const name = Object.keys(record).find((k) => k === resource || record[k] === resource);
    return name === undefined ? undefined : [...path, name];
  };
  const { aws, supabase, domain } = config;
  const alarm = aws?.cloudwatch.requiredAlarms.findIndex((a) => resource === `${a.namespace} ${a.metric}` || resource.startsWith(`${a.namespace} ${a.metric} `)) ?? -1;
  const bucket = aws?.s3.buckets?.findIndex((b) => b.name === resource) ?? -1;
  const probe = config.probes.findIndex((p) => p.id === resource || p.url === resource);
  const table = supabase?.phiTables.findIndex((t) => t === resource || `public.${t}` === resource) ?? -1;
  const vendor = config.vendors.indexOf(resource);
  return (
    (bucket >= 0 ? ['aws', 's3', 'buckets', bucket] : undefined) ??
    index(aws?.rds.clusters, 'aws', 'rds', 'clusters') ??
    index(aws?.rds.instances, 'aws', 'rds', 'instances') ??
    (alarm >= 0 ? ['aws', 'cloudwatch', 'requiredAlarms', alarm] : undefined) ??
    index(aws?.secrets.allowNonRotating, 'aws', 'secrets', 'allowNonRotating') ??
    (probe >= 0 ? ['probes', probe] : undefined) ??
    key(config.documents, 'documents') ??
    (Object.hasOwn(config.attestations, resource) ? ['attestations', resource] : undefined) ??
    (vendor >= 0 ? ['vendors', vendor] : undefined) ??
    (resource.endsWith('-baa') && config.vendors.includes(resource.slice(0, -4)) ? ['vendors', config.vendors.indexOf(resource.slice(0, -4))] : undefined) ??
    (domain ? (key(domain.hosts, 'domain', 'hosts') ?? (domain.name === resource ? ['domain', 'name'] : undefined)) : undefined) ??
    index(supabase?.requiredSecrets, 'supabase', 'requiredSecrets') ??
    (table >= 0 ? ['supabase', 'phiTables', table] : undefined) ??
    index(supabase?.publicFunctions, 'supabase', 'publicFunctions') ??
    index(supabase?.requiredExtensions, 'supabase', 'requiredExtensions') ??
    (supabase?.projectRef === resource ? ['supabase', 'projectRef'] : undefined) ??
    (config.evidence.e2e === resource ? ['evidence', 'e2e'] : undefined) ??
    (config.evidence.loadTest?.summary === resource ? ['evidence', 'loadTest'] : undefined)
  );
}

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
  return {
    uri,
    line(result) {
      const path = configKeyPath(result, config);
      if (!path) return 1;
      const key = JSON.stringify(path);
      let line = lines.get(key);
      if (line === undefined) lines.set(key, (line = lineOf(path) ?? 1));
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
