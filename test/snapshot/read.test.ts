import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { isOneLineError, runCli, spawnCli } from '../support/cli.js';

const NOW = '2025-10-11T22:30:00Z';
let dir: string;
let config: string;

const cluster = {
  id: 'db-1', arn: 'arn:aws:rds:us-east-1:123456789012:cluster:db-1', region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: '15.3',
  status: 'available', endpoint: null, deletionProtection: true, storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30,
  members: [], parameterGroup: null, serverless: null, missing: false,
};
const snapshot = (facts: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  tool: { name: 'readiness', version: '0.1.0' },
  collectedAt: '2025-10-11T22:30:00.000Z',
  project: 'p',
  configHash: 'x',
  aws: { account: '123456789012', regions: ['us-east-1'] },
  facts,
  ...over,
});

async function checkSnapshot(name: string, content: string | object, ...extra: string[]) {
  const file = join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return { file, ...(await runCli(['check', '--config', config, '--snapshot', file, '--now', NOW, ...extra])) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-read-'));
  config = join(dir, 'readiness.config.yaml');
  await writeFile(config, 'project: p\naws:\n  region: us-east-1\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a bad snapshot is exit 2 with one line naming the file', () => {
  const cases: [string, string | object, RegExp][] = [
    ['malformed JSON', '{"schemaVersion": 1,', /not valid JSON/],
    ['not an object', '[1, 2]', /not a readiness snapshot/],
    ['wrong shape', { ...snapshot({}), collectedAt: 'yesterday' }, /not a readiness snapshot: collectedAt/],
    ['an outcome of the wrong shape', snapshot({ 'aws.rds.clusters': { ok: 'yes' } }), /not a readiness snapshot: facts\.aws\.rds\.clusters/],
    ['a fact that does not match its schema', snapshot({ 'aws.rds.clusters': { ok: true, value: [{ ...cluster, deletionProtection: 'yes' }] } }), /fact aws\.rds\.clusters is malformed at 0\.deletionProtection/],
    ['schemaVersion 99', snapshot({}, { schemaVersion: 99 }), /schemaVersion 99 is not supported/],
    // One bad item among many is found, and named by its index.
    [
      'a large fact with one bad item at its end',
      snapshot({ 'aws.rds.clusters': { ok: true, value: [...Array.from({ length: 150 }, (_, i) => ({ ...cluster, id: `db-${i}` })), { ...cluster, deletionProtection: 'yes' }] } }),
      /fact aws\.rds\.clusters is malformed at 150\.deletionProtection/,
    ],
  ];
  it.each(cases)('%s', async (name, content, says) => {
    const { file, code, stdout, stderr } = await checkSnapshot(`${name.replaceAll(' ', '-')}.json`, content);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(says);
  });

  it('a missing snapshot file', async () => {
    const { code, stderr } = await runCli(['check', '--config', config, '--snapshot', join(dir, 'absent.json')]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toMatch(/absent\.json: cannot read snapshot \(ENOENT\)/);
  });

  // The snapshot is read from the start of the run, while the code loads: its failure still waits its turn, behind a
  // bad flag or a bad config, and is never an unhandled rejection.
  it.each([
    ['a bad flag', ['--format', 'nosuch'], /unknown format "nosuch"/],
    ['a config that is not there', ['--config', '/nonexistent/readiness.config.yaml'], /config file not found/],
  ])('a missing snapshot file behind %s: the first problem is the one line', async (_, args, says) => {
    const { code, stderr } = await spawnCli(['check', '--config', config, '--snapshot', join(dir, 'absent.json'), ...args]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr), stderr).toBe(true);
    expect(stderr).toMatch(says);
  });
});

describe('what a snapshot does not hold is never a pass', () => {
  it('a recorded failure stays unverified, a fact absent from the snapshot is unverified', async () => {
    const { code, stdout } = await checkSnapshot(
      'partial.json',
      snapshot({
        'aws.rds.clusters': { ok: false, failure: { kind: 'AccessDenied', message: 'AccessDenied calling rds:DescribeDBClusters', fix: 'grant rds:DescribeDBClusters' } },
        // aws.rds.instances and aws.s3.* are not in the snapshot at all
      }),
      '--only',
      'aws.rds.deletion-protection,aws.s3.encryption',
      '--format',
      'json',
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expect(report.results.map((r) => [r.checkId, r.status, r.evidence.failure])).toEqual([
      ['aws.rds.deletion-protection', 'unverified', 'AccessDenied'],
      ['aws.s3.encryption', 'unverified', 'NotFound'],
    ]);
    expect(report.results[0]!.remediation.text).toContain('grant rds:DescribeDBClusters');
  });

  it('a fact recorded cut off part-way: the buckets read keep their verdicts, each bucket not read is unverified by name', async () => {
    const partial = { kind: 'Timeout', message: 'not read before the run reached its --timeout', fix: 'raise --timeout', unread: ['b-late'], read: 1 };
    const { stdout } = await checkSnapshot(
      'cut-off.json',
      snapshot({
        'aws.s3.buckets': { ok: true, value: [{ name: 'b-read', region: 'us-east-1', exists: true }, { name: 'b-late', region: 'us-east-1', exists: true }] },
        'aws.s3.encryption': { ok: true, value: [{ bucket: 'b-read', rules: [{ algorithm: 'AES256', kmsKeyId: null, bucketKeyEnabled: false }] }], partial },
      }),
      '--only',
      'aws.s3.encryption',
      '--format',
      'json',
    );
    const report = JSON.parse(stdout) as Report;
    expect(report.results.map((r) => [r.resource, r.status, r.evidence.failure ?? null])).toEqual([
      ['b-read', 'pass', null],
      ['b-late', 'unverified', 'Timeout'],
    ]);
  });

  it('a complete, good snapshot passes', async () => {
    const { code, stdout } = await checkSnapshot(
      'good.json',
      snapshot({ 'aws.rds.clusters': { ok: true, value: [cluster] }, 'aws.rds.instances': { ok: true, value: [] } }),
      '--only',
      'aws.rds.deletion-protection',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Report).results.map((r) => [r.resource, r.status])).toEqual([['db-1', 'pass']]);
  });
});
