import { BackupClient, CreateBackupPlanCommand, GetBackupSelectionCommand, ListBackupSelectionsCommand, ListProtectedResourcesCommand } from '@aws-sdk/client-backup';
import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import backupPlan from '../../checks/aws/aws.backup.plan.js';
import { backupPlans, backupProtectedResources } from '../../src/facts/aws-backup.js';
import { rdsClusters, rdsInstances, s3Buckets } from '../../src/facts/aws.js';
import { startBackupStandIn, type BackupStandIn } from '../support/backup-stand-in.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
import { startMoto, type Moto } from '../support/moto.js';

// Plans and their rules come from moto. moto cannot serve backup selections (500) nor
// ListProtectedResources (404): those three reads come from a local stand-in in front of moto
// (test/support/backup-stand-in.ts), which passes every other request through to moto.

let moto: Moto;
let standIn: BackupStandIn;
const FACTS = [rdsClusters, rdsInstances, s3Buckets, backupPlans, backupProtectedResources];
const BUCKETS = ['phi-files', 'phi-scans', 'phi-videos', 'phi-archive', 'phi-orphan'];
const config = { aws: { rds: { minBackupRetentionDays: 30 }, s3: { buckets: BUCKETS.map((name) => ({ name })) } } };
// The run's clock: the recovery points below are a day old, well within a daily rule's limit.
const NOW = new Date('2026-12-01T00:00:00Z');
const credentials = { region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  standIn = await startBackupStandIn(moto.endpoint);
  const rds = new RDSClient({ ...credentials, endpoint: moto.endpoint });
  const s3 = new S3Client({ ...credentials, endpoint: moto.endpoint, forcePathStyle: true });
  const backup = new BackupClient({ ...credentials, endpoint: moto.endpoint });
  try {
    // Automated backups kept 7 days: not enough on their own.
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr-db', Engine: 'aurora-postgresql', EngineVersion: '15.3', MasterUsername: 'ehr', MasterUserPassword: 'not-a-real-password', BackupRetentionPeriod: 7 }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'reports', Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'r', MasterUserPassword: 'not-a-real-password', BackupRetentionPeriod: 35 }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'scratch', Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'r', MasterUserPassword: 'not-a-real-password', BackupRetentionPeriod: 1 }));
    for (const bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const daily = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'daily', Rules: [{ RuleName: 'daily-35d', TargetBackupVaultName: 'Default', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: { DeleteAfterDays: 35 } }] } }));
    const short = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'short', Rules: [{ RuleName: 'daily-7d', TargetBackupVaultName: 'Default', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: { DeleteAfterDays: 7 } }] } }));
    standIn.selections.set(daily.BackupPlanId!, [
      { SelectionName: 'aurora', Resources: ['arn:aws:rds:*:*:cluster:*'] },
      { SelectionName: 'files', Resources: ['arn:aws:s3:::phi-files'] },
      // A tag only phi-scans carries (it has recovery points); phi-videos does not.
      { SelectionName: 'tagged', Resources: ['arn:aws:s3:::phi-scans', 'arn:aws:s3:::phi-videos'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' }] } },
    ]);
    standIn.selections.set(short.BackupPlanId!, [{ SelectionName: 'archive', Resources: ['arn:aws:s3:::phi-archive', 'arn:aws:rds:us-east-1:123456789012:db:scratch'] }]);
    // ehr-db has recovery points; phi-files, though its plan selects it by ARN, has none (its backup jobs fail).
    standIn.protectedResources.push(
      { ResourceArn: 'arn:aws:s3:::phi-scans', ResourceType: 'S3', LastBackupTime: new Date('2026-11-30T05:10:00Z') },
      { ResourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:ehr-db', ResourceType: 'Aurora', LastBackupTime: new Date('2026-11-30T05:12:00Z') },
    );
  } finally {
    rds.destroy();
    s3.destroy();
    backup.destroy();
  }
}, 60_000);

afterAll(async () => {
  await standIn?.stop();
  await moto?.stop();
});

describe('aws.backup.plan on moto (plans) and the stand-in (selections, protected resources)', () => {
  it('moto really cannot serve selections nor protected resources (why the stand-in exists)', async () => {
    const backup = new BackupClient({ ...credentials, endpoint: moto.endpoint });
    try {
      const status = (call: Promise<unknown>) => call.then(() => 200, (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode);
      expect(await status(backup.send(new ListBackupSelectionsCommand({ BackupPlanId: 'any' })))).toBe(500);
      expect(await status(backup.send(new GetBackupSelectionCommand({ BackupPlanId: 'any', SelectionId: 'any' })))).toBe(500);
      expect(await status(backup.send(new ListProtectedResourcesCommand({})))).toBe(404);
    } finally {
      backup.destroy();
    }
  });

  it('passes what a scheduled plan has recent recovery points of or automated backups keep long enough; fails no recovery point, short retention, tags nobody carries, and nothing at all', async () => {
    const run = await collectAws({ endpoint: standIn.endpoint }, FACTS, config, NOW);
    expect(run.results(backupPlan)).toEqual([
      ['ehr-db', 'pass', 'backup-plan'],
      ['reports', 'pass', 'automated-backups'],
      ['scratch', 'fail', 'plan-not-effective'],
      ['phi-files', 'fail', 'no-recovery-point'],
      ['phi-scans', 'pass', 'backup-plan-by-tag'],
      ['phi-videos', 'fail', 'tag-not-carried'],
      ['phi-archive', 'fail', 'plan-not-effective'],
      ['phi-orphan', 'fail', 'not-covered'],
    ]);
  });

  it('unreadable selections leave every store not covered by automated backups unverified', async () => {
    standIn.failSelections = 503;
    try {
      const run = await collectAws({ endpoint: standIn.endpoint }, FACTS, config);
      expect(run.outcomes.get(backupPlans.id)).toMatchObject({ ok: false });
      const results = run.results(backupPlan);
      expect(results).toContainEqual(['reports', 'pass', 'automated-backups']);
      expect(results.filter(([resource]) => resource !== 'reports').map(([, status, code]) => `${status} ${code}`)).toEqual(Array(7).fill('unverified plans-unread'));
    } finally {
      delete standIn.failSelections;
    }
  });
});
