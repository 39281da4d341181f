import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import multiAz from '../../../checks/aws/aws.rds.multi-az.js';
import { rdsClusters, rdsInstances } from '../../../src/facts/aws.js';
import { rdsInstanceNetwork } from '../../../src/facts/aws-network.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';

const aws = motoForFile();
const FACTS = [rdsClusters, rdsInstances, rdsInstanceNetwork];
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };

async function aurora(members: { id: string; zone: string; tier?: number }[]) {
  const rds = aws.client(RDSClient);
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.7', ...credentials }));
  for (const { id, zone, tier } of members) {
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', AvailabilityZone: zone, PromotionTier: tier }));
  }
}

describe('aws.rds.multi-az against moto: what spans zones and what only seems to', () => {
  it('an Aurora writer and reader in the same zone fail, however many members there are', async () => {
    await aurora([{ id: 'aurora-writer', zone: 'us-east-1a' }, { id: 'aurora-reader', zone: 'us-east-1a' }]);
    expect((await collectAws(aws.moto, FACTS)).results(multiAz)).toEqual([['aurora', 'fail', 'single-az']]);
  });

  it('a reader in another zone at promotion tier 15 passes: the tier orders failover, every Aurora replica is a target', async () => {
    await aurora([{ id: 'aurora-writer', zone: 'us-east-1a' }, { id: 'aurora-reader', zone: 'us-east-1b', tier: 15 }]);
    expect((await collectAws(aws.moto, FACTS)).results(multiAz)).toEqual([['aurora', 'pass', 'multi-az']]);
  });

  it('a single-AZ instance with a Multi-AZ read replica in another zone still fails; the replica is judged on its own', async () => {
    const rds = aws.client(RDSClient);
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'primary', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, AvailabilityZone: 'us-east-1a', ...credentials }));
    await rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'replica', SourceDBInstanceIdentifier: 'primary', AvailabilityZone: 'us-east-1b', MultiAZ: true }));
    const run = await collectAws(aws.moto, FACTS);
    expect(run.results(multiAz)).toEqual([['primary', 'fail', 'single-az'], ['replica', 'pass', 'multi-az']]);
  });
});
