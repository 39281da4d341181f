import { describe, expect, it } from 'vitest';
import backupPlan from '../../../checks/aws/aws.backup.plan.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

// Holes first: each of these states is a plan that exists and protects nothing.
const B = 'phi-files';
const buckets = [{ name: B, region: 'us-east-1', exists: true }];
const rule = (over: Record<string, unknown> = {}) => ({ name: 'daily', schedule: 'cron(0 5 ? * * *)', deleteAfterDays: 35, ...over });
const selection = (over: Record<string, unknown> = {}) => ({ id: 's', name: 'phi', resources: [`arn:aws:s3:::${B}`], notResources: [], anyTags: [], allConditions: [], ...over });
const plan = (over: Record<string, unknown> = {}) => ({ id: 'p', name: 'daily', arn: 'arn:aws:backup:us-east-1:1:backup-plan:p', region: 'us-east-1', rules: [rule()], selections: [selection()], ...over });
const facts = (plans: unknown[], protectedResources: unknown[] = []) => ({ clusters: [], instances: [], buckets, plans: { ok: true, value: plans }, protectedResources: { ok: true, value: protectedResources } });

describe('aws.backup.plan', () => {
  const cases: CheckCase[] = [
    { name: 'a scheduled rule kept 35 days, selecting the bucket by ARN, passes', facts: facts([plan()]), expected: [[B, 'pass', 'backup-plan']] },
    { name: 'kept until deleted (no lifecycle) passes', facts: facts([plan({ rules: [rule({ deleteAfterDays: null })] })]), expected: [[B, 'pass', 'backup-plan']] },
    { name: 'a plan with no rules is no coverage', facts: facts([plan({ rules: [] })]), expected: [[B, 'fail', 'plan-not-effective']] },
    { name: 'a rule with no schedule is no coverage', facts: facts([plan({ rules: [rule({ schedule: null })] })]), expected: [[B, 'fail', 'plan-not-effective']] },
    { name: 'a 0-day retention is no coverage', facts: facts([plan({ rules: [rule({ deleteAfterDays: 0 })] })]), expected: [[B, 'fail', 'plan-not-effective']] },
    { name: 'a retention under the minimum is no coverage', facts: facts([plan({ rules: [rule({ deleteAfterDays: 7 })] })]), expected: [[B, 'fail', 'plan-not-effective']] },
    { name: 'a tag no PHI store carries (no recovery point) is no coverage', facts: facts([plan({ selections: [selection({ resources: [], anyTags: ['backup STRINGEQUALS daily'] })] })]), expected: [[B, 'fail', 'tag-not-carried']] },
    { name: 'a tag selection with a recovery point of the bucket passes', facts: facts([plan({ selections: [selection({ resources: [], anyTags: ['backup STRINGEQUALS daily'] })] })], [{ arn: `arn:aws:s3:::${B}`, type: 'S3', region: 'us-east-1', lastBackup: '2025-10-11T05:00:00Z' }]), expected: [[B, 'pass', 'backup-plan-by-tag']] },
    { name: 'conditions narrow an ARN wildcard: a recovery point is needed', facts: facts([plan({ selections: [selection({ resources: ['*'], allConditions: ['aws:ResourceTag/backup StringEquals daily'] })] })]), expected: [[B, 'fail', 'tag-not-carried']] },
    { name: 'NotResources excludes the bucket', facts: facts([plan({ selections: [selection({ resources: ['arn:aws:s3:::*'], notResources: [`arn:aws:s3:::${B}`] })] })]), expected: [[B, 'fail', 'not-covered']] },
    { name: 'a plan in another region does not back the bucket up', facts: facts([plan({ region: 'eu-west-1' })]), expected: [[B, 'fail', 'not-covered']] },
    { name: 'no plan at all', facts: facts([]), expected: [[B, 'fail', 'not-covered']] },
    { name: 'plans unreadable: unverified', facts: { ...facts([]), plans: { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } } }, expected: [[B, 'unverified', 'plans-unread']] },
    { name: 'tag selection with protected resources unreadable: unverified', facts: { ...facts([plan({ selections: [selection({ resources: [], anyTags: ['backup STRINGEQUALS daily'] })] })]), protectedResources: { ok: false, failure: { kind: 'Throttled', message: 'slow down' } } }, expected: [[B, 'unverified', 'protected-unread']] },
    { name: 'a phi: false bucket is not a PHI store', facts: facts([]), config: { aws: { s3: { buckets: [{ name: B, phi: false }] } } }, expected: [['backup', 'not_applicable', 'no-stores']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(backupPlan, c)).toEqual(c.expected));

  it('a database with automated backups ≥ the minimum passes even when plans are unreadable; below it, it needs a plan', () => {
    const cluster = { id: 'db', arn: 'arn:aws:rds:us-east-1:1:cluster:db', region: 'us-east-1', missing: false, backupRetentionDays: 30 };
    const unread = { plans: { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } }, protectedResources: { ok: true, value: [] } };
    expect(runCase(backupPlan, { name: 'ok', facts: { clusters: [cluster], instances: [], buckets: [], ...unread }, expected: [] })).toEqual([['db', 'pass', 'automated-backups']]);
    expect(runCase(backupPlan, { name: 'short', facts: { clusters: [{ ...cluster, backupRetentionDays: 7 }], instances: [], buckets: [], ...unread }, expected: [] })).toEqual([['db', 'unverified', 'plans-unread']]);
  });
});
