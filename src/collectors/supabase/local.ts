import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { localFunctions, localMigrations } from '../../facts/supabase-local.js';
import { defineCollector, FactError, type CollectContext } from '../types.js';

const MIGRATION_FILE = /^(\d+)_.+\.sql$/;

function configuredDir(context: CollectContext, key: 'functionsDir' | 'migrationsDir'): string {
  const supabase = context.config.supabase;
  if (!supabase) throw new FactError('NotConfigured', 'no `supabase` section in the config');
  const dir = supabase[key];
  if (!dir) throw new FactError('NotConfigured', `supabase.${key} is not set`, `set supabase.${key} in the config`);
  return dir;
}

async function listDir(context: CollectContext, dir: string, key: string) {
  try {
    return await readdir(resolve(context.baseDir, dir), { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FactError('NotFound', `supabase.${key} ${dir} does not exist (relative to the config file)`, `fix supabase.${key}`);
    throw new FactError('Error', `cannot read supabase.${key} ${dir}: ${code ?? (error as Error).message}`);
  }
}

/** Newest modification time of any file under the folders. */
async function newestChange(paths: string[]): Promise<number> {
  let newest = 0;
  for (const path of paths) {
    newest = Math.max(newest, (await stat(path)).mtimeMs);
    for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

/** The shared folders (`_shared`, any `_name`) a function's files import, like `../_shared/cors.ts`. */
async function importedShared(folder: string, sharedFolders: readonly string[]): Promise<string[]> {
  const imported = new Set<string>();
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(m?[jt]sx?|json)$/.test(entry.name)) continue;
    const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
    for (const name of sharedFolders) if (text.includes(`/${name}/`)) imported.add(name);
  }
  return [...imported].sort();
}

const git = promisify(execFile);

/**
 * When a function (with the shared folders it imports) last changed. In a git work tree:
 * its last commit, unless it has uncommitted changes (then the files' mtime); a fresh
 * clone's mtimes are checkout times and would make every function look changed after its
 * deployment.
 */
async function lastChange(folder: string, paths: string[], signal: AbortSignal): Promise<{ at: number; source: 'git' | 'mtime' }> {
  try {
    const status = await git('git', ['status', '--porcelain', '--', ...paths], { cwd: folder, signal });
    if (status.stdout.trim() === '') {
      const log = await git('git', ['log', '-1', '--format=%cI', '--', ...paths], { cwd: folder, signal });
      if (log.stdout.trim()) return { at: Date.parse(log.stdout.trim()), source: 'git' };
    }
  } catch {
    // Not a git work tree (or no git): the files' times are all there is.
  }
  return { at: await newestChange(paths.map((path) => resolve(folder, path))), source: 'mtime' };
}

async function isShallow(dir: string, signal: AbortSignal): Promise<boolean> {
  try {
    return (await git('git', ['rev-parse', '--is-shallow-repository'], { cwd: dir, signal })).stdout.trim() === 'true';
  } catch {
    return false;
  }
}

export const localFunctionsCollector = defineCollector(localFunctions, async (context) => {
  const dir = configuredDir(context, 'functionsDir');
  const entries = await listDir(context, dir, 'functionsDir');
  // Like the supabase CLI: folders starting with _ (e.g. _shared) or . are not functions.
  const folders = entries.filter((entry) => entry.isDirectory() && !/^[_.]/.test(entry.name)).map((entry) => entry.name).sort();
  const sharedFolders = entries.filter((entry) => entry.isDirectory() && entry.name.startsWith('_')).map((entry) => entry.name);
  const functions = await Promise.all(
    folders.map(async (name) => {
      const folder = resolve(context.baseDir, dir, name);
      const shared = await importedShared(folder, sharedFolders);
      const change = await lastChange(folder, ['.', ...shared.map((s) => `../${s}`)], context.signal);
      return { name, lastModified: new Date(change.at).toISOString(), changeSource: change.source, shared };
    }),
  );
  return { dir, functions, shallow: await isShallow(resolve(context.baseDir, dir), context.signal) };
});

export const localMigrationsCollector = defineCollector(localMigrations, async (context) => {
  const dir = configuredDir(context, 'migrationsDir');
  const files = (await listDir(context, dir, 'migrationsDir')).filter((entry) => entry.isFile() && entry.name.endsWith('.sql')).map((entry) => entry.name);
  const versions = files.flatMap((file) => MIGRATION_FILE.exec(file)?.[1] ?? []).sort();
  const ignored = files.filter((file) => !MIGRATION_FILE.test(file)).sort();
  return { dir, versions, ignored };
});
