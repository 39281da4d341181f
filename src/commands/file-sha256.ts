import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * From this size a file is hashed on a thread of its own. Hashing is a fixed cost per byte (82 ms for the 125 MB a
 * 10,000-resource run writes, 1 s at 100,000) that the main thread would spend between two reports; the thread does
 * it while the next report renders. Below, starting the thread (about 30 ms of CPU) costs more than it saves.
 */
export const ON_THREAD_FROM_BYTES = 4 << 20;

/** The sha256 (hex) of a file the caller has just written and closed, `bytes` long. */
export function fileSha256(file: string, bytes: number): Promise<string> {
  if (bytes < ON_THREAD_FROM_BYTES) return Promise.resolve(createHash('sha256').update(readFileSync(file)).digest('hex'));
  return hashingThread().sha256(file);
}

/**
 * The thread's code, in its own isolate: it reads each file it is sent a stretch at a time (a report can be hundreds
 * of MB) and answers with its digest, or with the read's error code. Built-ins by getBuiltinModule, which works
 * whether the code is read as CommonJS or (under `--input-type=module`) as a module.
 */
const THREAD_CODE = `
const { parentPort } = process.getBuiltinModule('node:worker_threads');
const { createHash } = process.getBuiltinModule('node:crypto');
const { openSync, readSync, closeSync } = process.getBuiltinModule('node:fs');
const stretch = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, file }) => {
  try {
    const hash = createHash('sha256');
    const fd = openSync(file, 'r');
    try {
      for (let read; (read = readSync(fd, stretch, 0, stretch.length, null)) > 0; ) hash.update(stretch.subarray(0, read));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ id, digest: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ id, error: error.code ?? error.message });
  }
});
`;

interface HashingThread {
  sha256(file: string): Promise<string>;
}

let thread: HashingThread | undefined;

/** The one hashing thread, started on first use. It holds the process open only while a digest is awaited. */
function hashingThread(): HashingThread {
  if (thread) return thread;
  // None of the run's Node options (a loader such as `--import tsx` would be loaded again, for nothing).
  const worker = new Worker(THREAD_CODE, { eval: true, execArgv: [] });
  const pending = new Map<number, { resolve: (digest: string) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const settleAll = (error: Error) => {
    thread = undefined;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', ({ id, digest, error }: { id: number; digest?: string; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (digest !== undefined) waiting?.resolve(digest);
    else waiting?.reject(Object.assign(new Error(`cannot hash the file (${error})`), { code: error }));
  });
  worker.on('error', (error) => settleAll(error));
  worker.on('exit', (code) => settleAll(new Error(`the hashing thread stopped (exit ${code})`)));
  worker.unref();
  thread = {
    sha256(file) {
      const id = nextId++;
      worker.ref();
      worker.postMessage({ id, file });
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
  };
  return thread;
}
