import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  CreateDBSubnetGroupCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import databaseIsolation from '../../checks/aws/aws.vpc.database-isolation.js';
import flowLogs from '../../checks/aws/aws.vpc.flow-logs.js';
import openAdminPorts from '../../checks/aws/aws.ec2.open-admin-ports.js';
import publicSnapshots from '../../checks/aws/aws.rds.public-snapshots.js';
import multiAz from '../../checks/aws/aws.rds.multi-az.js';
import logExports from '../../checks/aws/aws.rds.log-exports.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { ec2FlowLogs, ec2SecurityGroups, ec2SubnetRoutes, rdsClusterSettings, rdsInstanceNetwork, rdsManualSnapshots } from '../../src/facts/aws-network.js';
import { collectAws, sentActions, useMotoCredentials } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let ec2: EC2Client;
let rds: RDSClient;

beforeAll(async () => {
  // Without this moto lists about a thousand public AMI snapshots on every EC2 call.
  moto = await startMoto({ MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' });
  useMotoCredentials(moto);
  ec2 = new EC2Client({ region: 'us-east-1', endpoint: moto.endpoint });
  rds = new RDSClient({ region: 'us-east-1', endpoint: moto.endpoint });
});
afterAll(async () => {
  ec2?.destroy();
  rds?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const NETWORK = [rdsClusters, rdsInstances, rdsInstanceNetwork, rdsClusterSettings, ec2SubnetRoutes, ec2SecurityGroups, ec2FlowLogs];
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };

/** The seed's layout: public subnets routed to an internet gateway, isolated subnets on the main table (no route out). */
async function vpcLayout() {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const subnet = async (cidr: string, zone: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!;
  const publicA = await subnet('10.0.0.0/24', 'us-east-1a');
  const publicB = await subnet('10.0.1.0/24', 'us-east-1b');
  const isolatedA = await subnet('10.0.10.0/24', 'us-east-1a');
  const isolatedB = await subnet('10.0.11.0/24', 'us-east-1b');
  const publicTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: publicTable, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  for (const id of [publicA, publicB]) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicTable, SubnetId: id }));
  const group = async (name: string) => (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
  const app = await group('app');
  const db = await group('db');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: app }] }] }));
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'isolated', DBSubnetGroupDescription: 'isolated', SubnetIds: [isolatedA, isolatedB] }));
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'public', DBSubnetGroupDescription: 'public', SubnetIds: [publicA, publicB] }));
  return { vpcId, igw, app, db, group, subnets: { publicA, publicB, isolatedA, isolatedB } };
}

async function instance(id: string, options: { subnetGroup: string; groups: string[]; multiAz?: boolean; logs?: string[] }) {
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id, Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, ...credentials,
      DBSubnetGroupName: options.subnetGroup, VpcSecurityGroupIds: options.groups, MultiAZ: options.multiAz ?? false, EnableCloudwatchLogsExports: options.logs ?? [],
    }),
  );
}

describe('aws.vpc.database-isolation against moto', () => {
  it('passes a database in isolated subnets behind a group open only to the app; fails one in public subnets', async () => {
    const { db } = await vpcLayout();
    await instance('isolated-db', { subnetGroup: 'isolated', groups: [db] });
    await instance('exposed-db', { subnetGroup: 'public', groups: [db] });
    const run = await collectAws(moto, NETWORK);
    expect(run.results(databaseIsolation)).toEqual([
      ['isolated-db', 'pass', 'isolated'],
      ['exposed-db', 'fail', 'internet-route'],
    ]);
  });

  it('names what a fix needs: the explicit route table association of a subnet (none on the main table) and the DB subnet group', async () => {
    const { db, subnets } = await vpcLayout();
    await instance('isolated-db', { subnetGroup: 'isolated', groups: [db] });
    const run = await collectAws(moto, NETWORK);
    const routes = run.outcomes.get(ec2SubnetRoutes.id) as { ok: true; value: { subnetId: string; associationId: string | null }[] };
    const association = (id: string) => routes.value.find((s) => s.subnetId === id)?.associationId;
    expect(association(subnets.publicA)).toMatch(/^rtbassoc-/);
    expect(association(subnets.isolatedA)).toBeNull();
    const placements = run.outcomes.get(rdsInstanceNetwork.id) as { ok: true; value: { id: string; subnetGroup: string | null }[] };
    expect(placements.value.find((p) => p.id === 'isolated-db')?.subnetGroup).toBe('isolated');
  });

  it('fails a database whose subnet group keeps one public subnet among isolated ones', async () => {
    const { db, subnets } = await vpcLayout();
    await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'mixed', DBSubnetGroupDescription: 'mixed', SubnetIds: [subnets.isolatedA, subnets.publicB] }));
    await instance('mixed-db', { subnetGroup: 'mixed', groups: [db] });
    const run = await collectAws(moto, NETWORK);
    expect(run.results(databaseIsolation)).toEqual([['mixed-db', 'fail', 'internet-route']]);
  });

  it('fails a database in isolated subnets whose security group admits its port from ::/0', async () => {
    const { db, group } = await vpcLayout();
    const open = await group('db-open');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: open, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5400, ToPort: 5500, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }));
    await instance('isolated-db', { subnetGroup: 'isolated', groups: [db, open] });
    const run = await collectAws(moto, NETWORK);
    expect(run.results(databaseIsolation)).toEqual([['isolated-db', 'fail', 'open-to-world']]);
  });

  it('an Aurora cluster is judged by its members’ subnets and its own security groups', async () => {
    const { db, group } = await vpcLayout();
    const open = await group('cluster-open');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: open, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.3', DBSubnetGroupName: 'isolated', VpcSecurityGroupIds: [db, open], ...credentials }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'aurora-writer', DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', DBInstanceClass: 'db.serverless', DBSubnetGroupName: 'isolated' }));
    const run = await collectAws(moto, NETWORK);
    expect(run.results(databaseIsolation)).toEqual([['aurora', 'fail', 'open-to-world']]);
  });

  it('a configured cluster that does not exist fails; no database at all fails', async () => {
    expect((await collectAws(moto, NETWORK)).results(databaseIsolation)).toEqual([['rds', 'fail', 'no-databases']]);
    const run = await collectAws(moto, NETWORK, { aws: { rds: { clusters: ['ghost'] } } });
    expect(run.results(databaseIsolation)).toEqual([['ghost', 'fail', 'missing']]);
  });
});

