import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { exposedSecrets } from '../../facts/repository.js';
import { defineCollector, FactError } from '../types.js';
import { withoutTextCredentials } from '../url-credentials.js';
import { LINE_PREFILTER, scanText, type SecretKind } from './secret-scan.js';

const run = promisify(execFile);
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/** Code and configuration a key could be pasted into (binary assets and images are not). */
const SOURCE_FILE = /(\.(c|m)?[jt]sx?|\.(vue|svelte|astro|py|rb|go|java|kt|php|cs|rs|swift|sql|sh|bash|ps1|json|jsonc|ya?ml|toml|ini|conf|cfg|properties|xml|html?|tf|tfvars)|(^|\/)\.env[^/]*|(^|\/)Dockerfile[^/]*)$/i;

/**
 * The git work tree `dir` belongs to: its root and the files git would commit (tracked, and
 * untracked but not ignored), relative to that root; null when `dir` is not in a work tree. A
 * repository git refuses (a checkout owned by another user, "dubious ownership"; a broken .git)
 * is not "no repository": its error, and the folder holding the .git, are returned instead.
 */
async function gitWorkTree(dir: string, signal: AbortSignal): Promise<{ root: string; files: string[] } | { repository: string; error: string } | null> {
  try {
    const root = (await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir, signal })).stdout.trim();
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, signal, maxBuffer: 64 * 1024 * 1024 });
    return { root, files: stdout.split('\0').filter(Boolean) };
  } catch (error) {
    if (signal.aborted) throw new FactError('Timeout', 'git ls-files did not finish in time');
    const repository = await enclosingRepository(dir);
    if (repository === null) return null;
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    // git's own words go into the snapshot and the report: a remote URL it quotes keeps no credentials.
    return { repository, error: withoutTextCredentials(stderr.split('\n')[0] || (error instanceof Error ? error.message.split('\n')[0]! : String(error))) };
  }
}

