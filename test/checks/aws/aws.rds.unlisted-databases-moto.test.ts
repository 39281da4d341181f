import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import unlistedDatabases from '../../../checks/aws/aws.rds.unlisted-databases.js';
import { rdsAccountDatabases } from '../../../src/facts/aws-rds-account.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';

const aws = motoForFile();
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };

describe('aws.rds.unlisted-databases against moto: every page, every engine of the RDS API', () => {
  it('an unlisted public instance past the first page of DescribeDBInstances (100 per page) still fails', async () => {
    const rds = aws.client(RDSClient);
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', StorageEncrypted: true, ...credentials }));
    const listed = Array.from({ length: 100 }, (_, n) => `listed-${String(n).padStart(3, '0')}`);
    for (const id of listed) {
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, StorageEncrypted: true, ...credentials }));
    }
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'zz-forgotten', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, StorageEncrypted: true, PubliclyAccessible: true, ...credentials }));
    const run = await collectAws(aws.moto, [rdsAccountDatabases], { aws: { rds: { clusters: ['ehr'], instances: listed } } });
    expect(run.results(unlistedDatabases)).toEqual([['zz-forgotten', 'fail', 'unlisted-exposed']]);
  }, 120_000);

  it('a Neptune cluster (DescribeDBClusters returns it too) left out of the list is judged like any cluster', async () => {
    const rds = aws.client(RDSClient);
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr', Engine: 'aurora-postgresql', StorageEncrypted: true, ...credentials }));
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'graph', Engine: 'neptune', StorageEncrypted: false }));
    const run = await collectAws(aws.moto, [rdsAccountDatabases], { aws: { rds: { clusters: ['ehr'] } } });
    expect(run.results(unlistedDatabases)).toEqual([['graph', 'fail', 'unlisted-exposed']]);
  }, 60_000);
});
