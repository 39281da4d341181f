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

async function readScannable(path: string): Promise<string | null> {
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) return null;
    const text = await readFile(path, 'utf8');
    return text.includes('\0') ? null : text;
  } catch {
    // Listed by git but deleted in the work tree, or unreadable: nothing to scan there.
    return null;
  }
}

export const exposedSecretsCollector = defineCollector(exposedSecrets, async (context) => {
  const baseDir = context.baseDir;
  const tracked = await gitTrackedFiles(baseDir, context.signal);
  const repositoryFiles = tracked ?? (await walk(baseDir));
  const buildDir = context.config.domain?.frontendBuildDir ?? null;
  const buildFiles = buildDir ? (await walk(resolve(baseDir, buildDir))).map((file) => join(buildDir, file)) : [];
  const files = [...new Set([...repositoryFiles, ...buildFiles].map((file) => relative(baseDir, resolve(baseDir, file))))].sort();

  const findings: { file: string; line: number; kind: ReturnType<typeof scanText>[number]['kind'] }[] = [];
  for (const file of files) {
    if (context.signal.aborted) throw new FactError('Timeout', 'the secret scan did not finish in time', 'raise --timeout');
    const text = await readScannable(resolve(baseDir, file));
    if (text === null) continue;
    for (const hit of scanText(text)) findings.push({ file, line: hit.line, kind: hit.kind });
  }
  return { source: tracked ? ('git' as const) : ('walk' as const), filesScanned: files.length, buildDir, findings };
});
