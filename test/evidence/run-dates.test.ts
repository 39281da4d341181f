import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import e2eCheck from '../../checks/application/app.tests.e2e.js';
import loadCheck from '../../checks/application/app.tests.load.js';
import { e2eReportsCollector } from '../../src/collectors/files/e2e-reports.js';
import { loadTestCollector } from '../../src/collectors/files/load-test.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { AnyCheck } from '../../src/model.js';
import { checkOptions } from '../../src/engine/options.js';
import { collect, collectContext } from '../probes/support/context.js';

// A checkout writes every file afresh: its mtime is the checkout's, so the clock here is the real one.
const NOW = new Date();
const TWO_YEARS_AGO = new Date(NOW.getTime() - 730 * 86_400_000).toISOString();
let root: string;

const git = (cwd: string, date: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', ...args], { cwd, env: { ...process.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date }, stdio: 'ignore' });
const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};
/** A repository holding `files`, committed two years ago, then a later commit today touching something else. */
const origin = (name: string, files: Record<string, string>) => {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, TWO_YEARS_AGO, 'init', '-q');
  for (const [path, text] of Object.entries(files)) write(join(dir, path), text);
  git(dir, TWO_YEARS_AGO, 'add', '.');
  git(dir, TWO_YEARS_AGO, 'commit', '-q', '-m', 'results');
  write(join(dir, 'README.md'), 'app\n');
  git(dir, NOW.toISOString(), 'add', 'README.md');
  git(dir, NOW.toISOString(), 'commit', '-q', '-m', 'today');
  return dir;
};
/** A fresh checkout of `source`, as CI makes it: every file's mtime is now. */
const checkout = (source: string, name: string, ...options: string[]) => {
  const dir = join(root, name);
  git(root, NOW.toISOString(), 'clone', '-q', ...options, `file://${source}`, dir);
  return dir;
};

