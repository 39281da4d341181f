import { describe, expect, it } from 'vitest';
import backupPlan from '../../../checks/aws/aws.backup.plan.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Holes first: each of these states is a plan that exists and protects nothing.
const B = 'phi-files';
const buckets = [{ name: B, region: 'us-east-1', exists: true }];
const rule = (over: Record<string, unknown> = {}) => ({ name: 'daily', schedule: 'cron(0 5 ? * * *)', deleteAfterDays: 35, ...over });
const selection = (over: Record<string, unknown> = {}) => ({ id: 's', name: 'phi', resources: [`arn:aws:s3:::${B}`], notResources: [], anyTags: [], allConditions: [], ...over });
const plan = (over: Record<string, unknown> = {}) => ({ id: 'p', name: 'daily', arn: 'arn:aws:backup:us-east-1:1:backup-plan:p', region: 'us-east-1', rules: [rule()], selections: [selection()], ...over });
// The run's clock is 2025-10-11T22:30:00Z: this recovery point is 17.5 hours old.
const point = (lastBackup: string | null = '2025-10-11T05:00:00Z', arn = `arn:aws:s3:::${B}`) => ({ arn, type: 'S3', region: 'us-east-1', lastBackup });
const facts = (plans: unknown[], protectedResources: unknown[] = []) => ({ clusters: [], instances: [], buckets, plans: { ok: true, value: plans }, protectedResources: { ok: true, value: protectedResources } });

