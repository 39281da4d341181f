import { describe, expect, it } from 'vitest';
import e2e from '../../../checks/application/app.tests.e2e.js';
import load from '../../../checks/application/app.tests.load.js';
import dataRetention from '../../../checks/application/app.data-retention.js';
import { evaluateCheck } from '../../../src/engine/evaluate.js';
import { e2eReports } from '../../../src/facts/evidence.js';
import { makeConfig, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const NOW = '2025-10-11T22:30:00Z';
const report = (over: Record<string, unknown> = {}) => ({ file: 'reports/e2e/run.xml', timestamp: '2025-10-10T08:00:00.000Z', timestampSource: 'attribute', tests: 42, failures: 0, errors: 0, skipped: 1, ...over });

describe('app.tests.e2e', () => {
  const cases: CheckCase[] = [
    { name: 'fresh, all passed', facts: { e2e: { pattern: 'reports/*.xml', reports: [report()], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'pass', 'passing']] },
    {
      name: 'the newest report decides (an old failing one does not count)',
      facts: { e2e: { pattern: 'reports/*.xml', reports: [report({ file: 'old.xml', timestamp: '2025-09-01T00:00:00Z', failures: 3 }), report({ file: 'new.xml' })], unreadable: [] } },
      now: NOW,
      expected: [['new.xml', 'pass', 'passing']],
    },
    { name: '8 days old fails', facts: { e2e: { pattern: 'r', reports: [report({ timestamp: '2025-10-03T20:00:00Z' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'stale']] },
    { name: 'a failure fails', facts: { e2e: { pattern: 'r', reports: [report({ failures: 1 })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'failing']] },
    { name: 'an error fails', facts: { e2e: { pattern: 'r', reports: [report({ errors: 2 })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'failing']] },
    { name: 'zero tests fails', facts: { e2e: { pattern: 'r', reports: [report({ tests: 0 })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'no-tests']] },
    { name: 'every test skipped fails: nothing ran', facts: { e2e: { pattern: 'r', reports: [report({ tests: 12, skipped: 12 })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'no-tests']] },
    { name: 'no report fails', facts: { e2e: { pattern: 'reports/*.xml', reports: [], unreadable: [] } }, now: NOW, expected: [['reports/*.xml', 'fail', 'no-report']] },
    { name: 'a passing report beside an unreadable one is unverified (the unreadable one may be newer)', facts: { e2e: { pattern: 'r', reports: [report()], unreadable: [{ file: 'cut-short.xml', reason: 'unclosed tag' }] } }, now: NOW, expected: [['cut-short.xml', 'unverified', 'unreadable-report']] },
    { name: 'a failing report beside an unreadable one still fails', facts: { e2e: { pattern: 'r', reports: [report({ failures: 1 })], unreadable: [{ file: 'cut-short.xml', reason: 'unclosed tag' }] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'failing']] },
    { name: 'only unreadable files is unverified', facts: { e2e: { pattern: 'r', reports: [], unreadable: [{ file: 'bad.xml', reason: 'no <testsuites>' }] } }, now: NOW, expected: [['bad.xml', 'unverified', 'unreadable-report']] },
    { name: 'a report without timestamp, dated by its recent last commit, passes', facts: { e2e: { pattern: 'r', reports: [report({ timestampSource: 'mtime', dateSource: 'commit', timestamp: '2025-10-09T00:00:00.000Z' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'pass', 'passing']] },
    { name: 'a report without timestamp, dated by its file time (not committed), passes', facts: { e2e: { pattern: 'r', reports: [report({ timestampSource: 'mtime', dateSource: 'mtime' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'pass', 'passing']] },
    { name: 'a report without timestamp last committed two years ago fails', facts: { e2e: { pattern: 'r', reports: [report({ timestampSource: 'mtime', dateSource: 'commit', timestamp: '2023-10-11T00:00:00.000Z' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'stale']] },
    { name: 'a report without timestamp dated by a fresh shallow-clone boundary commit is unverified', facts: { e2e: { pattern: 'r', reports: [report({ timestampSource: 'mtime', dateSource: 'shallow-clone' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'unverified', 'shallow-history']] },
    { name: 'a report dated by an 8-day-old shallow-clone boundary commit fails (the real one is older still)', facts: { e2e: { pattern: 'r', reports: [report({ timestampSource: 'mtime', dateSource: 'shallow-clone', timestamp: '2025-10-03T00:00:00.000Z' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'stale']] },
    { name: 'an older snapshot: a fresh file time without the date source is unverified, not passed', facts: { e2e: { pattern: 'r', reports: [report({ timestampSource: 'mtime' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'unverified', 'date-source-not-collected']] },
    { name: 'an older snapshot: a timestamp attribute needs no date source', facts: { e2e: { pattern: 'r', reports: [report()], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'pass', 'passing']] },
    { name: 'an older snapshot: a stale file time still fails', facts: { e2e: { pattern: 'r', reports: [report({ timestampSource: 'mtime', timestamp: '2025-09-01T00:00:00.000Z' })], unreadable: [] } }, now: NOW, expected: [['reports/e2e/run.xml', 'fail', 'stale']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(e2e, c)).toEqual(c.expected));
  it('messages say where the date comes from', () => {
    const message = (over: Record<string, unknown>) => renderedMessages(e2e, { e2e: { pattern: 'r', reports: [report(over)], unreadable: [] } })[0];
    expect(message({})).toMatch(/42 tests passed, run 1 days ago/);
    expect(message({ timestampSource: 'mtime', dateSource: 'commit', timestamp: '2023-10-11T00:00:00.000Z' })).toMatch(/too old: last committed 731 days ago/);
    expect(message({ timestampSource: 'mtime', dateSource: 'mtime', timestamp: '2025-10-11T08:00:00.000Z' })).toMatch(/file modified 0 days ago/);
    expect(message({ timestampSource: 'mtime', dateSource: 'shallow-clone' })).toMatch(/shallow/);
  });
  it('the remediation has the reporter write a file the glob matches (a shell cannot redirect to a glob)', () => {
    const outcomes = new Map([[e2eReports.id, { ok: true as const, value: { pattern: 'reports/e2e/*.xml', reports: [], unreadable: [] } }]]);
    const [result] = evaluateCheck(e2e, outcomes, { config: makeConfig(), now: new Date(NOW) });
    expect(result?.remediation.command).toBe('PLAYWRIGHT_JUNIT_OUTPUT_FILE=reports/e2e/e2e-results.xml npx playwright test --reporter=junit');
  });
});

const summary = (over: Record<string, unknown> = {}) => ({ file: 'k6.json', found: true, modified: NOW, dateSource: 'mtime', p95Ms: 420, errorRate: 0.002, maxVus: 50, maxActiveVus: 50, requests: 9000, ...over });
const loadConfig = { evidence: { loadTest: { summary: 'k6.json', minUsers: 50, maxP95Ms: 800, maxErrorRate: 0.01 } } };

describe('app.tests.load', () => {
  const cases: CheckCase[] = [
    { name: 'targets met', facts: { summary: summary() }, config: loadConfig, expected: [['k6.json', 'pass', 'targets-met']] },
    { name: '10 users fails', facts: { summary: summary({ maxVus: 10, maxActiveVus: 10 }) }, config: loadConfig, expected: [['k6.json', 'fail', 'too-few-users']] },
    { name: '50 VUs allocated but at most 3 active fails', facts: { summary: summary({ maxVus: 50, maxActiveVus: 3 }) }, config: loadConfig, expected: [['k6.json', 'fail', 'too-few-users']] },
    { name: 'a summary modified two years ago fails', facts: { summary: summary({ modified: '2023-10-01T12:00:00.000Z' }) }, config: loadConfig, expected: [['k6.json', 'fail', 'stale']] },
    { name: 'a summary modified 90 days ago passes', facts: { summary: summary({ modified: '2025-07-13T20:00:00.000Z' }) }, config: loadConfig, expected: [['k6.json', 'pass', 'targets-met']] },
    { name: 'a summary modified 91 days ago fails', facts: { summary: summary({ modified: '2025-07-12T20:00:00.000Z' }) }, config: loadConfig, expected: [['k6.json', 'fail', 'stale']] },
    { name: 'a found summary with no modification time is unverified', facts: { summary: summary({ modified: null }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'age-unknown']] },
    { name: 'an unreadable modification time is unverified', facts: { summary: summary({ modified: 'yesterday' }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'age-unknown']] },
    { name: 'no HTTP request made fails', facts: { summary: summary({ requests: 0 }) }, config: loadConfig, expected: [['k6.json', 'fail', 'no-requests']] },
    { name: 'no http_reqs metric is unverified', facts: { summary: summary({ requests: null }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'incomplete-summary']] },
    { name: 'no vus metric is unverified', facts: { summary: summary({ maxActiveVus: null }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'incomplete-summary']] },
    { name: 'an older snapshot without the active-VU peak is unverified, not passed on vus_max', facts: { summary: summary({ maxActiveVus: undefined }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'active-users-not-collected']] },
    { name: 'p95 of 1.2 s fails', facts: { summary: summary({ p95Ms: 1200 }) }, config: loadConfig, expected: [['k6.json', 'fail', 'p95-too-slow']] },
    { name: '5 % errors fails', facts: { summary: summary({ errorRate: 0.05 }) }, config: loadConfig, expected: [['k6.json', 'fail', 'error-rate-too-high']] },
    { name: 'no summary file fails', facts: { summary: summary({ found: false, modified: null, p95Ms: null, errorRate: null, maxVus: null, maxActiveVus: null, requests: null }) }, config: loadConfig, expected: [['k6.json', 'fail', 'no-summary']] },
    { name: 'a summary without the metrics is unverified', facts: { summary: summary({ p95Ms: null }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'incomplete-summary']] },
    { name: 'a summary last committed 30 days ago passes', facts: { summary: summary({ dateSource: 'commit', modified: '2025-09-11T00:00:00.000Z' }) }, config: loadConfig, expected: [['k6.json', 'pass', 'targets-met']] },
    { name: 'a summary last committed two years ago fails', facts: { summary: summary({ dateSource: 'commit', modified: '2023-10-11T00:00:00.000Z' }) }, config: loadConfig, expected: [['k6.json', 'fail', 'stale']] },
    { name: 'a summary dated by a fresh shallow-clone boundary commit is unverified', facts: { summary: summary({ dateSource: 'shallow-clone' }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'shallow-history']] },
    { name: 'an older snapshot without the date source is unverified, not passed on a file time', facts: { summary: summary({ dateSource: undefined }) }, config: loadConfig, expected: [['k6.json', 'unverified', 'date-source-not-collected']] },
    { name: 'an older snapshot with a stale file time still fails', facts: { summary: summary({ dateSource: undefined, modified: '2023-10-01T12:00:00.000Z' }) }, config: loadConfig, expected: [['k6.json', 'fail', 'stale']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(load, c)).toEqual(c.expected));
  it('messages say where the date comes from', () => {
    const message = (over: Record<string, unknown>) => renderedMessages(load, { summary: summary(over) }, loadConfig)[0];
    expect(message({ dateSource: 'commit', modified: '2025-09-11T00:00:00.000Z' })).toMatch(/; last committed 30 days ago$/);
    expect(message({ dateSource: 'commit', modified: '2023-10-11T00:00:00.000Z' })).toMatch(/too old to count: last committed 731 days ago/);
    expect(message({})).toMatch(/; file modified 0 days ago$/);
  });
});

const recorded = (prefix: string | null = null) => ({ filter: { prefix, tags: [], objectSizeGreaterThan: null, objectSizeLessThan: null }, expirationDate: null, expiredObjectDeleteMarker: false, noncurrentExpirationDays: null });
const lifecycle = (bucket: string, expirationDays: number | null, enabled = true) => ({ bucket, rules: [{ id: 'r1', enabled, prefix: null, transitions: [], expirationDays, ...recorded() }] });
const awsConfig = { aws: { s3: { buckets: [{ name: 'files' }] } } };
const noLogging = { ok: true, value: [] };
const retentionAttestation = { 'data-retention': { date: '2025-09-01', by: 'CISO', evidence: 'docs/retention.md', expires: null, evidenceSha256: 'ab', evidenceFound: true } };

describe('app.data-retention', () => {
  const cases: CheckCase[] = [
    { name: 'attested passes, with or without AWS', facts: { attestations: retentionAttestation, lifecycle: { ok: false, failure: { kind: 'NotConfigured', message: 'no aws' } }, logging: noLogging }, now: NOW, expected: [['data-retention', 'pass', 'attested']] },
    { name: 'an expiration on a configured bucket passes', facts: { attestations: {}, lifecycle: { ok: true, value: [lifecycle('files', 2555)] }, logging: noLogging }, config: awsConfig, now: NOW, expected: [['files', 'pass', 'lifecycle-expiration']] },
    { name: 'a disabled rule or another bucket does not count', facts: { attestations: {}, lifecycle: { ok: true, value: [lifecycle('files', 2555, false), lifecycle('other', 30)] }, logging: noLogging }, config: awsConfig, now: NOW, expected: [['data-retention', 'fail', 'attestation-missing']] },
    { name: 'transitions only fails', facts: { attestations: {}, lifecycle: { ok: true, value: [lifecycle('files', null)] }, logging: noLogging }, config: awsConfig, now: NOW, expected: [['data-retention', 'fail', 'attestation-missing']] },
    { name: 'a configured bucket marked phi: false is no evidence', facts: { attestations: {}, lifecycle: { ok: true, value: [lifecycle('logs', 3000)] }, logging: noLogging }, config: { aws: { s3: { buckets: [{ name: 'files' }, { name: 'logs', phi: false }] } } }, now: NOW, expected: [['data-retention', 'fail', 'attestation-missing']] },
    { name: 'PHI expiring before six years fails, even attested', facts: { attestations: retentionAttestation, lifecycle: { ok: true, value: [lifecycle('files', 365)] }, logging: noLogging }, config: awsConfig, now: NOW, expected: [['files', 'fail', 'phi-expires-early']] },
    { name: 'a prefix-only rule is no evidence for the bucket', facts: { attestations: {}, lifecycle: { ok: true, value: [{ bucket: 'files', rules: [{ id: 'r', enabled: true, prefix: 'exports/', transitions: [], expirationDays: 2555, ...recorded('exports/') }] }] }, logging: noLogging }, config: awsConfig, now: NOW, expected: [['data-retention', 'fail', 'attestation-missing']] },
    { name: 'explicit options: a 10-year period fails a 7-year expiry', facts: { attestations: {}, lifecycle: { ok: true, value: [lifecycle('files', 2555)] }, logging: noLogging }, config: awsConfig, options: { minRetentionDays: 3650 }, now: NOW, expected: [['files', 'fail', 'phi-expires-early']] },
    { name: 'attested, but lifecycle unreadable: unverified (PHI may expire early)', facts: { attestations: retentionAttestation, lifecycle: { ok: false, failure: { kind: 'AccessDenied', message: 'grant s3:GetLifecycleConfiguration' } }, logging: noLogging }, config: awsConfig, now: NOW, expected: [['data-retention', 'unverified', 'lifecycle-unverified']] },
    { name: 'lifecycle unreadable and no attestation is unverified', facts: { attestations: {}, lifecycle: { ok: false, failure: { kind: 'AccessDenied', message: 'grant s3:GetLifecycleConfiguration' } }, logging: noLogging }, config: awsConfig, now: NOW, expected: [['data-retention', 'unverified', 'lifecycle-unverified']] },
    { name: 'neither, without AWS, fails', facts: { attestations: {}, lifecycle: { ok: false, failure: { kind: 'NotConfigured', message: 'no aws' } }, logging: noLogging }, now: NOW, expected: [['data-retention', 'fail', 'attestation-missing']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(dataRetention, c)).toEqual(c.expected));
});
