import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('a usage error is one line on stderr', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'readiness-one-line-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('even when the parser quotes a newline from the file', async () => {
    const snapshot = join(dir, 'snap.json');
    const config = join(dir, 'readiness.config.yaml');
    await writeFile(snapshot, 'vm\n');
    await writeFile(config, 'project: x\n');
    const run = await runCli(['check', '--config', config, '--snapshot', snapshot]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^readiness: .*snap\.json: not valid JSON/);
  });
});
