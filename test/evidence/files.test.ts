import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import e2eCheck from '../../checks/application/app.tests.e2e.js';
import loadCheck from '../../checks/application/app.tests.load.js';
import runbookCheck from '../../checks/compliance/compliance.runbook.js';
import incidentCheck from '../../checks/compliance/compliance.incident-response.js';
import policiesCheck from '../../checks/compliance/compliance.security-policies.js';
import breachCheck from '../../checks/compliance/compliance.breach-notification.js';
import trackingCheck from '../../checks/monitoring/monitoring.error-tracking.js';
import { attestationsCollector } from '../../src/collectors/files/attestations.js';
import { documentsCollector } from '../../src/collectors/files/documents.js';
import { e2eReportsCollector } from '../../src/collectors/files/e2e-reports.js';
import { errorTrackingCollector } from '../../src/collectors/files/error-tracking.js';
import { loadTestCollector } from '../../src/collectors/files/load-test.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { AnyCheck } from '../../src/model.js';
import { DOCUMENT_TOPICS } from '../../checks/lib/document.js';
import { renderedCommands, renderedMessages } from '../support/check-tester.js';
import { collect, collectContext } from '../probes/support/context.js';
import { checkOptions } from '../../src/engine/options.js';

const NOW = new Date('2025-10-11T22:30:00Z');
let root: string;

const write = (path: string, text: string, mtime?: string) => {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  if (mtime) utimesSync(full, new Date(mtime), new Date(mtime));
};
const context = (config: Partial<ConfigInput>) => collectContext(config, { baseDir: root, now: NOW });
const evaluate = (check: AnyCheck, facts: Record<string, unknown>, config: Partial<ConfigInput>) =>
  check.evaluate(facts as never, { config: context(config).config, now: NOW, options: checkOptions(check, context(config).config) }).map((f) => [f.resource, f.status, f.code]);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'readiness-evidence-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const junit = (attrs: string, cases = '<testcase name="login" classname="auth"/>') => `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attrs}>\n  <testsuite name="e2e" ${attrs}>${cases}</testsuite>\n</testsuites>\n`;

describe('JUnit XML reports (app.tests.e2e)', () => {
  it('takes the newest report by its timestamp attribute, else by file time', async () => {
    write('a/reports/old.xml', junit('tests="10" failures="2" errors="0" timestamp="2025-09-01T10:00:00"'));
    write('a/reports/new.xml', junit('tests="12" failures="0" errors="0" timestamp="2025-10-10T10:00:00"'));
    write('a/reports/no-stamp.xml', '<testsuite name="x" tests="3" failures="0" errors="0"/>', '2025-10-01T00:00:00Z');
    const config = { evidence: { e2e: 'a/reports/*.xml' } };
    const fact = await collect(e2eReportsCollector, context(config));
    expect(fact.reports.find((r) => r.file === 'a/reports/no-stamp.xml')).toMatchObject({ tests: 3, timestampSource: 'mtime', timestamp: '2025-10-01T00:00:00.000Z' });
    expect(fact.reports.find((r) => r.file === 'a/reports/new.xml')).toMatchObject({ tests: 12, timestampSource: 'attribute', timestamp: '2025-10-10T10:00:00.000Z' });
    expect(evaluate(e2eCheck, { e2e: fact }, config)).toEqual([['a/reports/new.xml', 'pass', 'passing']]);
  });

  it('fails a newest report with failures (summed over suites when the root has no counts), and a stale one', async () => {
    write('b/run.xml', '<testsuites><testsuite name="a" tests="4" failures="1" errors="0" timestamp="2025-10-11T08:00:00Z"/><testsuite name="b" tests="5" failures="0" errors="1"/></testsuites>');
    const fact = await collect(e2eReportsCollector, context({ evidence: { e2e: 'b/*.xml' } }));
    expect(fact.reports[0]).toMatchObject({ tests: 9, failures: 1, errors: 1 });
    expect(evaluate(e2eCheck, { e2e: fact }, {})).toEqual([['b/run.xml', 'fail', 'failing']]);
    write('c/run.xml', junit('tests="5" failures="0" errors="0" timestamp="2025-09-20T00:00:00Z"'));
    const stale = await collect(e2eReportsCollector, context({ evidence: { e2e: 'c/*.xml' } }));
    expect(evaluate(e2eCheck, { e2e: stale }, {})).toEqual([['c/run.xml', 'fail', 'stale']]);
  });

  it('no match fails, a non-JUnit file is unverified, and no `evidence.e2e` is not assessed', async () => {
    const none = await collect(e2eReportsCollector, context({ evidence: { e2e: 'nothing/*.xml' } }));
    expect(evaluate(e2eCheck, { e2e: none }, {})).toEqual([['nothing/*.xml', 'fail', 'no-report']]);
    write('d/junk.xml', '<html><body>not junit</body></html>');
    const junk = await collect(e2eReportsCollector, context({ evidence: { e2e: 'd/*.xml' } }));
    expect(evaluate(e2eCheck, { e2e: junk }, {})).toEqual([['d/junk.xml', 'unverified', 'unreadable-report']]);
    await expect(e2eReportsCollector.collect(context({}))).rejects.toMatchObject({ kind: 'NotConfigured' });
  });
});

