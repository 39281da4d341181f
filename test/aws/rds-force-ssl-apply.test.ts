import {
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  ModifyDBClusterParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import forceSsl from '../../checks/aws/aws.rds.force-ssl.js';
import { rdsClusterParameterGroups, rdsClusters, rdsInstanceParameterGroups, rdsInstances } from '../../src/facts/aws.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { startRewritingProxy, type Rewrite } from '../support/rewriting-proxy.js';

const aws = motoForFile();
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };
const FACTS = [rdsClusters, rdsInstances, rdsClusterParameterGroups, rdsInstanceParameterGroups];

/**
 * moto answers every parameter group status `in-sync` (ParameterApplyStatus of an instance, DBClusterParameterGroupStatus
 * of a cluster member), whatever was just attached or edited. This proxy in front of it rewrites the status in the
 * Describe answers to `status`, as AWS answers between `modify-db-instance --db-parameter-group-name` (or an edit of a
 * static parameter) and the reboot.
 */
async function withApplyStatus<T>(upstream: string, status: string, run: (endpoint: string) => Promise<T>): Promise<T> {
  const rewrite = (element: string): Rewrite => ({
    answer: (answer) => ({ ...answer, body: answer.body.replaceAll(`<${element}>in-sync</${element}>`, `<${element}>${status}</${element}>`) }),
  });
  const proxy = await startRewritingProxy(upstream, { 'rds:DescribeDBInstances': rewrite('ParameterApplyStatus'), 'rds:DescribeDBClusters': rewrite('DBClusterParameterGroupStatus') });
  try {
    return await run(proxy.endpoint);
  } finally {
    await proxy.close();
  }
}

/** An Aurora cluster and a standalone PostgreSQL 14 instance, each on a custom group with rds.force_ssl=1. */
async function createForcedDatabases(rds: RDSClient): Promise<void> {
  await rds.send(new CreateDBClusterParameterGroupCommand({ DBClusterParameterGroupName: 'ehr-tls', DBParameterGroupFamily: 'aurora-postgresql15', Description: 'force TLS' }));
  await rds.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: 'ehr-tls', Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', ApplyMethod: 'pending-reboot' }] }));
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', EngineVersion: '15.3', DBClusterParameterGroupName: 'ehr-tls', ...credentials }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ehr-writer', DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
  await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'solo-tls', DBParameterGroupFamily: 'postgres14', Description: 'force TLS' }));
  await rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: 'solo-tls', Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', ApplyMethod: 'pending-reboot' }] }));
  await rds.send(
    new CreateDBInstanceCommand({ DBInstanceIdentifier: 'solo', DBParameterGroupName: 'solo-tls', Engine: 'postgres', EngineVersion: '14.12', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, ...credentials }),
  );
}

describe('aws.rds.force-ssl: a TLS-forcing group not applied yet (moto behind a proxy that rewrites the apply status)', () => {
  it('in-sync (moto as it answers): both pass', async () => {
    await createForcedDatabases(aws.client(RDSClient));
    const run = await collectAws(aws.moto, FACTS);
    expect(run.outcomes.get(rdsInstances.id)).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: 'solo', parameterApplyStatus: 'in-sync' })]) });
    expect(run.outcomes.get(rdsClusters.id)).toMatchObject({ ok: true, value: [{ id: 'ehr', memberParameterStatuses: [{ instance: 'ehr-writer', status: 'in-sync' }] }] });
    expect(run.results(forceSsl)).toEqual([['ehr', 'pass', 'forced'], ['solo', 'pass', 'forced']]);
  }, 60_000);

  it.each(['pending-reboot', 'applying'])('%s: the engine still runs the old setting, so neither passes', async (status) => {
    await createForcedDatabases(aws.client(RDSClient));
    const run = await withApplyStatus(aws.moto.endpoint, status, (endpoint) => collectAws({ endpoint }, FACTS));
    expect(run.results(forceSsl)).toEqual([['ehr', 'unverified', 'pending-reboot'], ['solo', 'unverified', 'pending-reboot']]);
    expect(run.outcomes.get(rdsInstances.id)).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: 'solo', parameterApplyStatus: status })]) });
    expect(run.outcomes.get(rdsClusters.id)).toMatchObject({ ok: true, value: [{ id: 'ehr', memberParameterStatuses: [{ instance: 'ehr-writer', status }] }] });
  }, 60_000);
});
