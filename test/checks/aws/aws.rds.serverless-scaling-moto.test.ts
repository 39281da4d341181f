import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import serverlessScaling from '../../../checks/aws/aws.rds.serverless-scaling.js';
import { rdsClusters } from '../../../src/facts/aws.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { renderedCommands } from '../../support/check-tester.js';

const aws = motoForFile();

/** A Serverless v2 cluster with one db.serverless writer, as the API builds it. */
async function serverlessCluster(minCapacity: number, maxCapacity: number) {
  const rds = aws.client(RDSClient);
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.7', MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1',
      ServerlessV2ScalingConfiguration: { MinCapacity: minCapacity, MaxCapacity: maxCapacity },
    }),
  );
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'aurora-writer', DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', DBInstanceClass: 'db.serverless' }));
}

describe('aws.rds.serverless-scaling against moto: a minimum of 0 ACU (auto-pause)', () => {
  // MinCapacity 0 is what AWS returns for a cluster set to auto-pause: idle, the database is unavailable until it resumes.
  it('fails 0–4 ACU with no bounds configured (hole: passed as no-bounds)', async () => {
    await serverlessCluster(0, 4);
    const run = await collectAws(aws.moto, [rdsClusters]);
    expect(run.results(serverlessScaling)).toEqual([['aurora', 'fail', 'auto-pause']]);
  });

  it('fails 0–4 ACU when only a maximum is planned (hole: passed as within-bounds)', async () => {
    await serverlessCluster(0, 4);
    const run = await collectAws(aws.moto, [rdsClusters], { aws: { rds: { serverless: { maxCapacity: 8 } } } });
    expect(run.results(serverlessScaling)).toEqual([['aurora', 'fail', 'auto-pause']]);
  });

  it('a planned minimum still reports 0 ACU as below it', async () => {
    await serverlessCluster(0, 4);
    const run = await collectAws(aws.moto, [rdsClusters], { aws: { rds: { serverless: { minCapacity: 1 } } } });
    expect(run.results(serverlessScaling)).toEqual([['aurora', 'fail', 'below-min']]);
  });

  it('0.5–4 ACU with no bounds configured still passes', async () => {
    await serverlessCluster(0.5, 4);
    const run = await collectAws(aws.moto, [rdsClusters]);
    expect(run.results(serverlessScaling)).toEqual([['aurora', 'pass', 'no-bounds']]);
  });

  it('the fix raises the minimum to 0.5 ACU, the lowest that never pauses, and keeps the maximum', () => {
    const cluster = {
      id: 'aurora', arn: 'arn', region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: '15.7', status: 'available', endpoint: null, deletionProtection: true,
      storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30, members: ['aurora-writer'], parameterGroup: null, serverless: { minCapacity: 0, maxCapacity: 4 }, missing: false,
    };
    expect(renderedCommands(serverlessScaling, { clusters: [cluster] })).toEqual([
      'aws rds modify-db-cluster --db-cluster-identifier aurora --serverless-v2-scaling-configuration MinCapacity=0.5,MaxCapacity=4 --apply-immediately --region us-east-1',
    ]);
  });
});