// Shapes of k6 v0.5x `--summary-export` output (flat metrics) and of handleSummary JSON (`values`).
// `vus` is the gauge of VUs running an iteration, `vus_max` the VUs allocated; `requests: null` leaves out http_reqs.
const k6Export = (p95: number, failed: number, vus: number, { active = vus, requests = 10000 as number | null } = {}) =>
  JSON.stringify({
    metrics: {
      http_req_duration: { avg: 210.5, min: 40, med: 180, max: 2100, 'p(90)': p95 * 0.9, 'p(95)': p95 },
      http_req_failed: { passes: Math.round(failed * 10000), fails: 10000 - Math.round(failed * 10000), value: failed },
      vus: { value: 1, min: 1, max: active },
      vus_max: { value: vus, min: vus, max: vus },
      ...(requests === null ? {} : { http_reqs: { count: requests, rate: requests / 300 } }),
    },
  });

describe('k6 summaries (app.tests.load)', () => {
  const config = (file: string) => ({ evidence: { loadTest: { summary: file, minUsers: 50, maxP95Ms: 800, maxErrorRate: 0.01 } } });

  it('reads --summary-export and handleSummary formats', async () => {
    write('k6/ok.json', k6Export(420, 0.002, 60));
    const ok = await collect(loadTestCollector, context(config('k6/ok.json')));
    expect(ok).toMatchObject({ found: true, p95Ms: 420, errorRate: 0.002, maxVus: 60, requests: 10000 });
    expect(evaluate(loadCheck, { summary: ok }, config('k6/ok.json'))).toEqual([['k6/ok.json', 'pass', 'targets-met']]);
    write('k6/handle.json', JSON.stringify({ metrics: { http_req_duration: { type: 'trend', values: { 'p(95)': 950 } }, http_req_failed: { type: 'rate', values: { rate: 0 } }, http_reqs: { type: 'counter', values: { count: 5000, rate: 8.3 } }, vus: { type: 'gauge', values: { value: 2, min: 1, max: 80 } }, vus_max: { type: 'gauge', values: { value: 80, max: 80 } } } }));
    const slow = await collect(loadTestCollector, context(config('k6/handle.json')));
    expect(evaluate(loadCheck, { summary: slow }, config('k6/handle.json'))).toEqual([['k6/handle.json', 'fail', 'p95-too-slow']]);
  });

  it('fails too few users and too many errors, fails a missing file, rejects non-JSON', async () => {
    write('k6/few.json', k6Export(300, 0, 10));
    expect(evaluate(loadCheck, { summary: await collect(loadTestCollector, context(config('k6/few.json'))) }, config('k6/few.json'))).toEqual([['k6/few.json', 'fail', 'too-few-users']]);
    write('k6/errors.json', k6Export(300, 0.05, 50));
    expect(evaluate(loadCheck, { summary: await collect(loadTestCollector, context(config('k6/errors.json'))) }, config('k6/errors.json'))).toEqual([['k6/errors.json', 'fail', 'error-rate-too-high']]);
    const missing = await collect(loadTestCollector, context(config('k6/none.json')));
    expect(evaluate(loadCheck, { summary: missing }, config('k6/none.json'))).toEqual([['k6/none.json', 'fail', 'no-summary']]);
    write('k6/bad.json', 'running (10m00s), 00/50 VUs');
    await expect(loadTestCollector.collect(context(config('k6/bad.json')))).rejects.toMatchObject({ kind: 'MalformedResponse' });
  });

  it('fails a summary whose file was last modified two years ago, saying the date is the file time', async () => {
    write('k6/old.json', k6Export(420, 0.002, 60), '2023-10-01T12:00:00Z');
    const old = await collect(loadTestCollector, context(config('k6/old.json')));
    expect(evaluate(loadCheck, { summary: old }, config('k6/old.json'))).toEqual([['k6/old.json', 'fail', 'stale']]);
    expect(renderedMessages(loadCheck, { summary: old }, config('k6/old.json'))[0]).toMatch(/file modified 741 days ago/);
  });

  it('judges users by the peak of `vus` (active), not `vus_max` (allocated by an arrival-rate executor)', async () => {
    // constant-arrival-rate with preAllocatedVUs 50: 50 VUs allocated, at most 3 ever running an iteration.
    write('k6/arrival.json', k6Export(120, 0, 50, { active: 3 }));
    const arrival = await collect(loadTestCollector, context(config('k6/arrival.json')));
    expect(arrival).toMatchObject({ maxVus: 50, maxActiveVus: 3 });
    expect(evaluate(loadCheck, { summary: arrival }, config('k6/arrival.json'))).toEqual([['k6/arrival.json', 'fail', 'too-few-users']]);
    write('k6/arrival-handle.json', JSON.stringify({ state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 600000 }, metrics: { http_req_duration: { type: 'trend', contains: 'time', values: { 'p(95)': 120 } }, http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 900 } }, http_reqs: { type: 'counter', contains: 'default', values: { count: 900, rate: 1.5 } }, vus: { type: 'gauge', contains: 'default', values: { value: 1, min: 0, max: 3 } }, vus_max: { type: 'gauge', contains: 'default', values: { value: 50, min: 50, max: 50 } } } }));
    const handle = await collect(loadTestCollector, context(config('k6/arrival-handle.json')));
    expect(handle).toMatchObject({ maxVus: 50, maxActiveVus: 3, requests: 900 });
    expect(evaluate(loadCheck, { summary: handle }, config('k6/arrival-handle.json'))).toEqual([['k6/arrival-handle.json', 'fail', 'too-few-users']]);
  });

  it('does not pass a summary that records no HTTP request', async () => {
    write('k6/zero.json', k6Export(420, 0, 60, { requests: 0 }));
    const zero = await collect(loadTestCollector, context(config('k6/zero.json')));
    expect(evaluate(loadCheck, { summary: zero }, config('k6/zero.json'))).toEqual([['k6/zero.json', 'fail', 'no-requests']]);
    write('k6/no-reqs.json', k6Export(420, 0, 60, { requests: null }));
    const none = await collect(loadTestCollector, context(config('k6/no-reqs.json')));
    expect(none.requests).toBeNull();
    expect(evaluate(loadCheck, { summary: none }, config('k6/no-reqs.json'))).toEqual([['k6/no-reqs.json', 'unverified', 'incomplete-summary']]);
  });
});

