import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG } from '../../src/commands/setup.js';
import type { Report } from '../../src/model.js';
import { runCli, spawnCli } from '../support/cli.js';

// A snapshot whose facts make a READY report (deletion protection on): only its age decides.
const COLLECTED_AT = '2025-10-11T22:30:00.000Z';
const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(Date.parse(COLLECTED_AT) + offsetMs).toISOString();

const cluster = {
  id: 'db-1', arn: 'arn:aws:rds:us-east-1:123456789012:cluster:db-1', region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: '15.3',
  status: 'available', endpoint: null, deletionProtection: true, storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30,
  members: [], parameterGroup: null, serverless: null, missing: false,
};
const snapshot = (collectedAt: string, facts: Record<string, unknown> = { 'aws.rds.clusters': { ok: true, value: [cluster] }, 'aws.rds.instances': { ok: true, value: [] } }) => ({
  schemaVersion: 1,
  tool: { name: 'readiness', version: '0.1.0' },
  collectedAt,
  project: 'p',
  configHash: 'x',
  aws: { account: '123456789012', regions: ['us-east-1'] },
  facts,
});

let dir: string;
let config: string;
let file: string;

async function write(name: string, content: object | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const check = (snapshotFile: string, now: string, ...extra: string[]) =>
  ['check', '--config', config, '--snapshot', snapshotFile, '--now', now, '--only', 'aws.rds.deletion-protection', ...extra];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-stale-'));
  config = await write('readiness.config.yaml', 'project: p\naws:\n  region: us-east-1\n');
  file = await write('old.json', snapshot(COLLECTED_AT));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a snapshot older than gate.maxEvidenceAgeHours', () => {
  it('collected 30 days before --now: NOT READY, exit 3 (collect again), the evidence still scored and shown', async () => {
    const { code, stdout, stderr } = await spawnCli(check(file, at(30 * DAY), '--format', 'json'));
    const report = JSON.parse(stdout) as Report;
    expect(report.results.map((r) => [r.resource, r.status])).toEqual([['db-1', 'pass']]);
    expect(report.score).toBe(100);
    expect(report.blockers).toEqual([]);
    expect(report.verdict).toBe('NOT_READY');
    expect(report.exitReason).toEqual({
      code: 3,
      reason: 'could-not-see',
      cause: `the evidence was collected 30 days ago (snapshot ${file} at ${COLLECTED_AT}; gate.maxEvidenceAgeHours 168)`,
      fix: 'run `readiness collect` again (or `readiness check` live)',
    });
    expect(code).toBe(3);
    expect(stderr).toContain('readiness: NOT READY because the tool could not see: the evidence was collected 30 days ago');
  });

  it('the terminal says why it is not ready', async () => {
    const { code, stdout } = await runCli(check(file, at(30 * DAY)));
    expect(code).toBe(3);
    expect(stdout).toContain('NOT READY');
    expect(stdout).toMatch(/exit 3: the tool could not see: the evidence was collected 30 days ago .* — fix: run `readiness collect` again/);
  });

  it('the JUnit gate case fails with the cause, not with "nothing was evaluated"', async () => {
    const { code, stdout } = await runCli(check(file, at(30 * DAY), '--format', 'junit'));
    expect(code).toBe(3);
    expect(stdout).toMatch(/<failure type="gate" message="NOT READY \(partial assessment\) 100%: the evidence was collected 30 days ago \(snapshot /);
  });

  it('the Markdown report says why, instead of "0 blocking findings"', async () => {
    const { code, stdout } = await runCli(check(file, at(30 * DAY), '--format', 'md'));
    expect(code).toBe(3);
    expect(stdout).toContain('**Recommendation**: **Do not go to production yet.** The evidence was collected 30 days ago (snapshot ');
    expect(stdout).not.toContain('0 blocking findings');
  });

  it('within the week (the default): READY, exit 0', async () => {
    const { code, stdout } = await runCli(check(file, at(6 * DAY), '--format', 'json'));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Report).exitReason).toEqual({ code: 0, reason: 'ready' });
  });

  it('just past the limit is stale; gate.maxEvidenceAgeHours moves the limit', async () => {
    expect((await runCli(check(file, at(168 * 3_600_000 + 60_000)))).code).toBe(3);
    const monthly = await write('monthly.yaml', 'project: p\naws:\n  region: us-east-1\ngate:\n  maxEvidenceAgeHours: 744\n');
    const run = await runCli(['check', '--config', monthly, '--snapshot', file, '--now', at(30 * DAY), '--only', 'aws.rds.deletion-protection', '--format', 'json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).verdict).toBe('READY');
    const hourly = await write('hourly.yaml', 'project: p\naws:\n  region: us-east-1\ngate:\n  maxEvidenceAgeHours: 1\n');
    const strict = await runCli(['check', '--config', hourly, '--snapshot', file, '--now', at(2 * 3_600_000), '--only', 'aws.rds.deletion-protection', '--format', 'json']);
    expect(strict.code).toBe(3);
    expect((JSON.parse(strict.stdout) as Report).exitReason.cause).toBe(`the evidence was collected 2 hours ago (snapshot ${file} at ${COLLECTED_AT}; gate.maxEvidenceAgeHours 1)`);
  });

  it('a real blocker still wins: a stale snapshot that fails is exit 1', async () => {
    const unsafe = await write('unsafe.json', snapshot(COLLECTED_AT, { 'aws.rds.clusters': { ok: true, value: [{ ...cluster, deletionProtection: false }] }, 'aws.rds.instances': { ok: true, value: [] } }));
    const { code, stdout } = await runCli(check(unsafe, at(30 * DAY), '--format', 'json'));
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as Report).exitReason).toEqual({ code: 1, reason: 'not-ready' });
  });

  it('a snapshot collected after --now (beyond 5 minutes of clock skew) is not evidence of that date', async () => {
    const { code, stdout } = await runCli(check(file, at(-DAY), '--format', 'json'));
    expect(code).toBe(3);
    expect((JSON.parse(stdout) as Report).exitReason.cause).toBe(`the evidence was collected after the report's date (snapshot ${file} at ${COLLECTED_AT}; the report is of ${at(-DAY)})`);
    expect((await runCli(check(file, at(-4 * 60_000)))).code).toBe(0);
  });

  it('a merged snapshot is as old as its oldest part', async () => {
    const fresh = await write('fresh.json', snapshot(at(29 * DAY), { 'aws.rds.instances': { ok: true, value: [] } }));
    const old = await write('part-old.json', snapshot(COLLECTED_AT, { 'aws.rds.clusters': { ok: true, value: [cluster] } }));
    const merged = join(dir, 'merged.json');
    expect((await runCli(['merge', fresh, old, '--out', merged])).code).toBe(0);
    const { code, stdout } = await runCli(check(merged, at(30 * DAY), '--format', 'json'));
    expect(code).toBe(3);
    expect((JSON.parse(stdout) as Report).exitReason.cause).toContain(`collected 30 days ago (snapshot ${merged} at ${COLLECTED_AT}`);
  });

  it('--demo is judged at its own date, whatever --now says', async () => {
    // The demo without its critical blockers, its gate lowered: READY, though recorded long before --now.
    const only = ['--only', 'aws.rds.backup-retention,aws.rds.storage-encrypted,aws.s3.encryption', '--fail-under', '0', '--format', 'json'];
    const { code, stdout } = await runCli(['check', '--demo', '--now', '2026-12-01T00:00:00.000Z', ...only], { SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_DB_URL: undefined });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Report).source.kind).toBe('demo');
    // The same file named as a snapshot is evidence like any other: too old.
    const replayed = await runCli(['check', '--config', DEMO_CONFIG, '--snapshot', join(import.meta.dirname, '..', '..', 'examples', 'demo', 'snapshot.json'), '--now', '2026-12-01T00:00:00.000Z', ...only], { SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_DB_URL: undefined });
    expect(replayed.code).toBe(3);
  });
});