/** The folder, `dir` or an ancestor, that holds a `.git` entry; null when none does. */
async function enclosingRepository(dir: string): Promise<string | null> {
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    if (await exists(join(folder, '.git'))) return folder;
    if (dirname(folder) === folder) return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

interface HistoryHit {
  commit: string;
  file: string;
  line: number;
  kind: SecretKind;
  fingerprint: string;
}

/** `"b/caf\303\251"` as git quotes unusual paths. */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  const bytes = path.slice(1, -1).replace(/\\([0-7]{3}|.)/g, (_, escape: string) => (escape.length === 3 ? String.fromCharCode(parseInt(escape, 8)) : ({ n: '\n', t: '\t' } as Record<string, string>)[escape] ?? escape));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/**
 * Every line any commit reachable from a ref added (deleted files and rewritten lines included):
 * `git log -G` diffs each commit in C and prints only the files whose changes match the
 * prefilter; scanText judges their added lines. Merges are diffed against their first parent,
 * so a line written while resolving one is seen too.
 */
async function scanHistory(root: string, signal: AbortSignal): Promise<{ commits: number; shallow: boolean; hits: HistoryHit[] }> {
  const shallow = (await run('git', ['rev-parse', '--is-shallow-repository'], { cwd: root, signal })).stdout.trim() === 'true';
  const commits = Number((await run('git', ['rev-list', '--all', '--count'], { cwd: root, signal })).stdout.trim());
  const args = ['-c', 'core.quotePath=false', 'log', '--all', '--root', '--diff-merges=first-parent', '--no-renames', '--no-ext-diff', '--no-textconv', '--no-color', '-p', '-U0', '--format=%x01%h', '-G', LINE_PREFILTER];
  const child = spawn('git', args, { cwd: root, signal, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<number | null>((done, failed) => {
    child.on('error', failed);
    child.on('close', done);
  });
  const hits: HistoryHit[] = [];
  let commit = '';
  let file: string | null = null;
  let line = 0;
  // Lines left in the current hunk (-U0: only removed and added lines), so content is never read as a header.
  let removed = 0;
  let added = 0;
  for await (const text of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (removed > 0 && text.startsWith('-')) removed -= 1;
    else if (added > 0 && text.startsWith('+')) {
      if (file !== null) for (const hit of scanText(text.slice(1))) hits.push({ commit, file, line, kind: hit.kind, fingerprint: hit.fingerprint });
      line += 1;
      added -= 1;
    } else if (text.startsWith('\x01')) [commit, file, removed, added] = [text.slice(1), null, 0, 0];
    else if (text.startsWith('+++ ')) file = text === '+++ /dev/null' ? null : unquote(text.slice(4)).replace(/^"?b\//, '');
    else if (text.startsWith('@@ ')) {
      const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(text);
      if (hunk) [removed, line, added] = [Number(hunk[1] ?? 1), Number(hunk[2]), Number(hunk[3] ?? 1)];
    }
  }
  const code = await exited;
  if (code !== 0) throw new FactError('Error', `git log could not read the history: ${stderr.trim() || `exit ${code}`}`);
  return { commits, shallow, hits };
}

/** One report per secret: the commit that first added it (git log lists newest first), unless it is still in the work tree. */
function historyOnly(hits: HistoryHit[], inTree: Set<string>): HistoryHit[] {
  const first = new Map<string, HistoryHit>();
  for (const hit of hits) if (!inTree.has(hit.fingerprint)) first.set(hit.fingerprint, hit);
  return [...first.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

async function walk(dir: string): Promise<string[]> {
  const files: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return files;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) files.push(...(await walk(join(dir, entry.name))).map((file) => join(entry.name, file)));
    else if (entry.isFile()) files.push(entry.name);
  }
  return files;
}

type Scannable = { text: string } | { skipped: 'too-large' | 'unreadable' | 'gone' | 'binary' };

async function readScannable(path: string): Promise<Scannable> {
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) return { skipped: 'too-large' };
    const text = await readFile(path, 'utf8');
    return text.includes('\0') ? { skipped: 'binary' } : { text };
  } catch (error) {
    // Listed by git but deleted in the work tree: nothing to scan there. Anything else was not seen.
    return { skipped: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable' };
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export const exposedSecretsCollector = defineCollector(exposedSecrets, async (context) => {
  const found = await gitWorkTree(context.baseDir, context.signal);
  const tree = found && 'root' in found ? found : null;
  // The whole work tree the config belongs to (a config in a subfolder must not narrow the scan to it).
  const root = tree?.root ?? (found && 'repository' in found ? found.repository : context.baseDir);
  const repositoryFiles = tree?.files ?? (await walk(root));
  const buildDir = context.config.domain?.frontendBuildDir ?? null;
  const buildPath = buildDir === null ? null : resolve(context.baseDir, buildDir);
  const buildDirMissing = buildPath !== null && !(await isDirectory(buildPath));
  const buildFiles = buildPath && !buildDirMissing ? (await walk(buildPath)).map((file) => join(buildPath, file)) : [];
  const files = [...new Set([...repositoryFiles, ...buildFiles].map((file) => relative(root, resolve(root, file))))].sort();

  const findings: { file: string; line: number; kind: SecretKind; commit?: string }[] = [];
  const inTree = new Set<string>();
  const unscanned: { file: string; reason: 'too-large' | 'unreadable' }[] = [];
  let sourceFiles = 0;
  for (const file of files) {
    if (context.signal.aborted) throw new FactError('Timeout', 'the secret scan did not finish in time', 'raise --timeout');
    const read = await readScannable(resolve(root, file));
    if ('skipped' in read) {
      if (read.skipped === 'too-large' || read.skipped === 'unreadable') unscanned.push({ file, reason: read.skipped });
      continue;
    }
    if (SOURCE_FILE.test(file)) sourceFiles += 1;
    for (const hit of scanText(read.text)) {
      findings.push({ file, line: hit.line, kind: hit.kind });
      inTree.add(hit.fingerprint);
    }
  }
  let history: { commits: number; shallow: boolean } | null = null;
  if (tree) {
    try {
      const scanned = await scanHistory(tree.root, context.signal);
      history = { commits: scanned.commits, shallow: scanned.shallow };
      for (const hit of historyOnly(scanned.hits, inTree)) findings.push({ file: hit.file, line: hit.line, kind: hit.kind, commit: hit.commit });
    } catch (error) {
      if (context.signal.aborted) throw new FactError('Timeout', 'the scan of the git history did not finish in time', 'raise --timeout');
      throw error;
    }
  }
  return {
    source: tree ? ('git' as const) : ('walk' as const),
    scope: relative(context.baseDir, root) || '.',
    filesScanned: files.length - unscanned.length,
    sourceFiles,
    buildDir: buildPath === null ? null : relative(root, buildPath) || '.',
    findings,
    unscanned,
    buildDirMissing,
    history,
    gitError: found && 'error' in found ? found.error : null,
  };
});
