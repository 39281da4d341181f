import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { factOf, type FactRef } from '../../src/model.js';
import { DEMO_CONFIG } from '../../src/commands/setup.js';
import { loadConfig } from '../../src/config/load.js';
import { demoReport } from '../support/demo.js';

/** /work/shared/checks.md, the public catalog: id, severity, 45 CFR citations, phase. */
const CATALOG: [id: string, severity: string, hipaa: string[], phase: number][] = [
  ['aws.rds.deletion-protection', 'critical', ['164.308(a)(7)(ii)(A)'], 1],
  ['aws.rds.storage-encrypted', 'critical', ['164.312(a)(2)(iv)'], 1],
  ['aws.rds.backup-retention', 'high', ['164.308(a)(7)(ii)(A)'], 1],
  ['aws.rds.public-access', 'critical', ['164.312(e)(1)'], 1],
  ['aws.rds.force-ssl', 'high', ['164.312(e)(2)(ii)'], 1],
  ['aws.rds.serverless-scaling', 'low', [], 2],
  ['aws.rds.restore-tested', 'medium', ['164.308(a)(7)(ii)(D)'], 2],
  ['aws.rds.disaster-recovery', 'medium', ['164.308(a)(7)(ii)(B)'], 2],
  ['aws.s3.encryption', 'critical', ['164.312(a)(2)(iv)'], 1],
  ['aws.s3.public-access-block', 'critical', ['164.312(a)(1)'], 1],
  ['aws.s3.tls-only', 'high', ['164.312(e)(1)'], 1],
  ['aws.s3.versioning', 'high', ['164.312(c)(1)'], 1],
  ['aws.s3.lifecycle', 'low', ['164.310(d)(2)(iv)'], 2],
  ['aws.s3.access-logging', 'medium', ['164.312(b)'], 4],
  ['aws.cloudfront.https-only', 'critical', ['164.312(e)(1)'], 3],
  ['aws.cloudfront.tls-version', 'high', ['164.312(e)(2)(ii)'], 3],
  ['aws.cloudfront.frontend-distribution', 'high', [], 3],
  ['aws.cloudfront.logging', 'medium', ['164.312(b)'], 4],
  ['aws.cloudfront.waf', 'medium', ['164.308(a)(1)(ii)(B)'], 4],
  ['aws.acm.domain-certificate', 'critical', ['164.312(e)(1)'], 3],
  ['aws.acm.expiry', 'high', ['164.312(e)(1)'], 3],
  ['aws.cognito.mfa', 'high', ['164.312(d)'], 1],
  ['aws.cognito.unauthenticated-identities', 'high', ['164.312(a)(1)'], 1],
  ['aws.iam.root-mfa', 'critical', ['164.312(d)'], 1],
  ['aws.iam.root-access-keys', 'critical', ['164.312(a)(1)'], 1],
  ['aws.cloudtrail.enabled', 'high', ['164.312(b)'], 1],
  ['aws.secrets.rotation', 'medium', ['164.308(a)(5)(ii)(D)'], 1],
  ['aws.apigateway.logging', 'medium', ['164.312(b)'], 4],
  ['aws.baa', 'critical', ['164.308(b)(1)'], 1],
  ['aws.vpc.database-isolation', 'critical', ['164.312(e)(1)'], 1],
  ['aws.ec2.open-admin-ports', 'high', ['164.312(a)(1)'], 1],
  ['aws.vpc.flow-logs', 'medium', ['164.312(b)'], 4],
  ['aws.rds.public-snapshots', 'critical', ['164.312(a)(1)'], 1],
  ['aws.rds.multi-az', 'high', ['164.308(a)(7)(ii)(B)'], 1],
  ['aws.rds.log-exports', 'medium', ['164.312(b)'], 4],
  ['aws.iam.console-mfa', 'high', ['164.312(d)'], 1],
  ['aws.iam.admin-policies', 'high', ['164.308(a)(4)(ii)(B)'], 1],
  ['aws.iam.password-policy', 'medium', ['164.308(a)(5)(ii)(D)'], 1],
  ['aws.iam.access-key-age', 'medium', ['164.308(a)(5)(ii)(D)'], 1],
  ['aws.guardduty.enabled', 'high', ['164.308(a)(1)(ii)(D)'], 4],
  ['aws.securityhub.enabled', 'medium', ['164.308(a)(1)(ii)(D)'], 4],
  ['aws.config.recorder', 'medium', ['164.312(b)'], 4],
  ['aws.logs.retention', 'high', ['164.316(b)(2)(i)'], 4],
  ['aws.cloudtrail.kms-encryption', 'medium', ['164.312(a)(2)(iv)'], 1],
  ['aws.cloudtrail.cloudwatch-logs', 'medium', ['164.312(b)'], 4],
  ['aws.cloudtrail.data-events', 'medium', ['164.312(b)'], 4],
  ['aws.kms.rotation', 'medium', ['164.312(a)(2)(iv)'], 1],
  ['aws.ec2.ebs-default-encryption', 'high', ['164.312(a)(2)(iv)'], 1],
  ['aws.s3.account-public-access-block', 'high', ['164.312(a)(1)'], 1],
  ['aws.backup.plan', 'medium', ['164.308(a)(7)(ii)(A)'], 1],
  ['aws.rds.unlisted-databases', 'high', ['164.312(a)(1)', '164.312(a)(2)(iv)'], 1],
  ['aws.sns.encryption', 'low', ['164.312(a)(2)(iv)'], 4],
  ['supabase.project.healthy', 'high', [], 2],
  ['supabase.secrets.required', 'critical', [], 1],
  ['supabase.functions.deployed', 'critical', [], 2],
  ['supabase.functions.verify-jwt', 'high', ['164.312(d)'], 1],
  ['supabase.migrations.applied', 'critical', [], 2],
  ['supabase.auth.mfa', 'high', ['164.312(d)'], 1],
  ['supabase.auth.mfa-enforced', 'high', ['164.312(d)'], 1],
  ['supabase.auth.session-timeout', 'high', ['164.312(a)(2)(iii)'], 1],
  ['supabase.auth.password-policy', 'medium', ['164.308(a)(5)(ii)(D)'], 1],
  ['supabase.ssl-enforcement', 'high', ['164.312(e)(1)'], 1],
  ['supabase.network-restrictions', 'medium', ['164.312(a)(1)'], 1],
  ['supabase.backups.pitr', 'high', ['164.308(a)(7)(ii)(A)'], 1],
  ['supabase.advisors.security', 'high', ['164.308(a)(1)(ii)(B)'], 1],
  ['supabase.storage.public-buckets', 'high', ['164.312(a)(1)'], 1],
  ['supabase.baa', 'critical', ['164.308(b)(1)'], 1],
  ['app.db.rls-enabled', 'critical', ['164.312(a)(1)'], 1],
  ['app.db.rls-policies', 'high', ['164.312(a)(1)'], 1],
  ['app.db.sensitive-columns', 'critical', ['164.312(a)(1)'], 1],
  ['app.db.security-definer-views', 'high', ['164.312(a)(1)'], 1],
  ['app.db.audit-logging', 'high', ['164.312(b)'], 1],
  ['app.db.extensions', 'low', [], 2],
  ['app.db.definer-functions', 'high', ['164.312(a)(1)'], 1],
  ['app.secrets.service-key-exposure', 'critical', ['164.312(a)(1)'], 1],
  ['app.tests.e2e', 'high', ['164.308(a)(8)'], 2],
  ['app.tests.load', 'medium', [], 2],
  ['app.data-retention', 'medium', ['164.316(b)(2)(i)'], 5],
  ['app.patient-data-export', 'medium', ['164.524'], 5],
  ['domain.dns.records', 'high', [], 3],
  ['domain.tls.certificate', 'critical', ['164.312(e)(1)'], 3],
  ['domain.tls.protocol', 'high', ['164.312(e)(2)(ii)'], 3],
  ['domain.http.security-headers', 'medium', ['164.312(e)(1)'], 3],
  ['domain.cors.production-origin', 'medium', [], 3],
  ['domain.probes.health', 'high', [], 2],
  ['monitoring.alarms.required', 'high', ['164.308(a)(1)(ii)(D)'], 4],
  ['monitoring.alarms.actions', 'high', ['164.308(a)(6)'], 4],
  ['monitoring.dashboards', 'medium', [], 4],
  ['monitoring.error-tracking', 'medium', [], 4],
  ['compliance.vendor-baas', 'high', ['164.308(b)(1)'], 1],
  ['compliance.security-policies', 'high', ['164.316(b)(1)'], 5],
  ['compliance.incident-response', 'high', ['164.308(a)(6)'], 5],
  ['compliance.breach-notification', 'high', ['164.404'], 5],
  ['compliance.risk-assessment', 'high', ['164.308(a)(1)(ii)(A)'], 5],
  ['compliance.training', 'medium', ['164.308(a)(5)(i)'], 5],
  ['compliance.runbook', 'medium', ['164.308(a)(7)(ii)(B)'], 5],
];

