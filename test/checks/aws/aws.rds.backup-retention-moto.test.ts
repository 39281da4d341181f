import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import backupRetention from '../../../checks/aws/aws.rds.backup-retention.js';
import { rdsClusters, rdsInstances } from '../../../src/facts/aws.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { startRewritingProxy } from '../../support/rewriting-proxy.js';

const aws = motoForFile();
const FACTS = [rdsClusters, rdsInstances];
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };

/** Aurora `ehr` (writer `ehr-writer`) and standalone `solo`, both keeping backups 30 days. */
async function createEstate(rds: RDSClient): Promise<void> {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', EngineVersion: '15.3', BackupRetentionPeriod: 30, ...credentials }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ehr-writer', DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
  await rds.send(
    new CreateDBInstanceCommand({ DBInstanceIdentifier: 'solo', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, BackupRetentionPeriod: 30, ...credentials }),
  );
}

/**
 * moto applies every modification at once. AWS keeps a change of the retention to or from 0 made without
 * --apply-immediately in PendingModifiedValues until the maintenance window: this proxy answers that `pending` is pending.
 */
async function withPendingRetention<T>(upstream: string, pending: number, run: (endpoint: string) => Promise<T>): Promise<T> {
  const insert = (body: string) => body.replaceAll('<BackupRetentionPeriod>30</BackupRetentionPeriod>', `<BackupRetentionPeriod>30</BackupRetentionPeriod><PendingModifiedValues><BackupRetentionPeriod>${pending}</BackupRetentionPeriod></PendingModifiedValues>`);
  const proxy = await startRewritingProxy(upstream, { 'rds:DescribeDBInstances': { answer: (a) => ({ ...a, body: insert(a.body) }) }, 'rds:DescribeDBClusters': { answer: (a) => ({ ...a, body: insert(a.body) }) } });
  try {
    return await run(proxy.endpoint);
  } finally {
    await proxy.close();
  }
}

describe('aws.rds.backup-retention against moto', () => {
  it('30 days with nothing pending passes', async () => {
    await createEstate(aws.client(RDSClient));
    const run = await collectAws(aws.moto, FACTS);
    expect(run.results(backupRetention)).toEqual([['ehr', 'pass', 'sufficient'], ['solo', 'pass', 'sufficient']]);
  }, 60_000);

  it('30 days now but a pending modification to 0 (backups off at the next maintenance window) fails', async () => {
    await createEstate(aws.client(RDSClient));
    const run = await withPendingRetention(aws.moto.endpoint, 0, (endpoint) => collectAws({ endpoint }, FACTS));
    expect(run.results(backupRetention)).toEqual([['ehr', 'fail', 'pending-lower'], ['solo', 'fail', 'pending-lower']]);
  }, 60_000);

  it('a pending change that keeps at least the minimum passes', async () => {
    await createEstate(aws.client(RDSClient));
    const run = await withPendingRetention(aws.moto.endpoint, 35, (endpoint) => collectAws({ endpoint }, FACTS));
    expect(run.results(backupRetention)).toEqual([['ehr', 'pass', 'sufficient'], ['solo', 'pass', 'sufficient']]);
  }, 60_000);

  it('a listed member instance whose cluster is not listed is not silently dropped: its retention (the cluster\'s) was not assessed', async () => {
    await createEstate(aws.client(RDSClient));
    const run = await collectAws(aws.moto, FACTS, { aws: { rds: { instances: ['solo', 'ehr-writer'], clusters: [] } } });
    expect(run.results(backupRetention)).toEqual([['solo', 'pass', 'sufficient'], ['ehr', 'unverified', 'cluster-not-assessed']]);
  }, 60_000);
});
