import { defineCheck, type Finding } from '../../src/model.js';
import { loadTestSummary } from '../../src/facts/evidence.js';
import { shellQuote } from '../lib/shell.js';

const DAY_MS = 86_400_000;
const MAX_AGE_DAYS = 90;
const DATED = { commit: 'last committed', 'shallow-clone': "shallow clone's boundary committed", mtime: 'file modified' } as const;

export default defineCheck({
  meta: {
    id: 'app.tests.load',
    title: 'Load test meets its targets',
    failureTitle: 'Load test missing or below its targets',
    description: 'A k6 `--summary-export` summary, dated in the last 90 days (k6 writes no run date: a summary committed to git is dated by its last commit, as a checkout gives it a fresh file time; any other by its file time), must show HTTP requests made by at least `minUsers` active virtual users (the peak of `vus`, not the VUs allocated in `vus_max`), a p95 request duration within `maxP95Ms` and a failed-request rate within `maxErrorRate`.',
    section: 'application',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Run a k6 load test with the configured number of users against the staging stack and export its summary where `evidence.loadTest.summary` points',
      command: 'k6 run --vus {{minUsers}} --duration 10m --summary-export {{fileWord}} load-test.js',
      effortMinutes: 240,
    },
    messages: {
      'targets-met': '{{activeVus}} active users, {{requests}} requests, p95 {{p95Ms}} ms (≤ {{maxP95Ms}}), {{errorPercent}} % errors (≤ {{maxErrorPercent}} %); {{dated}}',
      'no-summary': 'No load-test summary at {{file}}',
      'stale': '{{file}} is too old to count: {{dated}} (at most {{maxAgeDays}})',
      'age-unknown': 'When {{file}} was written is not known',
      'date-source-not-collected': 'Whether the date of {{file}} is its last commit or its file time was not collected (snapshot from an older version): collect again',
      'shallow-history': '{{file}} is committed, but the git history is shallow: its date ({{dated}}) is the clone\'s boundary commit, and its real last commit may be older',
      'active-users-not-collected': 'The peak of active users (`vus`) in {{file}} was not collected (snapshot from an older version): collect again',
      'incomplete-summary': '{{file}} lacks http_req_duration p(95), http_req_failed, vus or http_reqs',
      'no-requests': '{{file}} records no HTTP request: the test put no load on anything',
      'too-few-users': 'The load test ran at most {{activeVus}} active users ({{maxVus}} allocated), fewer than {{minUsers}}',
      'p95-too-slow': 'p95 request duration {{p95Ms}} ms exceeds {{maxP95Ms}} ms',
      'error-rate-too-high': '{{errorPercent}} % of requests failed (at most {{maxErrorPercent}} %)',
    },
  },
  facts: { summary: loadTestSummary },
  evaluate({ summary }, { config, now }) {
    const targets = config.evidence.loadTest ?? { minUsers: 50, maxP95Ms: 800, maxErrorRate: 0.01 };
    const modifiedMs = summary.modified === null ? Number.NaN : Date.parse(summary.modified);
    const ageDays = Number.isNaN(modifiedMs) ? null : Math.floor((now.getTime() - modifiedMs) / DAY_MS);
    const args = {
      file: summary.file,
      fileWord: shellQuote(summary.file),
      minUsers: targets.minUsers,
      maxP95Ms: targets.maxP95Ms,
      maxErrorPercent: targets.maxErrorRate * 100,
      maxVus: summary.maxVus ?? 'unknown',
      activeVus: summary.maxActiveVus ?? 'unknown',
      requests: summary.requests ?? 'unknown',
      ageDays: ageDays ?? 'unknown',
      dated: `${DATED[summary.dateSource ?? 'mtime']} ${ageDays ?? 'unknown'} days ago`,
      maxAgeDays: MAX_AGE_DAYS,
      p95Ms: summary.p95Ms === null ? 'unknown' : Math.round(summary.p95Ms),
      errorPercent: summary.errorRate === null ? 'unknown' : Math.round(summary.errorRate * 10_000) / 100,
    };
    const evidence = {
      file: summary.file,
      modified: summary.modified,
      dateSource: summary.dateSource ?? null,
      ageDays,
      maxVus: summary.maxVus,
      maxActiveVus: summary.maxActiveVus ?? null,
      p95Ms: summary.p95Ms,
      errorRate: summary.errorRate,
      requests: summary.requests,
    };
    const result = (status: Finding['status'], code: string): Finding[] => [{ resource: summary.file, status, code, args, evidence }];
    if (!summary.found) return result('fail', 'no-summary');
    if (ageDays === null) return result('unverified', 'age-unknown');
    if (ageDays > MAX_AGE_DAYS) return result('fail', 'stale');
    if (summary.maxActiveVus === undefined) return result('unverified', 'active-users-not-collected');
    if (summary.p95Ms === null || summary.errorRate === null || summary.maxActiveVus === null || summary.requests === null) return result('unverified', 'incomplete-summary');
    // Without a request the latency and error figures describe nothing.
    if (summary.requests <= 0) return result('fail', 'no-requests');
    if (summary.maxActiveVus < targets.minUsers) return result('fail', 'too-few-users');
    if (summary.p95Ms > targets.maxP95Ms) return result('fail', 'p95-too-slow');
    if (summary.errorRate > targets.maxErrorRate) return result('fail', 'error-rate-too-high');
    // A recent date may be a checkout's mtime or a shallow clone's commit: neither proves a recent run.
    if (summary.dateSource === undefined) return result('unverified', 'date-source-not-collected');
    if (summary.dateSource === 'shallow-clone') return result('unverified', 'shallow-history');
    return result('pass', 'targets-met');
  },
});