/** A document of a kind with every section it needs, written out. */
const substantial = (kind: string, frontMatter: string) =>
  `${frontMatter}# ${kind}\n${(DOCUMENT_TOPICS[kind] ?? []).map((t) => `\n## ${t.heading}\n\nWhat we do here, who does it and how it is recorded.\n`).join('')}`;

describe('documents (compliance.*)', () => {
  it('dates a document by front matter (its last commit is no review); missing and stale documents fail', async () => {
    write('docs/security-policies.md', substantial('security-policies', '---\ntitle: Security policies\nreviewed: 2025-06-01\nreviewer: Jane Doe (CISO)\n---\n'));
    write('docs/incident-response.md', substantial('incident-response', '---\nreviewed: 2024-08-01\nreviewer: Jane Doe\n---\n'));
    write('docs/runbook.md', substantial('runbook', '---\nreviewer: Ops lead\n---\n'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', ...args], { cwd: join(root, 'docs'), env: { ...process.env, GIT_COMMITTER_DATE: '2025-09-15T12:00:00Z', GIT_AUTHOR_DATE: '2025-09-15T12:00:00Z' }, stdio: 'ignore' });
    git('init', '-q');
    git('add', 'runbook.md');
    git('commit', '-q', '-m', 'runbook');
    const config = { documents: { 'security-policies': 'docs/security-policies.md', 'incident-response': 'docs/incident-response.md', runbook: 'docs/runbook.md', 'breach-notification': 'docs/breach-notification.md' } };
    const fact = await collect(documentsCollector, context(config));
    expect(fact.find((d) => d.name === 'runbook')).toMatchObject({ exists: true, reviewed: '2025-09-15', reviewedSource: 'git', reviewer: 'Ops lead' });
    expect(evaluate(policiesCheck, { documents: fact }, config)).toEqual([['docs/security-policies.md', 'pass', 'document-current']]);
    expect(evaluate(incidentCheck, { documents: fact }, config)).toEqual([['docs/incident-response.md', 'fail', 'review-stale']]);
    expect(evaluate(runbookCheck, { documents: fact }, config)).toEqual([['docs/runbook.md', 'unverified', 'review-date-unknown']]);
    expect(evaluate(breachCheck, { documents: fact }, config)).toEqual([['docs/breach-notification.md', 'fail', 'document-missing']]);
  });

  it('an uncommitted document without a review date is unverified', async () => {
    write('loose/runbook.md', substantial('runbook', '---\nreviewer: Ops lead\n---\n'));
    const config = { documents: { runbook: 'loose/runbook.md' } };
    const fact = await collect(documentsCollector, context(config));
    expect(evaluate(runbookCheck, { documents: fact }, config)).toEqual([['loose/runbook.md', 'unverified', 'review-date-unknown']]);
    await expect(documentsCollector.collect(context({}))).rejects.toMatchObject({ kind: 'NotConfigured' });
  });

  it('a 52-byte stub with a review date fails: no sections, no reviewer; its sha256 is in the evidence', async () => {
    const stub = '---\nreviewed: 2025-10-11\n---\n\n# incident-response\n';
    write('stub/incident-response.md', stub);
    const config = { documents: { 'incident-response': 'stub/incident-response.md' } };
    const fact = await collect(documentsCollector, context(config));
    expect(evaluate(incidentCheck, { documents: fact }, config)).toEqual([['stub/incident-response.md', 'fail', 'sections-missing']]);
    const [finding] = incidentCheck.evaluate({ documents: fact } as never, { config: context(config).config, now: NOW, options: {} });
    expect(finding?.evidence?.sha256).toBe(createHash('sha256').update(stub).digest('hex'));
  });

  it('the fix command writes a template that fails until it is filled in and a reviewer named', async () => {
    const config = { documents: { 'incident-response': 'fix/docs/incident response.md' } };
    const missing = await collect(documentsCollector, context(config));
    const [command] = renderedCommands(incidentCheck, { documents: missing }, config);
    expect(command).toContain("'fix/docs/incident response.md'");
    execFileSync('bash', ['-c', command!], { cwd: root });
    const template = await collect(documentsCollector, context(config));
    expect(evaluate(incidentCheck, { documents: template }, config)).toEqual([['fix/docs/incident response.md', 'fail', 'sections-empty']]);
    execFileSync('bash', ['-c', command!], { cwd: root }); // never overwrites
    const path = join(root, 'fix/docs/incident response.md');
    const filled = readFileSync(path, 'utf8').replace(/TODO: write this section\./g, 'Who does what, in which order, and where it is written down.');
    writeFileSync(path, filled);
    const written = await collect(documentsCollector, context(config));
    expect(evaluate(incidentCheck, { documents: written }, config)).toEqual([['fix/docs/incident response.md', 'fail', 'no-reviewer']]);
    writeFileSync(path, filled.replace('reviewer:', 'reviewer: Jane Doe').replace('reviewed: YYYY-MM-DD', 'reviewed: 2025-10-01'));
    const reviewed = await collect(documentsCollector, context(config));
    expect(evaluate(incidentCheck, { documents: reviewed }, config)).toEqual([['fix/docs/incident response.md', 'pass', 'document-current']]);
  });
});


describe('error tracking (monitoring.error-tracking)', () => {
  const KEY = '0123456789abcdef0123456789abcdef';

  it('finds a Sentry DSN in the built bundle and never keeps its key', async () => {
    write('dist/index.html', '<script type="module" src="/assets/index-3f2a.js"></script>');
    write('dist/assets/index-3f2a.js', `var e={};Sentry.init({dsn:"https://${KEY}@o4504.ingest.us.sentry.io/4505",tracesSampleRate:.1});`);
    write('dist/assets/index-3f2a.js.map', `{"sourcesContent":["// https://${KEY}@o1.ingest.sentry.io/1"]}`);
    const config = { domain: { name: 'example.test', frontendBuildDir: 'dist' } };
    const fact = await collect(errorTrackingCollector, context(config));
    expect(fact).toMatchObject({ found: true, source: 'bundle', provider: 'sentry', file: 'assets/index-3f2a.js', redactedDsn: 'https://***@o4504.ingest.us.sentry.io/4505' });
    expect(JSON.stringify(fact)).not.toContain(KEY);
    expect(evaluate(trackingCheck, { tracking: fact }, config)).toEqual([['frontend', 'pass', 'configured']]);
  });

  it('a DSN from config is redacted; a bundle without any tracker fails; Datadog RUM is recognised', async () => {
    const fromConfig = await collect(errorTrackingCollector, context({ evidence: { errorTrackingDsn: `https://${KEY}@o1.ingest.sentry.io/2` } }));
    expect(fromConfig).toMatchObject({ found: true, source: 'config', redactedDsn: 'https://***@o1.ingest.sentry.io/2' });
    expect(JSON.stringify(fromConfig)).not.toContain(KEY);
    write('bare/assets/app.js', 'console.log("no tracker here")');
    const bare = await collect(errorTrackingCollector, context({ domain: { name: 'example.test', frontendBuildDir: 'bare' } }));
    expect(evaluate(trackingCheck, { tracking: bare }, {})).toEqual([['frontend', 'fail', 'not-in-bundle']]);
    write('rum/assets/app.js', 'datadogRum.init({clientToken:"pub0123",site:"datadoghq.com"});fetch("https://browser-intake-datadoghq.com/api/v2/rum")');
    const rum = await collect(errorTrackingCollector, context({ domain: { name: 'example.test', frontendBuildDir: 'rum' } }));
    expect(rum).toMatchObject({ found: true, provider: 'datadog-rum' });
    const nothing = await collect(errorTrackingCollector, context({}));
    expect(evaluate(trackingCheck, { tracking: nothing }, {})).toEqual([['frontend', 'fail', 'not-configured']]);
  });
});

describe('error tracking scan out of time', () => {
  it('is a Timeout (unverified), not "no tracker in the bundle"', async () => {
    write('slow/assets/app.js', 'console.log("not reached")');
    const late = collectContext({ domain: { name: 'example.test', frontendBuildDir: 'slow' } }, { baseDir: root, now: NOW, timeoutMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(errorTrackingCollector.collect(late)).rejects.toMatchObject({ kind: 'Timeout' });
  });
});

describe('attestation evidence links', () => {
  it('keep no credential of a pre-signed or basic-auth link in the fact', async () => {
    const signature = 'f00dfeedcafe0123456789abcdef0123456789abcdef0123456789abcdef0123';
    const presigned = `https://evidence.s3.amazonaws.com/baa.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20251011&X-Amz-Signature=${signature}&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE`;
    const config = {
      attestations: {
        'aws-baa': { signed: '2025-10-01', by: 'Jane Doe', evidence: presigned },
        'supabase-baa': { signed: '2025-10-01', by: 'Jane Doe', evidence: 'https://auditor:Hunter2-Secret@docs.example.com/baa.pdf' },
      },
    };
    const fact = await collect(attestationsCollector, context(config));
    const text = JSON.stringify(fact);
    for (const secret of [signature, 'IQoJb3JpZ2luX2VjEXAMPLE', 'AKIAEXAMPLE', 'Hunter2-Secret']) expect(text).not.toContain(secret);
    expect(fact).toMatchObject({ 'aws-baa': { evidence: expect.stringContaining('https://evidence.s3.amazonaws.com/baa.pdf?') }, 'supabase-baa': { evidence: 'https://docs.example.com/baa.pdf' } });
  });
});
