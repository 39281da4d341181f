import { defineCheck, type Finding } from '../../src/model.js';
import { loadTestSummary } from '../../src/facts/evidence.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'app.tests.load',
    title: 'Load test meets its targets',
    failureTitle: 'Load test missing or below its targets',
    description: 'A k6 `--summary-export` summary must show at least `minUsers` virtual users, a p95 request duration within `maxP95Ms` and a failed-request rate within `maxErrorRate`.',
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
      'targets-met': '{{maxVus}} users, p95 {{p95Ms}} ms (≤ {{maxP95Ms}}), {{errorPercent}} % errors (≤ {{maxErrorPercent}} %)',
      'no-summary': 'No load-test summary at {{file}}',
      'incomplete-summary': '{{file}} lacks http_req_duration p(95), http_req_failed or vus_max',
      'too-few-users': 'The load test ran {{maxVus}} users, fewer than {{minUsers}}',
      'p95-too-slow': 'p95 request duration {{p95Ms}} ms exceeds {{maxP95Ms}} ms',
      'error-rate-too-high': '{{errorPercent}} % of requests failed (at most {{maxErrorPercent}} %)',
    },
  },
  facts: { summary: loadTestSummary },
  evaluate({ summary }, { config }) {
    const targets = config.evidence.loadTest ?? { minUsers: 50, maxP95Ms: 800, maxErrorRate: 0.01 };
    const args = {
      file: summary.file,
      fileWord: shellQuote(summary.file),
      minUsers: targets.minUsers,
      maxP95Ms: targets.maxP95Ms,
      maxErrorPercent: targets.maxErrorRate * 100,
      maxVus: summary.maxVus ?? 'unknown',
      p95Ms: summary.p95Ms === null ? 'unknown' : Math.round(summary.p95Ms),
      errorPercent: summary.errorRate === null ? 'unknown' : Math.round(summary.errorRate * 10_000) / 100,
    };
    const evidence = { file: summary.file, modified: summary.modified, maxVus: summary.maxVus, p95Ms: summary.p95Ms, errorRate: summary.errorRate, requests: summary.requests };
    const result = (status: Finding['status'], code: string): Finding[] => [{ resource: summary.file, status, code, args, evidence }];
    if (!summary.found) return result('fail', 'no-summary');
    if (summary.p95Ms === null || summary.errorRate === null || summary.maxVus === null) return result('unverified', 'incomplete-summary');
    if (summary.maxVus < targets.minUsers) return result('fail', 'too-few-users');
    if (summary.p95Ms > targets.maxP95Ms) return result('fail', 'p95-too-slow');
    if (summary.errorRate > targets.maxErrorRate) return result('fail', 'error-rate-too-high');
    return result('pass', 'targets-met');
  },
});
