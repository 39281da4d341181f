import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
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

const CODE_FILE = /\.m?[jt]sx?$/;
/** The Edge Runtime's default entrypoints; without one, every code file of the folder but tests is read. */
const ENTRYPOINTS = ['index.ts', 'index.js', 'index.tsx', 'index.jsx', 'index.mts', 'index.mjs'];
const TEST_FILE = /[._-](test|spec)\.m?[jt]sx?$/;

/**
 * Code asking who calls, matched on its tokens joined by spaces: comments are gone and a string is `"word"` or `""`, so
 * neither a commented-out check nor one quoted in a message counts. verify_jwt lets the anon key through; these do not.
 */
const CALLER_CHECKS: [string, RegExp][] = [
  ['auth.getUser()', /(?:^| )auth \??\. getUser \(/],
  ['auth.getClaims()', /(?:^| )auth \??\. getClaims \(/],
  ['jwtVerify()', /(?:^| )jwtVerify \(/],
  ['createRemoteJWKSet()', /(?:^| )createRemoteJWKSet \(/],
  ['role claim', /(?:^| )\w*(?:claims|payload|decoded|jwt|token)\w* (?:\??\. role|\[ "role" \])(?= |$)/i],
  ['sub claim', /(?:^| )\w*(?:claims|payload|decoded|jwt|token)\w* (?:\??\. sub|\[ "sub" \])(?= |$)/i],
];

/** A script's tokens joined by spaces (see CALLER_CHECKS) and its relative specifiers. A file the tokenizer cannot read to its end keeps the tokens before: a check may be missed (unverified), never invented. */
async function codeTokens(js: string): Promise<{ text: string; specifiers: string[] }> {
  const { tokenizer, tokTypes } = await import('acorn');
  const words: string[] = [];
  const specifiers: string[] = [];
  try {
    for (const token of tokenizer(js, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true })) {
      if (token.type !== tokTypes.string && token.type !== tokTypes.template) {
        words.push(js.slice(token.start, token.end));
        continue;
      }
      const value = String((token as { value?: unknown }).value);
      if (token.type === tokTypes.string && value.startsWith('.')) specifiers.push(value);
      words.push(/^\w+$/.test(value) ? `"${value}"` : '""');
    }
  } catch {
    // Not JavaScript from here on.
  }
  return { text: words.join(' '), specifiers };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/**
 * Where a function's code asks who calls: its entrypoint and the files of functionsDir it imports, transitively (a shared
 * helper counts only when imported: `_shared/auth.ts` does not protect a function that imports `_shared/cors.ts`).
 */
async function callerCheck(root: string, folder: string): Promise<{ marker: string; file: string } | null> {
  const entry = (await Promise.all(ENTRYPOINTS.map(async (name) => ((await isFile(join(folder, name))) ? name : null)))).find((name) => name !== null);
  const queue = entry
    ? [join(folder, entry)]
    : (await readdir(folder, { withFileTypes: true, recursive: true }))
        .filter((e) => e.isFile() && CODE_FILE.test(e.name) && !TEST_FILE.test(e.name))
        .map((e) => join(e.parentPath, e.name))
        .sort();
  const seen = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    const { text, specifiers } = await codeTokens(await readFile(file, 'utf8'));
    const found = CALLER_CHECKS.find(([, pattern]) => pattern.test(text));
    if (found) return { marker: found[0], file: relative(root, file).split(sep).join('/') };
    for (const specifier of specifiers) {
      const target = resolve(dirname(file), specifier);
      if (seen.has(target) || !CODE_FILE.test(target) || relative(root, target).startsWith('..') || !(await isFile(target))) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return null;
}

const git = promisify(execFile);

/**
 * When a function (with the shared folders it imports) last changed. In a git work tree:
 * its last commit, unless it has uncommitted changes (then the files' mtime); a fresh
 * clone's mtimes are checkout times and would make every function look changed after its
 * deployment. Along the first parents only: a branch merged after a deployment brings
 * commits dated before it, so the merge's date is when the change reached this branch.
 */
async function lastChange(folder: string, paths: string[], signal: AbortSignal): Promise<{ at: number; source: 'git' | 'mtime' }> {
  try {
    const status = await git('git', ['status', '--porcelain', '--', ...paths], { cwd: folder, signal });
    if (status.stdout.trim() === '') {
      const log = await git('git', ['log', '-1', '--first-parent', '--format=%cI', '--', ...paths], { cwd: folder, signal });
      if (log.stdout.trim()) return { at: Date.parse(log.stdout.trim()), source: 'git' };
    }
  } catch {
    // Not a git work tree (or no git): the files' times are all there is.
  }
  return { at: await newestChange(paths.map((path) => resolve(folder, path))), source: 'mtime' };
}

async function gitOutput(dir: string, args: string[], signal: AbortSignal): Promise<string | null> {
  try {
    return (await git('git', args, { cwd: dir, signal })).stdout.trim() || null;
  } catch {
    return null;
  }
}

/** The remote's default branch, the one production is assumed to deploy from: origin/HEAD, else what the CI says (GitLab, GitHub's event). */
async function productionBranch(dir: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string | null> {
  const originHead = await gitOutput(dir, ['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], signal);
  if (originHead) return originHead.replace(/^origin\//, '');
  if (env.CI_DEFAULT_BRANCH) return env.CI_DEFAULT_BRANCH;
  if (env.GITHUB_EVENT_PATH) {
    try {
      const branch = (JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as { repository?: { default_branch?: unknown } }).repository?.default_branch;
      if (typeof branch === 'string' && branch) return branch;
    } catch {
      // No readable event: the default branch stays unknown.
    }
  }
  return null;
}

/**
 * The checked-out and production branches; null outside a git work tree. A detached HEAD is on the branch the CI names
 * (GitLab checks out detached; GitHub names the branch of a push, and `123/merge` for a pull request, not production).
 */
async function branches(dir: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<{ branch: string | null; productionBranch: string | null } | null> {
  if ((await gitOutput(dir, ['rev-parse', '--is-inside-work-tree'], signal)) !== 'true') return null;
  const branch = (await gitOutput(dir, ['symbolic-ref', '-q', '--short', 'HEAD'], signal)) ?? env.CI_COMMIT_BRANCH ?? (env.GITHUB_REF_TYPE === 'branch' ? env.GITHUB_REF_NAME : undefined) ?? null;
  return { branch: branch || null, productionBranch: await productionBranch(dir, env, signal) };
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
      return { name, lastModified: new Date(change.at).toISOString(), changeSource: change.source, shared, callerCheck: await callerCheck(resolve(context.baseDir, dir), folder) };
    }),
  );
  const root = resolve(context.baseDir, dir);
  return { dir, functions, shallow: await isShallow(root, context.signal), git: await branches(root, context.env, context.signal) };
});

/** Whitespace as Go's unicode.IsSpace, with which the supabase CLI trims statements (JS `\s` adds U+FEFF and lacks U+0085), and semicolons. */
const SEPARATOR_RUN = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000;]+/g;

/**
 * sha256 of a migration's SQL, the same for the file and for the statements the CLI recorded
 * when it applied it (supabase_migrations.schema_migrations.statements), however a CLI version
 * split it: the CLI cuts the file at semicolons and trims each piece of its semicolons and
 * whitespace (pkg/parser SplitAndTrim), so the file is its statements in order with only
 * whitespace and semicolons around them. Runs of those at the edges go and each run holding a
 * semicolon becomes one `;`; runs of whitespace alone are kept as they are (a line break ends a
 * comment). Left unseen: an edit of the whitespace next to a semicolon or of their number.
 */
export function migrationHash(sql: string | string[]): string {
  const text = typeof sql === 'string' ? sql : sql.join(';');
  const canonical = text.replace(SEPARATOR_RUN, (run: string, offset: number) => (offset === 0 || offset + run.length === text.length ? '' : run.includes(';') ? ';' : run));
  return createHash('sha256').update(canonical).digest('hex');
}

export const localMigrationsCollector = defineCollector(localMigrations, async (context) => {
  const dir = configuredDir(context, 'migrationsDir');
  const files = (await listDir(context, dir, 'migrationsDir')).filter((entry) => entry.isFile() && entry.name.endsWith('.sql')).map((entry) => entry.name);
  const versions = files.flatMap((file) => MIGRATION_FILE.exec(file)?.[1] ?? []).sort();
  const ignored = files.filter((file) => !MIGRATION_FILE.test(file)).sort();
  const hashed = await Promise.all(
    [...files].sort().flatMap((name) => {
      const version = MIGRATION_FILE.exec(name)?.[1];
      return version === undefined ? [] : [readFile(resolve(context.baseDir, dir, name), 'utf8').then((sql) => ({ name, version, hash: migrationHash(sql) }))];
    }),
  );
  return { dir, versions, ignored, files: hashed };
});
