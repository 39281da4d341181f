import type { Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorMessage, UsageError } from '../errors.js';

/** Deeper than any real output folder; bounds the walk up to an existing ancestor. */
const MAX_FOLDER_DEPTH = 64;

/** Pieces are gathered into writes of this many bytes: a few hundred writes for a 100 MB report, not one per result. */
const WRITE_SIZE = 1 << 18;
/** A UTF-16 code unit is at most this many bytes of UTF-8. */
const MAX_UTF8_PER_UNIT = 3;

/**
 * A reader never sees a half-written report: write beside it, then rename over it. Content given in pieces is
 * gathered into large writes, each encoded once; `hash`, when given, is updated with exactly the bytes written.
 * Everything but the rename is synchronous: a folder check, an open or a close costs less than the round trip through
 * the thread pool it would wait for, while nothing else can run. The rename is awaited: over last run's report it
 * waits for that file's blocks (tens of ms on ext4), time in which the caller renders its next file.
 */
export async function writeAtomically(file: string, content: string | Iterable<string>, hash?: Hash): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeTemporary(file, temporary, content, hash);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    // A path the user gave that cannot be written is bad usage, not an internal error.
    throw new UsageError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
}

/** The folder made, last run's stale temporaries removed, and `content` written to `temporary`, all before returning. */
function writeTemporary(file: string, temporary: string, content: string | Iterable<string>, hash?: Hash): void {
  makeFoldersNow(dirname(file));
  removeStaleTemporaries(file);
  const fd = openSync(temporary, 'w');
  try {
    writeGathered(fd, typeof content === 'string' ? [content] : content, hash);
  } finally {
    closeSync(fd);
  }
}

let gatherBuffer: Buffer | undefined;

/**
 * The pieces, encoded straight into one buffer (no string is built to hold them), written out each time it fills.
 * Written synchronously: a write to the page cache costs less than the round trip through the thread pool it would
 * wait for, which on a busy machine left the renderer idle a fifth of the time.
 */
function writeGathered(fd: number, pieces: Iterable<string>, hash: Hash | undefined): void {
  // One buffer for every file of the run: each write is done with it (written and hashed) before the next begins.
  const buffer = (gatherBuffer ??= Buffer.allocUnsafe(WRITE_SIZE));
  let used = 0;
  const send = (bytes: Buffer) => {
    hash?.update(bytes);
    writeAll(fd, bytes);
  };
  const flush = () => {
    if (used === 0) return;
    send(buffer.subarray(0, used));
    used = 0;
  };
  for (const piece of pieces) {
    if (piece.length * MAX_UTF8_PER_UNIT > WRITE_SIZE - used) {
      flush();
      if (piece.length * MAX_UTF8_PER_UNIT > WRITE_SIZE) {
        send(Buffer.from(piece, 'utf8'));
        continue;
      }
    }
    used += buffer.write(piece, used, 'utf8');
  }
  flush();
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) {
    const bytesWritten = writeSync(fd, bytes, offset);
    if (bytesWritten === 0) throw Object.assign(new Error('the file takes no more bytes'), { code: 'ENOSPC' });
    offset += bytesWritten;
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
  makeFoldersNow(folder);
}

function makeFoldersNow(folder: string): void {
  const missing: string[] = [];
  let current = resolve(folder);
  for (let depth = 0; depth < MAX_FOLDER_DEPTH; depth++) {
    const found = statSync(current, { throwIfNoEntry: false });
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
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** A run killed between write and rename leaves `<file>.<pid>.tmp`: removed by the next run once that pid is gone. */
function removeStaleTemporaries(file: string): void {
  const pattern = new RegExp(`^${escapeRegExp(basename(file))}\\.(\\d+)\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) {
      try {
        rmSync(join(dirname(file), name), { force: true });
      } catch {
        // Another run's leftover that cannot be removed is no reason to fail this one.
      }
    }
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