const PLACEHOLDER = /\{\{\s*[\w.-]+\s*\}\}/;

describe('the catalog matches checks.md', () => {
  it('has every public id, and nothing scored that the spec does not list', () => {
    const ids = allChecks.filter((check) => check.meta.scored !== false).map((check) => check.meta.id).sort();
    expect(ids).toEqual(CATALOG.map(([id]) => id).sort());
  });

  it.each(CATALOG)('%s: severity %s, citations %j, phase %i', (id, severity, hipaa, phase) => {
    const check = allChecks.find((candidate) => candidate.meta.id === id);
    expect(check?.meta).toMatchObject({ severity, hipaa, phase });
  });
});

describe('remediation commands are copy-pasteable', () => {
  it('the demo report leaves no {{placeholder}} in any command or message', async () => {
    const report = await demoReport();
    const unfilled = report.results.filter((r) => PLACEHOLDER.test(r.message) || PLACEHOLDER.test(r.remediation.command ?? ''));
    expect(unfilled.map((r) => `${r.checkId} ${r.code}: ${r.remediation.command ?? r.message}`)).toEqual([]);
  });

  it('every failing or unverified demo result of a check with a command carries it, filled', async () => {
    const report = await demoReport();
    const byId = new Map(allChecks.map((check) => [check.meta.id, check]));
    const missing = report.results.filter((r) => (r.status === 'fail' || r.status === 'unverified') && byId.get(r.checkId)?.meta.remediation.command && !r.remediation.command);
    expect(missing.map((r) => `${r.checkId} ${r.code}`)).toEqual([]);
  });

  it('a check whose facts could not be collected gives no half-filled command', async () => {
    const { config } = await loadConfig(DEMO_CONFIG);
    const denied = { ok: false as const, failure: { kind: 'AccessDenied' as const, message: 'denied', fix: 'grant it' } };
    for (const check of allChecks) {
      const outcomes = new Map((Object.values(check.facts) as FactRef[]).map((ref) => [factOf(ref).id, denied]));
      const results = evaluateCheck(check, outcomes, { config, now: new Date('2026-01-01T00:00:00Z') });
      expect(results.map((r) => r.status), check.meta.id).toEqual(['unverified']);
      // No command built for resource "project" (e.g. `put-bucket-versioning --bucket project`), none half-filled.
      expect(results[0]!.remediation.command, check.meta.id).toBeUndefined();
      expect(results[0]!.remediation.text, check.meta.id).toContain('grant it');
    }
  });
});
