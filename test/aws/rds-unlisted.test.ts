import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import unlistedDatabases from '../../checks/aws/aws.rds.unlisted-databases.js';
import { rdsAccountDatabases } from '../../src/facts/aws-rds-account.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { factOf, type FactRef } from '../../src/model.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { makeConfig } from '../support/check-tester.js';

const aws = motoForFile();
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };

/** Every check that judges RDS databases: the aws.rds.* checks and the network isolation of databases. */
const RDS_CHECKS = allChecks.filter((check) => check.meta.id.startsWith('aws.rds.') || check.meta.id === 'aws.vpc.database-isolation');
const RDS_FACTS = [...new Map(RDS_CHECKS.flatMap((check) => Object.values(check.facts as Record<string, FactRef>).map(factOf)).map((fact) => [fact.id, fact])).values()];

/** The listed, encrypted Aurora cluster `ehr` with a private writer, and `reporting-copy`: a standalone restore nobody listed, public and unencrypted. */
async function createEstate(rds: RDSClient): Promise<void> {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', EngineVersion: '15.3', StorageEncrypted: true, DeletionProtection: true, ...credentials }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ehr-writer', DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', PubliclyAccessible: false }));
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'reporting-copy', Engine: 'postgres', EngineVersion: '15.3', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20,
      PubliclyAccessible: true, StorageEncrypted: false, ...credentials,
    }),
  );
}

