import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsSession } from '../../src/collectors/aws/session.js';
import { collectors as builtInCollectors } from '../../src/collectors/index.js';
import { parseConfig, type LoadedConfig } from '../../src/config/load.js';
import { collectFacts } from '../../src/engine/collect.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { loadCatalog } from '../../src/engine/registry.js';
import { planFacts } from '../../src/engine/select.js';
import type { FactOutcome, Result } from '../../src/model.js';

export const NOW = new Date('2026-11-30T12:00:00Z');

export interface DeclaredRun {
  loaded: LoadedConfig;
  outcomes: Map<string, FactOutcome>;
  results: Result[];
  /** [checkId, resource, status, code] of every declared check's result. */
  rows: [string, string, string, string][];
}

/** A folder for a config and the files it names; removed by `cleanup`. */
export async function tempFolder(files: Record<string, string> = {}): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'readiness-declared-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The config written to `dir`, loaded as the CLI loads it (YAML, schema, the registry's source loaders), then
 * the declared checks' facts collected through the real engine and collectors, and the checks evaluated.
 */
export async function runDeclared(yaml: string, dir: string, options: { env?: NodeJS.ProcessEnv; now?: Date; collectorTimeoutMs?: number } = {}): Promise<DeclaredRun> {
  const file = join(dir, 'readiness.config.yaml');
  await writeFile(file, yaml);
  const env = options.env ?? {};
  const loaded = parseConfig(yaml, file, env);
  const catalog = await loadCatalog(loaded);
  const checks = catalog.checks.filter((check) => catalog.sources.has(check.meta.id));
  const now = options.now ?? NOW;
  const aws = new AwsSession({ config: loaded.config.aws, env });
  try {
    const outcomes = await collectFacts(planFacts(checks, loaded.config), {
      collectors: new Map([...builtInCollectors, ...catalog.collectors]),
      context: { config: loaded.config, now, env, baseDir: dir, aws },
      collectorTimeoutMs: options.collectorTimeoutMs ?? 20_000,
    });
    const results = checks.flatMap((check) => evaluateCheck(check, outcomes, { config: loaded.config, now }));
    return { loaded, outcomes, results, rows: results.map((r) => [r.checkId, r.resource, r.status, r.code]) };
  } finally {
    aws.destroy();
  }
}

/** One declared check in YAML, with the metadata every entry needs. */
export function entry(id: string, kind: string, section = 'domain'): string {
  return `  - id: ${id}
    title: ${id} holds
    section: ${section}
    severity: high
    hipaa: ["164.312(b)"]
    remediation: { text: Fix it, effortMinutes: 15 }
    ${kind.trim().split('\n').join('\n    ')}
`;
}
