import { join, resolve } from 'node:path';
import { allChecks } from '../../checks/index.js';
import { closest } from 'fastest-levenshtein';
import { CONFIG_FILE_NAME, findConfigFile } from '../config/find.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { selectChecks } from '../engine/select.js';
import { ConfigError, UsageError } from '../errors.js';
import type { AnyCheck } from '../model.js';
import { PACKAGE_ROOT } from '../version.js';
import type { CheckOptions } from '../cli.js';

export const DEMO_DIR = join(PACKAGE_ROOT, 'examples', 'demo');
export const DEMO_CONFIG = join(DEMO_DIR, 'readiness.config.yaml');
export const DEMO_SNAPSHOT = join(DEMO_DIR, 'snapshot.json');

export interface Setup {
  loaded: LoadedConfig;
  checks: AnyCheck[];
  snapshot?: string | undefined;
}

/** Config (or the demo's), the selected checks, and where facts come from. */
export async function setup(options: Pick<CheckOptions, 'config' | 'demo' | 'only' | 'skip' | 'section'> & { snapshot?: string | undefined }): Promise<Setup> {
  if (options.demo && options.snapshot) throw new UsageError('--demo and --snapshot cannot be used together');
  const configFile = options.demo ? (options.config ?? DEMO_CONFIG) : resolve(options.config ?? findConfigFile(process.cwd()) ?? CONFIG_FILE_NAME);
  const loaded = await loadConfig(configFile);
  if (loaded.unsetVariables.length && !options.demo) {
    const names = [...new Set(loaded.unsetVariables)].map((name) => `\${${name}}`).join(', ');
    process.stderr.write(`readiness: ${names} not set: the keys that use them are left out of the config\n`);
  }
  checkWaivers(loaded);
  const checks = selectChecks(allChecks, { only: options.only, skip: options.skip, sections: options.section });
  return { loaded, checks, snapshot: options.demo ? DEMO_SNAPSHOT : options.snapshot };
}

/** A waiver that names no check would silently never apply: refuse it, with the closest id. */
function checkWaivers(loaded: LoadedConfig): void {
  const ids = allChecks.map((check) => check.meta.id);
  loaded.config.waivers.forEach((waiver, index) => {
    if (ids.includes(waiver.check)) return;
    const suggestion = closest(waiver.check, ids);
    throw new ConfigError(`waivers.${index}.check: no check "${waiver.check}" — did you mean "${suggestion}"? (see readiness list)`, loaded.locate(['waivers', index, 'check']));
  });
}
