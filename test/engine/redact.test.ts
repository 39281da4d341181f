import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCollector } from '../../src/collectors/types.js';
import { collectFacts } from '../../src/engine/collect.js';
import { REDACTED, redact, redactReport, secretValues } from '../../src/engine/redact.js';
import type { Report } from '../../src/model.js';
import { makeConfig } from '../support/check-tester.js';
import { runCli } from '../support/cli.js';
import { collectContext, collectorMap, namesFact } from '../support/engine-fakes.js';

const TOKEN = 'sbp_0123456789abcdef0123456789abcdef';
const PASSWORD = 'hunter2-but-longer';
const DB_URL = `postgres://reader:${PASSWORD}@db.example.com:5432/postgres`;
const supabase = { projectRef: 'abcdefghijabcdefghij', accessToken: TOKEN, dbUrl: DB_URL };

describe('secretValues and redact', () => {
  it('knows the token, the database URL and its password; leaves short values alone', () => {
    const secrets = secretValues(makeConfig({ supabase }), { AWS_SECRET_ACCESS_KEY: 'testing' });
    expect(secrets).toEqual(expect.arrayContaining([TOKEN, DB_URL, PASSWORD]));
    expect(secrets).not.toContain('testing');
  });

  it('masks plain, JSON-escaped and URL-encoded forms', () => {
    const secrets = ['pa"ss/word+1'];
    expect(redact('a pa"ss/word+1 b', secrets)).toBe(`a ${REDACTED} b`);
    expect(redact(JSON.stringify({ v: 'pa"ss/word+1' }), secrets)).toBe(`{"v":"${REDACTED}"}`);
    expect(redact('?p=pa%22ss%2Fword%2B1', secrets)).toBe(`?p=${REDACTED}`);
  });
});

describe('redactReport: the report masked once, as data', () => {
  const result = { resource: `db/${TOKEN}`, evidence: { [`key ${TOKEN}`]: [`https://u:${PASSWORD}@h/x`, 'https://h/x?token=abc123', 7, null] } };
  const report = { project: 'p', results: [result, { resource: 'plain' }], blockers: [result] } as unknown as Report;

  it('masks strings and keys at any depth, URL credentials included', () => {
    const masked = redactReport(report, [TOKEN, PASSWORD]);
    const text = JSON.stringify(masked);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('abc123');
    expect(masked.results[0]!.evidence[`key ${REDACTED}`]).toEqual([`https://${REDACTED}@h/x`, `https://h/x?token=${REDACTED}`, 7, null]);
  });

  it('keeps one object for one object (a blocker is also a result), and the data unchanged where there is no secret', () => {
    const masked = redactReport(report, [TOKEN]);
    expect(masked.blockers[0]).toBe(masked.results[0]);
    const clean = { project: 'p', results: [{ resource: 'plain', n: 1, evidence: { url: 'https://h/x?a=1' } }], blockers: [] } as unknown as Report;
    expect(redactReport(clean, [TOKEN])).toBe(clean);
    expect(masked.results[1]).toBe(report.results[1]);
  });

  it('masks a value or key after clean ones that repeat it (a value seen clean under one key is skipped only under that key)', () => {
    const shared = { text: 'same for every result' };
    const results = [
      { resource: 'a', remediation: shared, message: 'plain' },
      { resource: 'b', remediation: shared, message: 'plain' },
      // Same key, another value; and a clean value under a secret key.
      { resource: 'c', remediation: { text: `token ${TOKEN}` }, message: 'plain', [`k ${TOKEN}`]: 'plain' },
      // A secret key whose value is undefined is still a key that is printed.
      { resource: 'd', [`u ${TOKEN}`]: undefined },
    ];
    const masked = redactReport({ project: 'p', results, blockers: [] } as unknown as Report, [TOKEN]);
    expect(masked.results[0]).toBe(results[0]);
    expect(masked.results[1]).toBe(results[1]);
    expect(JSON.stringify(masked.results[2])).toBe(`{"resource":"c","remediation":{"text":"token ${REDACTED}"},"message":"plain","k ${REDACTED}":"plain"}`);
    expect(Object.keys(masked.results[3]!)).toEqual(['resource', `u ${REDACTED}`]);
  });

  // Plain objects' keys are read by for-in: any other object's keys, and a key added to Object.prototype, must not
  // change what is masked or which keys the masked copy has.
  it('masks the own keys and values of any object, whatever its prototype or Object.prototype holds', () => {
    class Holder {
      secret = `s ${TOKEN}`;
    }
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { [`k ${TOKEN}`]: TOKEN });
    const results = [{ resource: 'a', evidence: { held: new Holder(), bare } }, { resource: 'b', message: `m ${TOKEN}` }];
    const expected = [{ resource: 'a', evidence: { held: { secret: `s ${REDACTED}` }, bare: { [`k ${REDACTED}`]: REDACTED } } }, { resource: 'b', message: `m ${REDACTED}` }];
    const masked = redactReport({ project: 'p', results, blockers: [] } as unknown as Report, [TOKEN]);
    expect(JSON.parse(JSON.stringify(masked.results))).toEqual(expected);
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = `p ${TOKEN}`;
    try {
      const again = redactReport({ project: 'p', results, blockers: [] } as unknown as Report, [TOKEN]);
      expect(Object.keys(again.results[1]!)).toEqual(['resource', 'message']);
      expect(JSON.stringify(again.results)).toBe(JSON.stringify(masked.results));
    } finally {
      delete prototype.polluted;
    }
  });

  it('masks URL credentials in every shape the text scan knows, and leaves a command with `=` but no query as it is', () => {
    const texts = ['see https://u:pw@h/x', 'h/x?sig=abc123', 'h/x?a=1&code=abc123', 'h/x?a=1;token=abc123', 'h/x?a=1&amp;secret=abc123'];
    const masked = redactReport({ project: 'p', results: texts.map((message) => ({ message })), blockers: [] } as unknown as Report, []);
    expect(masked.results.map((r) => r.message)).toEqual([
      `see https://${REDACTED}@h/x`,
      `h/x?sig=${REDACTED}`,
      `h/x?a=1&code=${REDACTED}`,
      `h/x?a=1;token=${REDACTED}`,
      `h/x?a=1&amp;secret=${REDACTED}`,
    ]);
    const command = { message: 'aws s3api put-bucket-versioning --versioning-configuration Status=Enabled' };
    expect(redactReport({ project: 'p', results: [command], blockers: [] } as unknown as Report, []).results[0]).toBe(command);
  });
});

