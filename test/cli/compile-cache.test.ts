import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-compile-cache-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Start-up: the code of the tool's modules is compiled once and kept (Node's compile cache, in the temp folder).
describe("the compiled code's cache", () => {
  it('is written to the temp folder by a run', async () => {
    const run = await spawnCli(['--version'], { env: { TMPDIR: dir, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined } });
    expect(run.code).toBe(0);
    expect(await readdir(join(dir, 'node-compile-cache'))).not.toEqual([]);
  });

  it('is not written with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const off = join(dir, 'off');
    const run = await spawnCli(['--version'], { env: { TMPDIR: off, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(run.code).toBe(0);
    await expect(readdir(join(off, 'node-compile-cache'))).rejects.toThrow(/ENOENT/);
  });
});
