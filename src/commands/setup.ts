import { join, resolve } from 'node:path';
import { CONFIG_FILE_NAME, findConfigFile } from '../config/find.js';
import { readFrozenConfig } from '../config/frozen.js';
import type { LoadedConfig } from '../config/load.js';
import { loadCatalog, type Catalog } from '../engine/registry.js';
import { selectChecks } from '../engine/select.js';
import { UsageError } from '../errors.js';
import { validateAgainstCatalog } from '../config/catalog.js';
import type { AnyCheck, Selection } from '../model.js';
import { PACKAGE_ROOT } from '../version.js';
import { loadZod } from '../zod.js';
import type { CheckOptions } from '../cli.js';

export const DEMO_DIR = join(PACKAGE_ROOT, 'examples', 'demo');
export const DEMO_CONFIG = join(DEMO_DIR, 'readiness.config.yaml');
export const DEMO_SNAPSHOT = join(DEMO_DIR, 'snapshot.json');

export interface Setup {
  loaded: LoadedConfig;
  checks: AnyCheck[];
  /** The run's catalog: built-ins and the checks the config adds (with the collectors of their own facts). */
  catalog: Catalog;
  snapshot?: string | undefined;
  /** The command line's narrowing, when `--only`, `--skip` or `--section` was given. */
  selection?: Selection | undefined;
  /** Lines for stderr, printed once every input is validated (a rejection stays one line). */
  warnings: string[];
}

/**
 * The catalog `list` and `explain` show: the built-ins, plus the checks of the config given or found (its
 * plugins); built-ins alone where there is no config.
 */
export async function configuredCatalog(config: string | undefined): Promise<Catalog> {
  // What they show of a check reads its options' schema.
  await loadZod();
  const file = config ? resolve(config) : findConfigFile(process.cwd());
  return loadCatalog(file ? await loadConfig(file) : undefined);
}

/** The config file validated; the YAML parser, zod and the config's schema are loaded only here. */
async function loadConfig(file: string): Promise<LoadedConfig> {
  // zod also for the checks' options, which the run validates and parses (the demo's are the build's: see FrozenConfig).
  const [{ loadConfig: load }] = await Promise.all([import('../config/load.js'), loadZod()]);
  return load(file);
}

/** Config (or the demo's), the selected checks, and where facts come from. */
export async function setup(options: Pick<CheckOptions, 'config' | 'demo' | 'only' | 'skip' | 'section' | 'now'> & { snapshot?: string | undefined }): Promise<Setup> {
  if (options.demo && options.snapshot) throw new UsageError('--demo and --snapshot cannot be used together');
  const configFile = options.demo ? (options.config ?? DEMO_CONFIG) : resolve(options.config ?? findConfigFile(process.cwd()) ?? CONFIG_FILE_NAME);
  // The demo's own config, as the build validated it (see FrozenConfig); any other is loaded and validated here.
  const loaded = (options.demo && !options.config && (await readFrozenConfig(configFile, process.env))) || (await loadConfig(configFile));
  const warnings: string[] = [];
  if (loaded.unsetVariables.length && !options.demo) {
    const names = [...new Set(loaded.unsetVariables)].map((name) => `\${${name}}`).join(', ');
    warnings.push(`readiness: ${names} not set: the keys that use them are left out of the config\n`);
  }
  const catalog = await loadCatalog(loaded);
  validateAgainstCatalog(loaded, catalog.checks, options.now ?? new Date());
  const checks = selectChecks(catalog.checks, { only: options.only, skip: options.skip, sections: options.section });
  const narrowed = Boolean(options.only?.length || options.skip?.length || options.section?.length);
  const chosen = new Set(checks);
  const selection = narrowed
    ? { only: options.only ?? [], skip: options.skip ?? [], sections: options.section ?? [], leftOut: catalog.checks.filter((check) => !chosen.has(check)).map((check) => check.meta.id) }
    : undefined;
  return { loaded, checks, catalog, snapshot: options.demo ? DEMO_SNAPSHOT : options.snapshot, selection, warnings };
}
