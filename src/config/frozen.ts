import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ConfigKeyPath } from './locations.js';
import type { LoadedConfig } from './load.js';
import type { Config } from './schema.js';

/**
 * The bundled demo's config, parsed and validated by `npm run build` (scripts/write-demo-config.mjs) and written
 * beside this module's build (dist/src/config/demo-config.json): `check --demo` reads it instead of loading the YAML
 * parser, zod and the schemas of the config and of the checks' options. Only the demo's own file is read this way,
 * and only while it is the file the build read (same sha256) and its `${NAME}` variables are unset as they were then;
 * anything else (a config the user names, a run from source where there is no such file) is loaded and validated as
 * usual.
 * test/config/frozen.test.ts holds both ways equal.
 */
export interface FrozenConfig {
  /** sha256 of the YAML as written. */
  hash: string;
  config: Config;
  /** The `${NAME}` references, all unset (the build reads with an empty environment). */
  unsetVariables: string[];
  written: unknown;
  /** Each built-in check's options: its defaults, overridden by the config's `checks.<id>`. */
  checkOptions: Record<string, Record<string, unknown>>;
  /** Where each node starts (`[line, col]`), by its JSON path (`[]`: the document). */
  values: Record<string, [number, number]>;
  /** Where each map key starts, by the JSON path of its entry. */
  keys: Record<string, [number, number]>;
  /** The line of each list item, by its JSON path. */
  items: Record<string, number>;
}

export const DEMO_CONFIG_FILE = 'demo-config.json';

/** The demo's config as the build validated it, or undefined when the usual loading must decide (see FrozenConfig). */
export async function readFrozenConfig(file: string, env: NodeJS.ProcessEnv, frozenFile: URL = new URL(`./${DEMO_CONFIG_FILE}`, import.meta.url)): Promise<LoadedConfig | undefined> {
  let frozen: FrozenConfig;
  let text: Buffer;
  try {
    frozen = JSON.parse(await readFile(frozenFile, 'utf8')) as FrozenConfig;
    text = await readFile(file);
  } catch {
    return undefined;
  }
  // A variable set now would be interpolated: a different config.
  if (frozen.unsetVariables.some((name) => env[name] !== undefined && env[name] !== '')) return undefined;
  if (createHash('sha256').update(text).digest('hex') !== frozen.hash) return undefined;
  return thawConfig(frozen, file);
}

/** A frozen config as `loadConfig` returns it: the same positions for the same paths. */
export function thawConfig(frozen: FrozenConfig, file: string): LoadedConfig {
  const position = (path: readonly (string | number)[], table: Record<string, [number, number]>) => {
    const found = table[JSON.stringify(path)];
    return found ? { file, line: found[0], col: found[1] } : undefined;
  };
  // Where the loader points when a path is not written: the nearest node above it.
  const nearest = (path: readonly (string | number)[]) => {
    for (let length = path.length - 1; length >= 0; length--) {
      const found = position(path.slice(0, length), frozen.values);
      if (found) return found;
    }
    return { file };
  };
  return {
    config: frozen.config,
    file,
    hash: frozen.hash,
    unsetVariables: frozen.unsetVariables,
    written: frozen.written,
    checkOptions: frozen.checkOptions,
    locate: (path) => position(path, frozen.values) ?? nearest(path),
    locateKey: (path) => position(path, frozen.keys) ?? nearest(path),
    lineOf: (path: Readonly<ConfigKeyPath>) => (typeof path.at(-1) === 'number' ? frozen.items[JSON.stringify(path)] : frozen.keys[JSON.stringify(path)]?.[0]),
  };
}