describe('aws.backup.plan', () => {
  const cases: CheckCase[] = [
    { name: 'a scheduled rule kept 35 days, selecting the bucket by ARN, with a recovery point of today, passes', facts: facts([plan()], [point()]), expected: [[B, 'pass', 'backup-plan']] },
    { name: 'kept until deleted (no lifecycle) passes', facts: facts([plan({ rules: [rule({ deleteAfterDays: null })] })], [point()]), expected: [[B, 'pass', 'backup-plan']] },
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

  // A plan is intent: a store counts as backed up through AWS Backup only with a recovery point as recent as its schedule asks.
  describe('recovery points', () => {
    const tagged = () => plan({ selections: [selection({ resources: [], anyTags: ['backup STRINGEQUALS daily'] })] });
    const weekly = () => plan({ rules: [rule({ name: 'weekly', schedule: 'cron(0 5 ? * SUN *)' })] });
    const monthly = () => plan({ rules: [rule({ name: 'monthly', schedule: 'cron(0 5 1 * ? *)' })] });
    const cases: CheckCase[] = [
      { name: 'by ARN, AWS Backup never made a recovery point (the jobs fail): fail', facts: facts([plan()]), expected: [[B, 'fail', 'no-recovery-point']] },
      { name: 'by ARN, the last recovery point is months old: fail', facts: facts([plan()], [point('2025-06-01T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'by ARN, daily rule, last backup 3 days ago (over 1 day + 1 day of slack): fail', facts: facts([plan()], [point('2025-10-08T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'by ARN, daily rule, last backup 40 hours ago (within the slack): pass', facts: facts([plan()], [point('2025-10-10T06:30:00Z')]), expected: [[B, 'pass', 'backup-plan']] },
      { name: 'by ARN, a recovery point of another resource only: fail', facts: facts([plan()], [point(undefined, 'arn:aws:s3:::other')]), expected: [[B, 'fail', 'no-recovery-point']] },
      { name: 'by ARN, the time of the last backup not reported: unverified', facts: facts([plan()], [point(null)]), expected: [[B, 'unverified', 'last-backup-unknown']] },
      { name: 'by ARN, protected resources unreadable: unverified', facts: { ...facts([plan()]), protectedResources: { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } } }, expected: [[B, 'unverified', 'recovery-points-unread']] },
      { name: 'by tag, the last recovery point is months old: fail', facts: facts([tagged()], [point('2025-06-01T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'by tag, the time of the last backup not reported: unverified', facts: facts([tagged()], [point(null)]), expected: [[B, 'unverified', 'last-backup-unknown']] },
      { name: 'weekly rule, last backup 6 days ago: pass', facts: facts([weekly()], [point('2025-10-05T05:00:00Z')]), expected: [[B, 'pass', 'backup-plan']] },
      { name: 'weekly rule, last backup 9 days ago: fail', facts: facts([weekly()], [point('2025-10-02T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'monthly rule, last backup 20 days ago: pass', facts: facts([monthly()], [point('2025-09-21T05:00:00Z')]), expected: [[B, 'pass', 'backup-plan']] },
      { name: 'monthly rule, last backup 40 days ago: fail', facts: facts([monthly()], [point('2025-09-01T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'a daily rule beside a weekly one sets the limit: 4 days is stale', facts: facts([plan({ rules: [rule({ name: 'weekly', schedule: 'cron(0 5 ? * SUN *)' }), rule()] })], [point('2025-10-07T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'a schedule that cannot be read is taken as daily: 3 days is stale', facts: facts([plan({ rules: [rule({ schedule: 'rate(1 week)' })] })], [point('2025-10-08T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'a schedule limited to some months cannot be read: taken as daily', facts: facts([plan({ rules: [rule({ schedule: 'cron(0 5 1 1,7 ? *)' })] })], [point('2025-07-01T05:00:00Z')]), expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'maxRecoveryPointAgeDays tightens a weekly limit', facts: facts([weekly()], [point('2025-10-05T05:00:00Z')]), options: { maxRecoveryPointAgeDays: 3 }, expected: [[B, 'fail', 'stale-recovery-point']] },
      { name: 'maxRecoveryPointAgeDays loosens a monthly limit', facts: facts([monthly()], [point('2025-09-01T05:00:00Z')]), options: { maxRecoveryPointAgeDays: 60 }, expected: [[B, 'pass', 'backup-plan']] },
      { name: 'maxRecoveryPointAgeDays from the config', facts: facts([plan()], [point('2025-10-08T05:00:00Z')]), config: { checks: { 'aws.backup.plan': { maxRecoveryPointAgeDays: 7 } } }, expected: [[B, 'pass', 'backup-plan']] },
    ];
    it.each(cases)('$name', (c) => expect(runCase(backupPlan, c)).toEqual(c.expected));

    it('a database whose automated backups are too short, selected by ARN with no recovery point, fails; a fresh one passes', () => {
      const arn = 'arn:aws:rds:us-east-1:1:cluster:db';
      const cluster = { id: 'db', arn, region: 'us-east-1', missing: false, backupRetentionDays: 7 };
      const rds = (points: unknown[]) => ({ clusters: [cluster], instances: [], buckets: [], plans: { ok: true, value: [plan({ selections: [selection({ resources: [arn] })] })] }, protectedResources: { ok: true, value: points } });
      expect(runCase(backupPlan, { name: 'none', facts: rds([]), expected: [] })).toEqual([['db', 'fail', 'no-recovery-point']]);
      expect(runCase(backupPlan, { name: 'old', facts: rds([{ ...point('2025-07-01T05:00:00Z', arn), type: 'Aurora' }]), expected: [] })).toEqual([['db', 'fail', 'stale-recovery-point']]);
      expect(runCase(backupPlan, { name: 'fresh', facts: rds([{ ...point(undefined, arn), type: 'Aurora' }]), expected: [] })).toEqual([['db', 'pass', 'backup-plan']]);
    });

    it('says which plan, rule, last backup and limit, and points at the failed backup jobs of the store', () => {
      const bucket = "phi-o'neil";
      const arn = `arn:aws:s3:::${bucket}`;
      const one = { clusters: [], instances: [], buckets: [{ name: bucket, region: 'us-east-1', exists: true }], plans: [plan({ selections: [selection({ resources: [arn] })] })] };
      expect(renderedMessages(backupPlan, { ...one, protectedResources: [] })).toEqual([
        `${bucket} is selected by backup plan daily (daily: cron(0 5 ? * * *), kept 35 days), but AWS Backup holds no recovery point of it: check its backup jobs`,
      ]);
      expect(renderedCommands(backupPlan, { ...one, protectedResources: [] })).toEqual([`aws backup list-backup-jobs --by-resource-arn 'arn:aws:s3:::phi-o'\\''neil' --by-state FAILED --region us-east-1`]);
      const [stale] = renderedMessages(backupPlan, { ...one, protectedResources: [point('2025-06-01T05:00:00Z', arn)] });
      expect(stale).toBe(`${bucket} is selected by backup plan daily (daily: cron(0 5 ? * * *), kept 35 days), but its last recovery point is from 2025-06-01T05:00:00Z (132.7 days old; limit 2 days: a daily schedule + 1 day)`);
      expect(renderedCommands(backupPlan, { ...one, protectedResources: [point('2025-06-01T05:00:00Z', arn)] })[0]).toContain('list-backup-jobs');
      const [unread] = renderedMessages(backupPlan, { ...one, plans: [plan({ selections: [selection({ resources: [arn] })], rules: [rule({ schedule: 'rate(1 week)' })] })], protectedResources: [point('2025-10-01T05:00:00Z', arn)] });
      expect(unread).toContain('limit 2 days: schedule rate(1 week) not read, taken as daily');
      const [fresh] = renderedMessages(backupPlan, { ...one, protectedResources: [point(undefined, arn)] });
      expect(fresh).toBe(`${bucket} is selected by backup plan daily (daily: cron(0 5 ? * * *), kept 35 days); last backup 2025-10-11T05:00:00Z (limit 2 days: a daily schedule + 1 day)`);
      // A store in no plan is still told to join one.
      expect(renderedCommands(backupPlan, { ...one, plans: [], protectedResources: [] })[0]).toContain('aws backup create-backup-selection --region us-east-1');
    });
  });
});
