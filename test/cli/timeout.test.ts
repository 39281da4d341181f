import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { spawnCli } from '../support/cli.js';

// An AWS endpoint that accepts connections and never answers: only --timeout ends the run.
let server: Server;
const sockets = new Set<Socket>();
let dir: string;
let config: string;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'readiness-timeout-'));
  config = join(dir, 'readiness.config.yaml');
  const port = (server.address() as AddressInfo).port;
  await writeFile(config, `project: timeout\naws:\n  region: us-east-1\n  endpoint: http://127.0.0.1:${port}\n  s3:\n    buckets: [{ name: ehr-files }]\n`);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('--timeout bounds the whole run', () => {
  it('what has not answered is unverified, the reports are still written, and the process ends', async () => {
    const out = join(dir, 'reports');
    const started = Date.now();
    const { code, stderr } = await spawnCli(['check', '--config', config, '--only', 'aws.rds.deletion-protection,aws.s3.encryption', '--timeout', '5', '--format', 'json,md', '--out', out], {
      env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' },
    });
    const elapsed = Date.now() - started;
    // NOT READY only because the run ran out of time: exit 3, with the cause and its fix on one line.
    expect(stderr).toMatch(/^readiness: NOT READY because the tool could not see: Timeout: .* — fix: .*\(exit 3\)\n$/);
    expect(code).toBe(3);
    expect(elapsed).toBeLessThan(15_000);
    expect((await readdir(out)).filter((name) => !name.endsWith('.sha256')).sort()).toEqual(['readiness-report.json', 'readiness-report.md']);
    const report = JSON.parse(await readFile(join(out, 'readiness-report.json'), 'utf8')) as Report;
    expect(report.results.map((r) => [r.checkId, r.status, r.evidence.failure])).toEqual([
      ['aws.rds.deletion-protection', 'unverified', 'Timeout'],
      ['aws.s3.encryption', 'unverified', 'Timeout'],
    ]);
    expect(report.verdict).toBe('NOT_READY');
    expect(report.results[0]!.remediation.text).toMatch(/raise --timeout/);
  });
});