const context = (baseDir: string, config: Partial<ConfigInput>) => collectContext(config, { baseDir, now: NOW });
const evaluate = (check: AnyCheck, facts: Record<string, unknown>, baseDir: string, config: Partial<ConfigInput>) => {
  const ctx = context(baseDir, config);
  return check.evaluate(facts as never, { config: ctx.config, now: NOW, options: checkOptions(check, ctx.config) }).map((f) => [f.resource, f.status, f.code]);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'readiness-run-dates-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Playwright's and many other JUnit reporters write no `timestamp` attribute.
const junit = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="12" failures="0" errors="0" skipped="0">\n  <testsuite name="login.spec.ts" tests="12" failures="0" errors="0" skipped="0"><testcase name="signs in" classname="login.spec.ts"/></testsuite>\n</testsuites>\n';
const k6 = JSON.stringify({
  metrics: {
    http_req_duration: { avg: 210.5, min: 40, med: 180, max: 2100, 'p(90)': 380, 'p(95)': 420 },
    http_req_failed: { passes: 20, fails: 9980, value: 0.002 },
    http_reqs: { count: 10000, rate: 33.3 },
    vus: { value: 1, min: 1, max: 60 },
    vus_max: { value: 60, min: 60, max: 60 },
  },
});
const e2eConfig = { evidence: { e2e: 'reports/e2e/*.xml' } };
const loadConfig = { evidence: { loadTest: { summary: 'reports/k6-summary.json', minUsers: 50, maxP95Ms: 800, maxErrorRate: 0.01 } } };

describe('results committed to the repository are dated by their last commit, not by the checkout', () => {
  it('fails a JUnit report without timestamp committed two years ago, though the fresh checkout made its mtime now', async () => {
    const repo = checkout(origin('e2e-origin', { 'reports/e2e/results.xml': junit }), 'e2e-clone');
    const fact = await collect(e2eReportsCollector, context(repo, e2eConfig));
    expect(evaluate(e2eCheck, { e2e: fact }, repo, e2eConfig)).toEqual([['reports/e2e/results.xml', 'fail', 'stale']]);
    expect(fact.reports[0]).toMatchObject({ file: 'reports/e2e/results.xml', dateSource: 'commit', timestamp: `${TWO_YEARS_AGO.slice(0, 10)}T00:00:00.000Z` });
  });

  it('fails a k6 summary committed two years ago, though the fresh checkout made its mtime now', async () => {
    const repo = checkout(origin('k6-origin', { 'reports/k6-summary.json': k6 }), 'k6-clone');
    const fact = await collect(loadTestCollector, context(repo, loadConfig));
    expect(evaluate(loadCheck, { summary: fact }, repo, loadConfig)).toEqual([['reports/k6-summary.json', 'fail', 'stale']]);
    expect(fact).toMatchObject({ found: true, dateSource: 'commit', modified: `${TWO_YEARS_AGO.slice(0, 10)}T00:00:00.000Z` });
  });

  it('does not pass on the boundary commit of a shallow clone (CI\'s default checkout): the real last commit may be older', async () => {
    const source = origin('shallow-origin', { 'reports/e2e/results.xml': junit, 'reports/k6-summary.json': k6 });
    const repo = checkout(source, 'shallow-clone', '--depth', '1');
    const e2e = await collect(e2eReportsCollector, context(repo, e2eConfig));
    const summary = await collect(loadTestCollector, context(repo, loadConfig));
    expect([...evaluate(e2eCheck, { e2e }, repo, e2eConfig), ...evaluate(loadCheck, { summary }, repo, loadConfig)]).toEqual([
      ['reports/e2e/results.xml', 'unverified', 'shallow-history'],
      ['reports/k6-summary.json', 'unverified', 'shallow-history'],
    ]);
    expect(e2e.reports[0]).toMatchObject({ dateSource: 'shallow-clone' });
    expect(summary).toMatchObject({ dateSource: 'shallow-clone' });
  });

  it('passes fresh results this CI job wrote (untracked, or rewriting a committed file) by their mtime', async () => {
    const repo = checkout(origin('ci-origin', { 'reports/e2e/old.xml': junit.replace('failures="0"', 'failures="1"'), 'reports/k6-summary.json': k6 }), 'ci-clone');
    write(join(repo, 'reports/e2e/results.xml'), junit);
    const e2e = await collect(e2eReportsCollector, context(repo, e2eConfig));
    expect(e2e.reports.find((r) => r.file === 'reports/e2e/results.xml')).toMatchObject({ dateSource: 'mtime' });
    expect(e2e.reports.find((r) => r.file === 'reports/e2e/old.xml')).toMatchObject({ dateSource: 'commit' });
    expect(evaluate(e2eCheck, { e2e }, repo, e2eConfig)).toEqual([['reports/e2e/results.xml', 'pass', 'passing']]);
    write(join(repo, 'reports/k6-summary.json'), k6.replace('"p(95)":420', '"p(95)":410'));
    const summary = await collect(loadTestCollector, context(repo, loadConfig));
    expect(summary).toMatchObject({ dateSource: 'mtime' });
    expect(evaluate(loadCheck, { summary }, repo, loadConfig)).toEqual([['reports/k6-summary.json', 'pass', 'targets-met']]);
  });

  it('passes fresh results outside any git repository by their mtime', async () => {
    const dir = join(root, 'no-git');
    write(join(dir, 'reports/e2e/results.xml'), junit);
    write(join(dir, 'reports/k6-summary.json'), k6);
    const e2e = await collect(e2eReportsCollector, context(dir, e2eConfig));
    expect(e2e.reports[0]).toMatchObject({ dateSource: 'mtime' });
    expect(evaluate(e2eCheck, { e2e }, dir, e2eConfig)).toEqual([['reports/e2e/results.xml', 'pass', 'passing']]);
    const summary = await collect(loadTestCollector, context(dir, loadConfig));
    expect(evaluate(loadCheck, { summary }, dir, loadConfig)).toEqual([['reports/k6-summary.json', 'pass', 'targets-met']]);
  });
});
