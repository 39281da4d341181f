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

/** Paths tracked by git under `dir`, or null when `dir` is not inside a git work tree. */
async function gitTrackedFiles(dir: string, signal: AbortSignal): Promise<string[] | null> {
  try {
    const { stdout } = await run('git', ['ls-files', '-z'], { cwd: dir, signal, maxBuffer: 64 * 1024 * 1024 });
    return stdout.split('\0').filter(Boolean);
  } catch (error) {
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
  const baseDir = context.baseDir;
  const tracked = await gitTrackedFiles(baseDir, context.signal);
  const repositoryFiles = tracked ?? (await walk(baseDir));
  const buildDir = context.config.domain?.frontendBuildDir ?? null;
  const buildDirMissing = buildDir !== null && !(await isDirectory(resolve(baseDir, buildDir)));
  const buildFiles = buildDir && !buildDirMissing ? (await walk(resolve(baseDir, buildDir))).map((file) => join(buildDir, file)) : [];
  const files = [...new Set([...repositoryFiles, ...buildFiles].map((file) => relative(baseDir, resolve(baseDir, file))))].sort();

  const findings: { file: string; line: number; kind: ReturnType<typeof scanText>[number]['kind'] }[] = [];
  const unscanned: { file: string; reason: 'too-large' | 'unreadable' }[] = [];
  for (const file of files) {
    if (context.signal.aborted) throw new FactError('Timeout', 'the secret scan did not finish in time', 'raise --timeout');
    const read = await readScannable(resolve(baseDir, file));
    if ('skipped' in read) {
      if (read.skipped === 'too-large' || read.skipped === 'unreadable') unscanned.push({ file, reason: read.skipped });
      continue;
    }
    for (const hit of scanText(read.text)) findings.push({ file, line: hit.line, kind: hit.kind });
  }
  return { source: tracked ? ('git' as const) : ('walk' as const), filesScanned: files.length - unscanned.length, buildDir, findings, unscanned, buildDirMissing };
});
