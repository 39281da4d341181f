import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/collectors/aws/session.js';
import { collectors } from '../../src/collectors/index.js';
import { collectFacts } from '../../src/engine/collect.js';
import type { Report } from '../../src/model.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { makeConfig } from '../support/check-tester.js';

// An AWS endpoint that accepts every connection and never answers: only the abort signal
// (or the forced exit in bin.ts, turned off here) can end a request to it.
let server: Server;
/** Each open connection, with the first line and target of the request it carries. */
const open = new Map<Socket, string>();
let accepted = 0;
let endpoint: string;
let dir: string;
const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_PROFILE: undefined };

beforeAll(async () => {
  server = createServer((socket) => {
    accepted += 1;
    open.set(socket, '');
    socket.once('data', (chunk: Buffer) => {
      const text = chunk.toString();
      open.set(socket, `${text.split('\r\n')[0]} ${text.match(/x-amz-target: \S+/i)?.[0] ?? ''}`);
    });
    socket.on('error', () => {});
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'readiness-stop-'));
});

afterAll(async () => {
  for (const socket of open.keys()) socket.destroy();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The text of each call the pattern starts (it ends with the opening parenthesis), up to its closing one. */
function calls(source: string, start: RegExp): string[] {
  return [...source.matchAll(start)].map((m) => {
    let depth = 0;
    for (let i = m.index + m[0].length - 1; i < source.length; i++) {
      if (source[i] === '(') depth += 1;
      if (source[i] === ')' && --depth === 0) return source.slice(m.index, i + 1);
    }
    return source.slice(m.index);
  });
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return condition();
}

describe('AWS collectors stop when the run is out of time', () => {
  it('no AWS collector sends a request the run signal cannot cancel (static guard for new collectors)', async () => {
    const folder = join(PACKAGE_ROOT, 'src', 'collectors', 'aws');
    const unguarded: string[] = [];
    for (const file of (await readdir(folder)).filter((name) => name.endsWith('.ts') && name !== 'pages.ts')) {
      const source = await readFile(join(folder, file), 'utf8');
      // A paginator called directly (not handed to pages()) sends its requests without the signal.
      for (const m of source.matchAll(/(?<!pages\()\b(?:\w+\.)?paginate[A-Z]\w*\(/g)) unguarded.push(`${file}: ${m[0]}`);
      for (const call of calls(source, /\.send\(|\bfetch\(/g)) if (!/\b(abortSignal|signal):/.test(call)) unguarded.push(`${file}: ${call.slice(0, 80)}`);
    }
    expect(unguarded).toEqual([]);
  });

  it('every AWS collector cancels its in-flight request (paginated or not) when the run signal aborts', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    const awsFacts = [...collectors.values()].map((c) => c.fact).filter((f) => f.id.startsWith('aws.'));
    const config = makeConfig({ aws: { region: 'us-east-1', endpoint } });
    const aws = new AwsSession({ config: config.aws, env: { ...credentials } });
    const before = accepted;
    const timeUp = new AbortController();
    try {
      // Every collector at once; time is up once the listing calls (the paginators among them) are in flight.
      const run = collectFacts(awsFacts, {
        collectors,
        context: { config, now: new Date('2026-11-25T12:00:00Z'), env: { ...credentials }, baseDir: dir, aws },
        concurrency: awsFacts.length,
        collectorTimeoutMs: 30_000,
        runSignal: timeUp.signal,
      });
      expect(await until(() => accepted - before >= 12, 15_000), `only ${accepted - before} requests reached the endpoint`).toBe(true);
      timeUp.abort(new DOMException('the run reached its --timeout', 'TimeoutError'));
      const outcomes = await run;
      // Without `aws.s3.buckets` there is no unlisted bucket to read: that fact answers, empty, without a request.
      const needsNoRequest = new Set(['aws.s3.unlisted-bucket-settings']);
      expect([...outcomes].filter(([id, o]) => o.ok && !needsNoRequest.has(id))).toEqual([]);
      expect(outcomes.get('aws.s3.unlisted-bucket-settings')).toEqual({ ok: true, value: [] });
      expect(outcomes.get('aws.rds.clusters')).toMatchObject({ ok: false, failure: { kind: 'Timeout' } });
      // The session is not destroyed yet: only the abort signal can have closed these connections. A connection
      // the client opened but wrote no request on (an idle pooled socket) holds nothing up and is left to the pool.
      const waiting = () => [...open.values()].filter(Boolean);
      expect(await until(() => waiting().length === 0, 2_000), `still waiting for an answer after the run's timeout: ${waiting().join(' | ')}`).toBe(true);
    } finally {
      aws.destroy();
    }
  });

  it('`readiness check --timeout 2` ends by itself, reports written, results unverified, without the forced exit', async () => {
    const config = join(dir, 'readiness.config.yaml');
    await writeFile(config, `project: stop-at-timeout\naws:\n  region: us-east-1\n  endpoint: ${endpoint}\n`);
    const out = join(dir, 'reports');
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'src', 'bin.ts'), 'check', '--config', config, '--section', 'aws,monitoring', '--timeout', '2', '--format', 'json,sarif', '--out', out], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, ...credentials, NO_COLOR: '1', READINESS_NO_FORCED_EXIT: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // A process that hangs is killed after 20 s so that the test fails instead of hanging with it.
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exit;
    clearTimeout(kill);
    const elapsed = Date.now() - started;
    expect(stderr).toMatch(/^readiness: NOT READY because the tool could not see: Timeout: [^\n]*\n$/);
    expect(code).toBe(3);
    expect(elapsed).toBeLessThan(10_000);
    expect((await readdir(out)).filter((name) => !name.endsWith('.sha256')).sort()).toEqual(['readiness-report.json', 'readiness-report.sarif']);
    const report = JSON.parse(await readFile(join(out, 'readiness-report.json'), 'utf8')) as Report;
    const aws = report.results.filter((r) => r.section === 'aws' && r.evidence.failure !== 'NotConfigured');
    expect(aws.length).toBeGreaterThan(20);
    expect(new Set(aws.map((r) => r.status))).toEqual(new Set(['unverified']));
    expect(report.results.filter((r) => r.status === 'pass')).toEqual([]);
    expect(report.verdict).toBe('NOT_READY');
    console.log(`check --timeout 2 against a silent endpoint exited after ${elapsed} ms`);
  });
});
