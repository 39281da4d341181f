import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MAX_CONFIG_BYTES, readInputFile } from '../read-input.js';
import { yaml } from '../yaml.js';

export const CONFIG_FILE_NAME = 'readiness.config.yaml';

/**
 * The config ESLint-style: `readiness.config.yaml` in `cwd` or the nearest parent folder, never
 * above the repository root (the first folder holding `.git`), so a stray file in a home folder
 * is never picked up for a repository that has none. Undefined when there is none.
 */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The config keys through which checks join the built-ins (src/engine/registry.ts). */
const ADDING_KEYS = ['plugins', 'customChecks'];

/**
 * Whether a config may add checks to the built-ins, for `list` and `explain` (which need the config for nothing
 * else): read without validating it, and without parsing it when no line that is not a comment names those keys
 * and nothing is escaped (a double-quoted key may spell them with escapes: "plugin\x73").
 * A file that cannot be read or parsed answers yes: loading it then says what is wrong, as before.
 */
export async function mayAddChecks(file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readInputFile(file, MAX_CONFIG_BYTES);
  } catch {
    return true;
  }
  const written = text.split('\n').filter((line) => !/^\s*#/.test(line));
  if (!text.includes('\\') && !written.some((line) => ADDING_KEYS.some((key) => line.includes(key)))) return false;
  const { isMap, isScalar, parseDocument } = yaml();
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length || !isMap(document.contents)) return true;
  return document.contents.items.some(({ key }) => !isScalar(key) || ADDING_KEYS.includes(String(key.value)));
}
