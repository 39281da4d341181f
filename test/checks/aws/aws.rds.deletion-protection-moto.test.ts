import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import deletionProtection from '../../../checks/aws/aws.rds.deletion-protection.js';
import { rdsClusters, rdsInstances } from '../../../src/facts/aws.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { startRewritingProxy } from '../../support/rewriting-proxy.js';

const aws = motoForFile();
const FACTS = [rdsClusters, rdsInstances];
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };

/** Aurora `ehr` without deletion protection, its writer `ehr-writer`, and Aurora `other` with it. */
async function createEstate(rds: RDSClient): Promise<void> {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', EngineVersion: '15.3', DeletionProtection: false, ...credentials }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ehr-writer', DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'other', Engine: 'aurora-postgresql', EngineVersion: '15.3', DeletionProtection: true, ...credentials }));
}

describe('aws.rds.deletion-protection against moto: only the cluster flag protects an Aurora database', () => {
  it('a listed member instance whose cluster is not listed is not silently dropped: its protection (the cluster\'s) was not assessed', async () => {
    await createEstate(aws.client(RDSClient));
    const run = await collectAws(aws.moto, FACTS, { aws: { rds: { clusters: ['other'], instances: ['ehr-writer'] } } });
    expect(run.results(deletionProtection)).toEqual([['other', 'pass', 'enabled'], ['ehr', 'unverified', 'cluster-not-assessed']]);
  }, 60_000);

  it('a member reporting DeletionProtection true does not protect its unprotected cluster', async () => {
    await createEstate(aws.client(RDSClient));
    // moto answers every Aurora member `false`; AWS may echo a flag set on the instance: only the cluster's counts.
    const proxy = await startRewritingProxy(aws.moto.endpoint, {
      'rds:DescribeDBInstances': { answer: (answer) => ({ ...answer, body: answer.body.replaceAll('<DeletionProtection>false</DeletionProtection>', '<DeletionProtection>true</DeletionProtection>') }) },
    });
    try {
      const run = await collectAws({ endpoint: proxy.endpoint }, FACTS, { aws: { rds: { clusters: ['ehr'] } } });
      expect(run.outcomes.get(rdsInstances.id)).toMatchObject({ ok: true, value: [{ id: 'ehr-writer', deletionProtection: true }] });
      expect(run.results(deletionProtection)).toEqual([['ehr', 'fail', 'disabled']]);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('a listed cluster or instance that does not exist fails as missing', async () => {
    await createEstate(aws.client(RDSClient));
    const run = await collectAws(aws.moto, FACTS, { aws: { rds: { clusters: ['other', 'gone'], instances: ['gone-too'] } } });
    expect(run.results(deletionProtection)).toEqual([['other', 'pass', 'enabled'], ['gone', 'fail', 'missing'], ['gone-too', 'fail', 'missing']]);
  }, 60_000);
});