describe('aws.ec2.open-admin-ports against moto', () => {
  it('fails a group with SSH open to the world, passes the others', async () => {
    const { db, app, group } = await vpcLayout();
    const bastion = await group('bastion');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: bastion, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const office = await group('office-rdp');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: office, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '203.0.113.0/24' }] }] }));
    const run = await collectAws(moto, [ec2SecurityGroups]);
    const results = run.results(openAdminPorts);
    expect(results.filter(([, status]) => status === 'fail')).toEqual([[bastion, 'fail', 'open']]);
    expect(results).toContainEqual([db, 'pass', 'closed']);
    expect(results).toContainEqual([app, 'pass', 'closed']);
    expect(results).toContainEqual([office, 'pass', 'closed']);
  });
});

describe('aws.vpc.flow-logs against moto', () => {
  it('fails the database VPC without a flow log, passes it once ALL traffic is logged', async () => {
    const { vpcId, db } = await vpcLayout();
    await instance('isolated-db', { subnetGroup: 'isolated', groups: [db] });
    expect((await collectAws(moto, NETWORK)).results(flowLogs)).toEqual([[vpcId, 'fail', 'no-flow-log']]);
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'flow-logs' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'flow-logs-all' }));
    s3.destroy();
    const created = await ec2.send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs' }));
    expect(created.Unsuccessful).toEqual([]);
    expect((await collectAws(moto, NETWORK)).results(flowLogs)).toEqual([[vpcId, 'fail', 'partial']]);
    const all = await ec2.send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs-all' }));
    expect(all.Unsuccessful).toEqual([]);
    expect((await collectAws(moto, NETWORK)).results(flowLogs)).toEqual([[vpcId, 'pass', 'active']]);
  });
});

describe('aws.rds.multi-az / aws.rds.log-exports against moto', () => {
  it('passes a Multi-AZ instance exporting its postgresql log; fails a single-AZ one exporting nothing', async () => {
    const { db } = await vpcLayout();
    await instance('ha-db', { subnetGroup: 'isolated', groups: [db], multiAz: true, logs: ['postgresql', 'upgrade'] });
    await instance('single-db', { subnetGroup: 'isolated', groups: [db] });
    const run = await collectAws(moto, NETWORK);
    expect(run.results(multiAz)).toEqual([['ha-db', 'pass', 'multi-az'], ['single-db', 'fail', 'single-az']]);
    expect(run.results(logExports)).toEqual([['ha-db', 'pass', 'exported'], ['single-db', 'fail', 'not-exported']]);
  });

  it('an Aurora cluster spans zones only with a member in a second zone; its log exports are set on the cluster', async () => {
    await vpcLayout();
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.3', DBSubnetGroupName: 'isolated', EnableCloudwatchLogsExports: ['postgresql'], ...credentials }));
    const member = (id: string, zone: string) =>
      rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', DBInstanceClass: 'db.serverless', DBSubnetGroupName: 'isolated', AvailabilityZone: zone }));
    await member('aurora-writer', 'us-east-1a');
    let run = await collectAws(moto, NETWORK);
    expect(run.results(multiAz)).toEqual([['aurora', 'fail', 'single-az']]);
    expect(run.results(logExports)).toEqual([['aurora', 'pass', 'exported']]);
    await member('aurora-reader', 'us-east-1b');
    run = await collectAws(moto, NETWORK);
    expect(run.results(multiAz)).toEqual([['aurora', 'pass', 'multi-az']]);
  });
});

describe('aws.rds.public-snapshots against moto', () => {
  it('fails a manual snapshot restorable by all, and one shared with an account outside the one assessed', async () => {
    await instance('db', { subnetGroup: 'default', groups: [] }).catch(async () => {
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'db', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, ...credentials }));
    });
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'db', DBSnapshotIdentifier: 'shared-with-dr' }));
    await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'shared-with-dr', AttributeName: 'restore', ValuesToAdd: ['111122223333'] }));
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'db', DBSnapshotIdentifier: 'oops-public' }));
    await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'oops-public', AttributeName: 'restore', ValuesToAdd: ['all'] }));
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.3', ...credentials }));
    await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'aurora', DBClusterSnapshotIdentifier: 'aurora-public' }));
    await rds.send(new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: 'aurora-public', AttributeName: 'restore', ValuesToAdd: ['all'] }));
    const run = await collectAws(moto, [rdsManualSnapshots]);
    expect(run.results(publicSnapshots).sort()).toEqual(
      [
        ['shared-with-dr', 'fail', 'shared-outside'],
        ['oops-public', 'fail', 'public'],
        ['aurora-public', 'fail', 'public'],
      ].sort(),
    );
  });

  it('no manual snapshot passes', async () => {
    expect((await collectAws(moto, [rdsManualSnapshots])).results(publicSnapshots)).toEqual([['rds', 'pass', 'no-snapshots']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
