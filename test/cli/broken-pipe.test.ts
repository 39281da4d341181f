import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-pipe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `readiness ARGS | READER` through a real shell pipe: the writer's exit code and stderr, and what the reader printed. */
function throughPipe(args: string, reader: string): Promise<{ status: number; stderr: string; stdout: string }> {
  const status = join(dir, `status-${Math.random().toString(36).slice(2)}`);
  const stderr = `${status}.err`;
  const script = `{ "${process.execPath}" --import tsx src/bin.ts ${args} 2>"${stderr}"; echo $? >"${status}"; } | ${reader}`;
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { cwd: PACKAGE_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', async () => {
      resolve({ status: Number((await readFile(status, 'utf8')).trim()), stderr: await readFile(stderr, 'utf8'), stdout });
    });
  });
}

describe('a reader that stops early', () => {
  // 180 kB of JSON: far more than a pipe holds, so the writer is still writing when head has gone.
  it('check --demo --format json | head -1 ends quietly with exit 0', async () => {
    const { status, stderr, stdout } = await throughPipe('check --demo --format json', 'head -1');
    expect(stdout).toBe('{\n');
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('a reader that reads nothing (| true) ends it quietly too, on the first write', async () => {
    const { status, stderr } = await throughPipe('check --demo', 'true');
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
