import { defineCheck } from '../../src/model.js';
import { errorTracking } from '../../src/facts/evidence.js';

export default defineCheck({
  meta: {
    id: 'monitoring.error-tracking',
    title: 'Frontend errors are tracked',
    failureTitle: 'No error tracking for the frontend',
    description: 'Frontend errors must reach an error tracker (Sentry, Datadog RUM, Bugsnag, Rollbar): a DSN in `evidence.errorTrackingDsn`, or one found in the built bundle (`domain.frontendBuildDir`). Scrub PHI from events before they leave the browser.',
    section: 'monitoring',
    severity: 'medium',
    layer: 'application',
    hipaa: [],
    phase: 4,
    remediation: {
      text: 'Add Sentry (or similar) to the frontend with PHI scrubbing (sendDefaultPii: false, beforeSend), then set `evidence.errorTrackingDsn: ${SENTRY_DSN}` or `domain.frontendBuildDir`',
      command: 'npm install @sentry/react && echo "VITE_SENTRY_DSN=https://<key>@o<org>.ingest.sentry.io/<project>" >> .env.production',
      effortMinutes: 60,
    },
    messages: {
      configured: '{{provider}} is configured ({{where}})',
      'not-in-bundle': 'No error-tracker DSN found in {{filesScanned}} files of {{scannedDir}}',
      'not-configured': 'No error tracker: no `evidence.errorTrackingDsn` and no `domain.frontendBuildDir` to scan',
      'invalid-dsn': '`evidence.errorTrackingDsn` is not a real error-tracker DSN: {{problem}}',
      'dsn-not-validated': '{{provider}} was found ({{where}}) in a snapshot taken before placeholders, comments and test files were told from a real DSN in shipped code: run `readiness check` again',
    },
  },
  facts: { tracking: errorTracking },
  evaluate({ tracking }) {
    const evidence = { source: tracking.source, provider: tracking.provider, dsn: tracking.redactedDsn, file: tracking.file, scannedDir: tracking.scannedDir, filesScanned: tracking.filesScanned, dsnProblem: tracking.dsnProblem ?? null };
    if (tracking.dsnProblem) return [{ resource: 'frontend', status: 'fail', code: 'invalid-dsn', args: { problem: tracking.dsnProblem }, evidence }];
    if (tracking.found) {
      const where = tracking.source === 'config' ? `config: ${tracking.redactedDsn ?? ''}` : `bundle: ${tracking.file ?? ''}${tracking.redactedDsn ? ` → ${tracking.redactedDsn}` : ''}`;
      const args = { provider: tracking.provider ?? 'unknown', where };
      if (tracking.dsnProblem === undefined) return [{ resource: 'frontend', status: 'unverified', code: 'dsn-not-validated', args, evidence }];
      return [{ resource: 'frontend', status: 'pass', code: 'configured', args, evidence }];
    }
    if (tracking.scannedDir) return [{ resource: 'frontend', status: 'fail', code: 'not-in-bundle', args: { filesScanned: tracking.filesScanned, scannedDir: tracking.scannedDir }, evidence }];
    return [{ resource: 'frontend', status: 'fail', code: 'not-configured', evidence }];
  },
});
