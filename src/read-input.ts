import { open, stat } from 'node:fs/promises';

/**
 * Largest config file read. A hand-written one is a few KB, but `readiness init` lists every resource it finds:
 * about 50 bytes per resource, so 16 MB holds an account of some 300,000 resources.
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** Largest snapshot or JSON report read: a 100,000-resource account's snapshot is about 80 MB, its JSON report more. */
export const MAX_DATA_BYTES = 512 * 1024 * 1024;

export class InputFileError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Why a named file could not be read, in a few words: `ENOENT`, `not a regular file`, `larger than 1 MB`. */
export function readFailure(error: unknown): string {
  if (error instanceof InputFileError) return error.message;
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/**
 * Reads a file the user named, bounded: only a regular file (a named pipe or a device would block
 * or never end), and at most `maxBytes` of it, counted as read (a /proc file reports size 0).
 */
export async function readInputFile(file: string, maxBytes: number): Promise<string> {
  return (await readInputBytes(file, maxBytes)).toString('utf8');
}

/**
 * The bytes of `readInputFile`, for a caller that also hashes what it read. The buffer starts its own memory (never a
 * shared pool's): what lies past its end, `bytes.buffer.byteLength - bytes.length` bytes, at least `spare` unless the
 * file grew while it was read, is the caller's to write (parseJson writes escapes there).
 */
export async function readInputBytes(file: string, maxBytes: number, spare = 0): Promise<Buffer> {
  const found = await stat(file);
  if (!found.isFile()) throw new InputFileError('not a regular file', 'ENOTREG');
  const handle = await open(file, 'r');
  try {
    let buffer = Buffer.alloc(Math.min(found.size, maxBytes) + 1 + spare);
    let length = 0;
    // Reads until the end, or one byte past the cap: enough to know the file is too large.
    while (length <= maxBytes) {
      if (length === buffer.length) {
        const grown = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw tooLarge(maxBytes);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function tooLarge(maxBytes: number): InputFileError {
  return new InputFileError(`larger than ${formatBytes(maxBytes)}`, 'EFBIG');
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}
