import { defineCheck, type Finding } from '../../src/model.js';
import { e2eReports } from '../../src/facts/evidence.js';
import { shellQuote } from '../lib/shell.js';

const DAY_MS = 86_400_000;
const MAX_AGE_DAYS = 7;

export default defineCheck({
  meta: {
    id: 'app.tests.e2e',
    title: 'End-to-end tests passed in the last 7 days',
    failureTitle: 'No recent, passing end-to-end test report',
    description: 'The newest JUnit XML report of the end-to-end suite (`evidence.e2e`) must be at most 7 days old, with tests run and none failed or errored: evidence that the critical flows (login, client records, notes, telehealth) still work.',
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
      passing: '{{resource}}: {{tests}} tests passed, {{ageDays}} days ago',
      'no-report': 'No end-to-end report matches {{pattern}}',
      'unreadable-report': 'The reports matching {{pattern}} are not readable JUnit XML ({{reason}})',
      stale: 'The newest end-to-end report, {{resource}}, is {{ageDays}} days old (at most 7)',
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
    const args = { pattern, reportFile, tests: newest.tests, failures: newest.failures, errors: newest.errors, skipped: newest.skipped, ageDays };
    const evidence = { file: newest.file, timestamp: newest.timestamp, timestampSource: newest.timestampSource, tests: newest.tests, failures: newest.failures, errors: newest.errors, skipped: newest.skipped, ageDays };
    const result = (status: Finding['status'], code: string): Finding[] => [{ resource: newest.file, status, code, args, evidence }];
    if (ageDays > MAX_AGE_DAYS) return result('fail', 'stale');
    if (newest.failures + newest.errors > 0) return result('fail', 'failing');
    // Skipped tests did not pass: a report where everything was skipped proves nothing.
    if (newest.tests - newest.skipped <= 0) return result('fail', 'no-tests');
    // An unreadable report may be the newest run (e.g. cut short): a pass cannot rest on the older readable one.
    const unreadable = e2e.unreadable[0];
    if (unreadable) return [{ resource: unreadable.file, status: 'unverified', code: 'unreadable-report', args: { ...args, reason: unreadable.reason }, evidence: { ...evidence, unreadable: e2e.unreadable.map((u) => u.file) } }];
    return result('pass', 'passing');
  },
});

/** A file the `evidence.e2e` glob matches, for the reporter to write (a shell cannot redirect to a glob). */
function reportFileFor(pattern: string): string {
  const slash = pattern.lastIndexOf('/');
  const [dir, name] = slash === -1 ? ['', pattern] : [pattern.slice(0, slash + 1), pattern.slice(slash + 1)];
  if (!/[*?[{]/.test(dir + name)) return pattern;
  return /[*?[{]/.test(dir) ? 'e2e-results.xml' : `${dir}${name.replace(/\*/g, 'e2e-results').replace(/[?[\]{}]/g, '')}`;
}
