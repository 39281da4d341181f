import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { exposedSecrets } from '../../facts/repository.js';
import { defineCollector, FactError } from '../types.js';
import { scanText } from './secret-scan.js';

const run = promisify(execFile);
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/** Code and configuration a key could be pasted into (binary assets and images are not). */
const SOURCE_FILE = /(\.(c|m)?[jt]sx?|\.(vue|svelte|astro|py|rb|go|java|kt|php|cs|rs|swift|sql|sh|bash|ps1|json|jsonc|ya?ml|toml|ini|conf|cfg|properties|xml|html?|tf|tfvars)|(^|\/)\.env[^/]*|(^|\/)Dockerfile[^/]*)$/i;

/**
 * The git work tree `dir` belongs to: its root and the files git would commit (tracked, and
 * untracked but not ignored), relative to that root; null when `dir` is not in a work tree.
 */
async function gitWorkTree(dir: string, signal: AbortSignal): Promise<{ root: string; files: string[] } | null> {
  try {
    const root = (await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir, signal })).stdout.trim();
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, signal, maxBuffer: 64 * 1024 * 1024 });
    return { root, files: stdout.split('\0').filter(Boolean) };
  } catch {
    if (signal.aborted) throw new FactError('Timeout', 'git ls-files did not finish in time');
    return null;
  }
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
  const tree = await gitWorkTree(context.baseDir, context.signal);
  // The whole work tree the config belongs to (a config in a subfolder must not narrow the scan to it).
  const root = tree?.root ?? context.baseDir;
  const repositoryFiles = tree?.files ?? (await walk(root));
  const buildDir = context.config.domain?.frontendBuildDir ?? null;
  const buildPath = buildDir === null ? null : resolve(context.baseDir, buildDir);
  const buildDirMissing = buildPath !== null && !(await isDirectory(buildPath));
  const buildFiles = buildPath && !buildDirMissing ? (await walk(buildPath)).map((file) => join(buildPath, file)) : [];
  const files = [...new Set([...repositoryFiles, ...buildFiles].map((file) => relative(root, resolve(root, file))))].sort();

  const findings: { file: string; line: number; kind: ReturnType<typeof scanText>[number]['kind'] }[] = [];
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
    for (const hit of scanText(read.text)) findings.push({ file, line: hit.line, kind: hit.kind });
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
  };
});