describe('a failure message that quotes a secret', () => {
  it('is masked before it leaves collectFacts', async () => {
    const fact = namesFact('test.db');
    const outcomes = await collectFacts([fact], {
      collectors: collectorMap(
        defineCollector(fact, async () => {
          throw new Error(`connect ECONNREFUSED for ${DB_URL} with token ${TOKEN}`);
        }),
      ),
      context: { ...collectContext({ supabase }), env: {} },
    });
    const outcome = outcomes.get(fact.id)!;
    expect(outcome.ok).toBe(false);
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain(REDACTED);
  });
});

describe('a report never prints a secret, whatever a fact holds', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'readiness-redact-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('masks a token that reached a fact value (here a cluster ARN) in every format', async () => {
    const config = join(dir, 'readiness.config.yaml');
    await writeFile(config, 'project: p\naws:\n  region: us-east-1\nsupabase:\n  projectRef: abcdefghijabcdefghij\n  accessToken: ${SUPABASE_ACCESS_TOKEN}\n');
    const cluster = {
      id: 'db-1', arn: `arn:aws:rds:us-east-1:123456789012:cluster:${TOKEN}`, region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: null, status: null,
      endpoint: null, deletionProtection: false, storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30, members: [], parameterGroup: null, serverless: null, missing: false,
    };
    const snapshot = join(dir, 'snap.json');
    await writeFile(
      snapshot,
      JSON.stringify({
        schemaVersion: 1, tool: { name: 'readiness', version: '0.1.0' }, collectedAt: '2025-10-11T22:30:00.000Z', project: 'p', configHash: 'x',
        aws: { account: '123456789012', regions: ['us-east-1'] },
        facts: { 'aws.rds.clusters': { ok: true, value: [cluster] }, 'aws.rds.instances': { ok: true, value: [] } },
      }),
    );
    const out = join(dir, 'out');
    const run = await runCli(['check', '--config', config, '--snapshot', snapshot, '--only', 'aws.rds.deletion-protection', '--format', 'json,md,terminal', '--out', out], { SUPABASE_ACCESS_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    const { readFile } = await import('node:fs/promises');
    for (const file of ['readiness-report.json', 'readiness-report.md', 'readiness-report.txt']) {
      const text = await readFile(join(out, file), 'utf8');
      expect(text).not.toContain(TOKEN);
    }
    expect(await readFile(join(out, 'readiness-report.json'), 'utf8')).toContain(`cluster:${REDACTED}`);
    // The snapshot was collected with another config: said once, on stderr.
    expect(run.stderr).toMatch(/snap\.json was collected with another version of/);
  });
});
