import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorMessage, UsageError } from '../errors.js';

/** Deeper than any real output folder; bounds the walk up to an existing ancestor. */
const MAX_FOLDER_DEPTH = 64;

/** A reader never sees a half-written report: write beside it (streamed, when given in pieces), then rename over it. */
export async function writeAtomically(file: string, content: string | Iterable<string>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await makeFolders(dirname(file));
    await removeStaleTemporaries(file);
    if (typeof content === 'string') await writeFile(temporary, content);
    else await pipeline(Readable.from(content), createWriteStream(temporary));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    // A path the user gave that cannot be written is bad usage, not an internal error.
    throw new UsageError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
}

/** `--out` must be a folder, or not exist yet: refused before anything is collected, not after. */
export async function checkOutputFolder(folder: string): Promise<void> {
  const found = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UsageError(`cannot write to ${folder} (${error.code ?? errorMessage(error)})`);
  });
  if (found && !found.isDirectory()) throw new UsageError(`cannot write to ${folder}: not a folder`);
}

/**
 * `mkdir -p`, one level at a time. Node's `mkdir(…, { recursive: true })` loops forever where a
 * parent exists but refuses children without saying so (`/proc/x`); here every step is bounded.
 */
export async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(folder);
  for (let depth = 0; depth < MAX_FOLDER_DEPTH; depth++) {
    const found = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (found) {
      if (!found.isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** A run killed between write and rename leaves `<file>.<pid>.tmp`: removed by the next run once that pid is gone. */
export async function removeStaleTemporaries(file: string): Promise<void> {
  const pattern = new RegExp(`^${escapeRegExp(basename(file))}\\.(\\d+)\\.tmp$`);
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) await rm(join(dirname(file), name), { force: true }).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
