import { defineCheck, type Finding, type FactValue } from '../../src/model.js';
import { e2eReports } from '../../src/facts/evidence.js';
import { shellQuote } from '../lib/shell.js';

const DAY_MS = 86_400_000;
const MAX_AGE_DAYS = 7;

export default defineCheck({
  meta: {
    id: 'app.tests.e2e',
    title: 'End-to-end tests passed in the last 7 days',
    failureTitle: 'No recent, passing end-to-end test report',
    description: 'The newest JUnit XML report of the end-to-end suite (`evidence.e2e`) must be at most 7 days old, with tests run and none failed or errored: evidence that the critical flows (login, client records, notes, telehealth) still work. A report without a `timestamp` is dated by its last commit when committed to git (a checkout gives it a fresh file time), else by its file time.',
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.308(a)(8)'],
    phase: 2,
    remediation: {
      text: 'Run the end-to-end suite against the production-like environment with a JUnit reporter, and write the report where `evidence.e2e` points',
      command: 'PLAYWRIGHT_JUNIT_OUTPUT_FILE={{reportFile}} npx playwright test --reporter=junit',
      effortMinutes: 120,
    },
    messages: {
      passing: '{{resource}}: {{tests}} tests passed, {{dated}}',
      'no-report': 'No end-to-end report matches {{pattern}}',
      'unreadable-report': 'The reports matching {{pattern}} are not readable JUnit XML ({{reason}})',
      stale: 'The newest end-to-end report, {{resource}}, is too old: {{dated}} (at most 7 days)',
      'date-source-not-collected': '{{resource}} has no timestamp, and whether its date is its last commit or its file time was not collected (snapshot from an older version): collect again',
      'shallow-history': '{{resource}} has no timestamp and is committed, but the git history is shallow: its date ({{dated}}) is the clone\'s boundary commit, and its real last commit may be older',
      failing: '{{resource}}: {{failures}} failures and {{errors}} errors in {{tests}} tests',
      'no-tests': '{{resource}} ran no test ({{tests}} listed, {{skipped}} skipped)',
    },
  },
  facts: { e2e: e2eReports },
  evaluate({ e2e }, { now }) {
    const pattern = e2e.pattern;
    const reportFile = shellQuote(reportFileFor(pattern));
    const newest = [...e2e.reports].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp))[0];
    if (!newest) {
      const unreadable = e2e.unreadable[0];
      if (unreadable) return [{ resource: unreadable.file, status: 'unverified', code: 'unreadable-report', args: { pattern, reportFile, reason: unreadable.reason } }];
      return [{ resource: pattern, status: 'fail', code: 'no-report', args: { pattern, reportFile } }];
    }
    const ageDays = Math.floor((now.getTime() - Date.parse(newest.timestamp)) / DAY_MS);
    const args = { pattern, reportFile, tests: newest.tests, failures: newest.failures, errors: newest.errors, skipped: newest.skipped, ageDays, dated: dated(newest, ageDays) };
    const evidence = { file: newest.file, timestamp: newest.timestamp, timestampSource: newest.timestampSource, dateSource: newest.dateSource ?? null, tests: newest.tests, failures: newest.failures, errors: newest.errors, skipped: newest.skipped, ageDays };
    const result = (status: Finding['status'], code: string): Finding[] => [{ resource: newest.file, status, code, args, evidence }];
    if (ageDays > MAX_AGE_DAYS) return result('fail', 'stale');
    if (newest.failures + newest.errors > 0) return result('fail', 'failing');
    // Skipped tests did not pass: a report where everything was skipped proves nothing.
    if (newest.tests - newest.skipped <= 0) return result('fail', 'no-tests');
    // Without a timestamp, a recent date may be a checkout's mtime or a shallow clone's commit: neither proves a recent run.
    if (newest.timestampSource !== 'attribute' && newest.dateSource === undefined) return result('unverified', 'date-source-not-collected');
    if (newest.dateSource === 'shallow-clone') return result('unverified', 'shallow-history');
    // An unreadable report may be the newest run (e.g. cut short): a pass cannot rest on the older readable one.
    const unreadable = e2e.unreadable[0];
    if (unreadable) return [{ resource: unreadable.file, status: 'unverified', code: 'unreadable-report', args: { ...args, reason: unreadable.reason }, evidence: { ...evidence, unreadable: e2e.unreadable.map((u) => u.file) } }];
    return result('pass', 'passing');
  },
});

/** Where the report's date comes from, in the words of the messages. */
function dated(report: FactValue<typeof e2eReports>['reports'][number], ageDays: number): string {
  const source = report.dateSource ?? (report.timestampSource === 'attribute' ? 'report' : 'mtime');
  if (source === 'report') return `run ${ageDays} days ago`;
  if (source === 'commit') return `last committed ${ageDays} days ago`;
  if (source === 'shallow-clone') return `shallow clone's boundary committed ${ageDays} days ago`;
  return `file modified ${ageDays} days ago`;
}

/** A file the `evidence.e2e` glob matches, for the reporter to write (a shell cannot redirect to a glob). */
function reportFileFor(pattern: string): string {
  const slash = pattern.lastIndexOf('/');
  const [dir, name] = slash === -1 ? ['', pattern] : [pattern.slice(0, slash + 1), pattern.slice(slash + 1)];
  if (!/[*?[{]/.test(dir + name)) return pattern;
  return /[*?[{]/.test(dir) ? 'e2e-results.xml' : `${dir}${name.replace(/\*/g, 'e2e-results').replace(/[?[\]{}]/g, '')}`;
}
