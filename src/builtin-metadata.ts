import { readFile } from 'node:fs/promises';
import type { CheckDoc } from './check-text.js';

/**
 * What `list` and `explain` print of the built-in checks, written by `npm run build` beside this module
 * (dist/src/builtin-checks.json, from the compiled checks: scripts/write-builtin-metadata.mjs). Reading it instead of
 * the catalog keeps zod and the checks' modules out of those commands. Running from source there is no such file,
 * and the commands read the checks themselves; test/commands/builtin-metadata.test.ts holds both ways equal.
 */
export interface BuiltinMetadata {
  checks: BuiltinCheckMetadata[];
}

export interface BuiltinCheckMetadata {
  /** `meta` as `list --json` prints it (JSON.stringify of the check's own). */
  meta: { id: string; title: string; severity: string; section: string } & Record<string, unknown>;
  /** What `explain` prints. */
  doc: CheckDoc;
}

export const BUILTIN_METADATA_FILE = 'builtin-checks.json';

/** The build's metadata of the built-in checks, or undefined when there is none (a run from source). */
export async function readBuiltinMetadata(file: URL = new URL(`./${BUILTIN_METADATA_FILE}`, import.meta.url)): Promise<BuiltinMetadata | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BuiltinMetadata;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
