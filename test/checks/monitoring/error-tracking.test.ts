import { describe, expect, it } from 'vitest';
import errorTracking from '../../../checks/monitoring/monitoring.error-tracking.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const tracking = (over: Record<string, unknown> = {}) => ({ found: false, source: null, provider: null, redactedDsn: null, file: null, scannedDir: null, filesScanned: 0, dsnProblem: null, ...over });

describe('monitoring.error-tracking', () => {
  const cases: CheckCase[] = [
    { name: 'DSN in config passes', facts: { tracking: tracking({ found: true, source: 'config', provider: 'sentry', redactedDsn: 'https://***@o1.ingest.sentry.io/2' }) }, expected: [['frontend', 'pass', 'configured']] },
    { name: 'DSN in the bundle passes', facts: { tracking: tracking({ found: true, source: 'bundle', provider: 'sentry', file: 'assets/index.js', scannedDir: 'dist', filesScanned: 3 }) }, expected: [['frontend', 'pass', 'configured']] },
    { name: 'bundle without a DSN fails', facts: { tracking: tracking({ scannedDir: 'dist', filesScanned: 12 }) }, expected: [['frontend', 'fail', 'not-in-bundle']] },
    { name: 'nothing configured fails', facts: { tracking: tracking() }, expected: [['frontend', 'fail', 'not-configured']] },
    { name: 'a DSN in config that is not a real one fails', facts: { tracking: tracking({ source: 'config', dsnProblem: 'its project id 0 is a placeholder' }) }, expected: [['frontend', 'fail', 'invalid-dsn']] },
    { name: 'a DSN in config from a snapshot taken before DSNs were validated is unverified', facts: { tracking: tracking({ found: true, source: 'config', provider: 'sentry', redactedDsn: 'https://***@o0.ingest.sentry.io/0', dsnProblem: undefined }) }, expected: [['frontend', 'unverified', 'dsn-not-validated']] },
    { name: 'a bundle find from a snapshot taken before comments and tests were left out is unverified', facts: { tracking: tracking({ found: true, source: 'bundle', provider: 'sentry', file: 'assets/index.js', scannedDir: 'dist', filesScanned: 3, dsnProblem: undefined }) }, expected: [['frontend', 'unverified', 'dsn-not-validated']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(errorTracking, c)).toEqual(c.expected));
});
