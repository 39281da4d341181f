import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { isOneLineError, runCli, spawnCli } from '../support/cli.js';

// Every input is bounded: no file the user names can block, spin or exhaust the run, and a bad one
// stops it before anything is written.
let dir: string;
let fifo: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-bounded-'));
  fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  config = join(dir, 'readiness.config.yaml');
  await writeFile(config, 'project: bounded\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const keys = (n: number) => `project: x\n${Array.from({ length: n }, (_, i) => `k${i}: 1`).join('\n')}\n`;

async function refused(argv: string[], says: RegExp): Promise<void> {
  const run = await runCli(argv);
  expect(run.code, run.stderr).toBe(2);
  expect(isOneLineError(run.stderr), run.stderr).toBe(true);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.stderr).toMatch(says);
}

describe('files the user names', () => {
  it('a named pipe is refused as config, snapshot or baseline (it would block)', async () => {
    await refused(['check', '--config', fifo], /pipe: cannot read config file \(not a regular file\)/);
    await refused(['check', '--config', config, '--snapshot', fifo], /cannot read snapshot \(not a regular file\)/);
    await refused(['check', '--config', config, '--snapshot', DEMO_SNAPSHOT, '--baseline', fifo], /cannot read a JSON report \(not a regular file\)/);
    await refused(['diff', fifo, fifo], /cannot read a JSON report \(not a regular file\)/);
  }, 20_000);

  it('a folder or a device is refused as config', async () => {
    await refused(['check', '--config', dir], /not a regular file/);
    await refused(['check', '--config', '/dev/zero'], /not a regular file/);
  });

  it('a config over 16 MB is refused, and so is one with more keys than an init-written config of 300k resources', async () => {
    const big = join(dir, 'big.yaml');
    await writeFile(big, `project: x\n# ${'x'.repeat(16 * 1024 * 1024)}\n`);
    await refused(['check', '--config', big], /larger than 16 MB/);
    // 1.1M keys in a flow map (13 MB): refused by counting marks before yaml parses anything.
    await writeFile(big, `{${Array.from({ length: 1_100_000 }, (_, i) => `k${i}:1`).join(',')}}\n`);
    await refused(['check', '--config', big], /more than 1000000 keys/);
  }, 30_000);

  it('a 20k-key config is parsed, not refused and not quadratic: keys are checked in one pass', async () => {
    // Before, yaml's duplicate-key check took 19 s for 20k keys; the key cap then refused it. Now it is read and
    // its unknown keys named (an init-written config of 10,000 resources has some 25,000 keys).
    const wide = join(dir, 'wide.yaml');
    await writeFile(wide, keys(20_000));
    await refused(['check', '--config', wide], /wide\.yaml:\d+:\d+: .*unknown/i);
  }, 30_000);

  it('duplicate keys are still found (in one pass, not by yaml)', async () => {
    const duplicated = join(dir, 'duplicated.yaml');
    await writeFile(duplicated, 'project: x\ngate: { minScore: 90 }\ngate: { minScore: 0 }\n');
    await refused(['check', '--config', duplicated], /duplicated\.yaml:3:1: .*Map keys must be unique/);
  });

  it('an alias bomb is refused as bad config, not an internal error', async () => {
    const bomb = join(dir, 'bomb.yaml');
    const levels = Array.from({ length: 12 }, (_, i) => `l${i + 1}: &l${i + 1} [*l${i}, *l${i}, *l${i}, *l${i}]`).join('\n');
    await writeFile(bomb, `project: x\nl0: &l0 [a]\n${levels}\n`);
    await refused(['check', '--config', bomb], /bomb\.yaml/);
  });
});

describe('--out', () => {
  it('/proc/x is refused at once (Node\'s recursive mkdir spins on it forever)', async () => {
    await refused(['check', '--demo', '--out', '/proc/readiness-x'], /cannot write .*readiness-x/);
    await refused(['collect', '--config', config, '--out', '/proc/readiness-x/snap.json'], /cannot write .*snap\.json/);
  }, 20_000);

  it('a file as --out is refused before the run, and left as it was', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'mine');
    await refused(['check', '--demo', '--out', file], /not a folder/);
    expect(await readFile(file, 'utf8')).toBe('mine');
  });

  it('nothing is written when the baseline is bad: every input is validated first', async () => {
    const out = join(dir, 'reports-bad-baseline');
    const baseline = join(dir, 'baseline.json');
    await writeFile(baseline, '{"schemaVersion": 1}');
    await refused(['check', '--demo', '--format', 'json', '--out', out, '--baseline', baseline], /baseline\.json: not a readiness JSON report/);
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a temp file left by a killed run is removed by the next one; a live run\'s is not', async () => {
    const out = join(dir, 'reports-stale');
    await mkdir(out);
    const dead = await deadPid();
    await writeFile(join(out, `readiness-report.json.${dead}.tmp`), 'half a report');
    await writeFile(join(out, 'readiness-report.json.1.tmp'), 'pid 1 is alive');
    await writeFile(join(out, 'unrelated.123.tmp'), 'not ours');
    const run = await runCli(['check', '--config', DEMO_CONFIG, '--snapshot', DEMO_SNAPSHOT, '--format', 'json', '--out', out]);
    expect(run.code).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['readiness-report.json', 'readiness-report.json.1.tmp', 'readiness-report.json.sha256', 'unrelated.123.tmp']);
  });
});

function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('exit', () => resolve(child.pid!));
  });
}

describe('--timeout', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let hungConfig: string;
  beforeAll(async () => {
    // An AWS endpoint that accepts connections and never answers.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hungConfig = join(dir, 'hung.yaml');
    await writeFile(hungConfig, `project: hung\naws:\n  region: us-east-1\n  endpoint: http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('counts from the process start: time spent starting up is not given again to the collectors', async () => {
    // The process started 29.9 s ago: of --timeout 30, only 0.1 s is left for collecting.
    const run = await runCli(['check', '--config', hungConfig, '--only', 'aws.rds.deletion-protection', '--timeout', '30', '--format', 'json'], AWS_ENV, { startedAt: Date.now() - 29_900 });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.results.map((r) => [r.checkId, r.status, r.evidence.failure])).toEqual([['aws.rds.deletion-protection', 'unverified', 'Timeout']]);
  }, 20_000);

  it('ends the process 5 s after it, whatever holds it (here: every file open hangs)', async () => {
    const run = await spawnCli(['check', '--config', hungConfig, '--timeout', '1'], { nodeArgs: ['--import', join(import.meta.dirname, '..', 'support', 'hang-file-opens.mjs')], env: AWS_ENV, killAfterMs: 25_000 });
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(/stopped: the run did not end within 5 s of --timeout \(1 s\)/);
  }, 30_000);
});

const AWS_ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