describe('RDS databases left out of aws.rds.clusters / aws.rds.instances', () => {
  it('a public, unencrypted instance the config does not list still fails an RDS check', async () => {
    await createEstate(aws.client(RDSClient));
    const config = { aws: { rds: { clusters: ['ehr'] } } };
    const run = await collectAws(aws.moto, RDS_FACTS, config);
    const results = RDS_CHECKS.flatMap((check) => evaluateCheck(check, run.outcomes, { config: makeConfig({ ...config, aws: { region: 'us-east-1', ...config.aws } }), now: new Date() }));
    // The listed cluster is still assessed.
    expect(results.some((r) => r.checkId === 'aws.rds.storage-encrypted' && r.resource === 'ehr' && r.status === 'pass')).toBe(true);
    const naming = results.filter((r) => r.resource === 'reporting-copy' || r.message.includes('reporting-copy'));
    expect(naming.filter((r) => r.status === 'fail').map((r) => r.checkId)).not.toEqual([]);
  }, 60_000);

  it('aws.rds.unlisted-databases fails the unlisted instance, naming what is wrong, with a quoted fix', async () => {
    await createEstate(aws.client(RDSClient));
    const config = { aws: { rds: { clusters: ['ehr'] } } };
    const run = await collectAws(aws.moto, [rdsAccountDatabases], config);
    expect(run.outcomes.get(rdsAccountDatabases.id)).toMatchObject({
      ok: true,
      value: {
        clusters: [{ id: 'ehr', region: 'us-east-1', engine: 'aurora-postgresql', storageEncrypted: true }],
        instances: expect.arrayContaining([
          expect.objectContaining({ id: 'ehr-writer', clusterId: 'ehr', publiclyAccessible: false }),
          expect.objectContaining({ id: 'reporting-copy', clusterId: null, publiclyAccessible: true, storageEncrypted: false }),
        ]),
      },
    });
    expect(run.results(unlistedDatabases)).toEqual([['reporting-copy', 'fail', 'unlisted-exposed']]);
    const [result] = evaluateCheck(unlistedDatabases, run.outcomes, { config: makeConfig({ aws: { region: 'us-east-1', ...config.aws } }), now: new Date() });
    expect(result!.message).toBe(
      'Instance reporting-copy (us-east-1) is not in aws.rds.clusters / aws.rds.instances, so no other RDS check assesses it, and it is publicly accessible and not encrypted at rest',
    );
    expect(result!.remediation.command).toBe(
      'aws rds modify-db-instance --db-instance-identifier reporting-copy --no-publicly-accessible --apply-immediately --region us-east-1 && ' +
        'aws rds create-db-snapshot --db-instance-identifier reporting-copy --db-snapshot-identifier reporting-copy-pre-encryption --region us-east-1',
    );
  }, 60_000);

  it('an unlisted cluster with a public member fails; an unlisted private, encrypted instance is named as left out', async () => {
    const rds = aws.client(RDSClient);
    await createEstate(rds);
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'analytics', Engine: 'aurora-postgresql', EngineVersion: '15.3', StorageEncrypted: true, ...credentials }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'analytics-reader', DBClusterIdentifier: 'analytics', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', PubliclyAccessible: true }));
    await rds.send(
      new CreateDBInstanceCommand({ DBInstanceIdentifier: 'scratch', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, PubliclyAccessible: false, StorageEncrypted: true, ...credentials }),
    );
    const run = await collectAws(aws.moto, [rdsAccountDatabases], { aws: { rds: { clusters: ['ehr'], instances: ['reporting-copy'] } } });
    expect(run.results(unlistedDatabases)).toEqual([
      ['analytics', 'fail', 'unlisted-exposed'],
      ['rds', 'not_applicable', 'left-out'],
    ]);
  }, 60_000);

  it('passes when every database is listed, and without a list', async () => {
    await createEstate(aws.client(RDSClient));
    const listed = await collectAws(aws.moto, [rdsAccountDatabases], { aws: { rds: { clusters: ['ehr'], instances: ['reporting-copy'] } } });
    expect(listed.results(unlistedDatabases)).toEqual([['rds', 'pass', 'all-listed']]);
    const unlisted = await collectAws(aws.moto, [rdsAccountDatabases]);
    expect(unlisted.results(unlistedDatabases)).toEqual([['rds', 'pass', 'no-list']]);
    // Without a list the fact is built from the assessed facts (one read per run): it still holds every database.
    expect(unlisted.outcomes.get(rdsAccountDatabases.id)).toMatchObject({ ok: true, value: { clusters: [{ id: 'ehr' }], instances: expect.arrayContaining([expect.objectContaining({ id: 'reporting-copy' })]) } });
  }, 60_000);

  it('with a list, each region is described once per run: the listed facts and the account-wide one share the answers', async () => {
    await createEstate(aws.client(RDSClient));
    const proxy = await startFaultProxy(aws.moto.endpoint);
    try {
      const run = await collectAws(proxy, [rdsClusters, rdsInstances, rdsAccountDatabases], { aws: { regions: ['us-east-1', 'eu-west-1'], rds: { clusters: ['ehr'], instances: ['reporting-copy'] } } });
      expect(run.outcomes.get(rdsClusters.id)).toMatchObject({ ok: true, value: [{ id: 'ehr', missing: false }] });
      expect(run.outcomes.get(rdsAccountDatabases.id)).toMatchObject({ ok: true, value: { clusters: [{ id: 'ehr' }] } });
      expect(Object.fromEntries(proxy.seen)).toMatchObject({ 'rds:DescribeDBClusters': 2, 'rds:DescribeDBInstances': 2 });
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('a listed cluster id that exists in two regions is assessed in both: the second is not dropped', async () => {
    await createEstate(aws.client(RDSClient));
    // The same identifier in another region: unencrypted and without deletion protection.
    await aws.client(RDSClient, 'eu-west-1').send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', EngineVersion: '15.3', StorageEncrypted: false, ...credentials }));
    const config = { aws: { regions: ['us-east-1', 'eu-west-1'], rds: { clusters: ['ehr'] } } };
    const run = await collectAws(aws.moto, RDS_FACTS, config);
    expect(run.outcomes.get(rdsClusters.id)).toMatchObject({ ok: true, value: [{ id: 'ehr', region: 'us-east-1' }, { id: 'ehr', region: 'eu-west-1' }] });
    const encrypted = evaluateCheck(allChecks.find((c) => c.meta.id === 'aws.rds.storage-encrypted')!, run.outcomes, { config: makeConfig({ aws: { region: 'us-east-1', ...config.aws } }), now: new Date() });
    expect(encrypted.filter((r) => r.resource === 'ehr').map((r) => r.status).sort()).toEqual(['fail', 'pass']);
  }, 60_000);
});
