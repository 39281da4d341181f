import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, type EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import { CreateDBInstanceCommand, CreateDBSubnetGroupCommand, type RDSClient } from '@aws-sdk/client-rds';
import { ec2SecurityGroups, ec2SubnetRoutes, rdsClusterSettings, rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';

/** The facts aws.vpc.database-isolation and aws.ec2.open-admin-ports read. */
export const NETWORK = [rdsClusters, rdsInstances, rdsInstanceNetwork, rdsClusterSettings, ec2SubnetRoutes, ec2SecurityGroups];

/** Isolated subnets (the main route table, no route out) in a DB subnet group, and a way to make security groups. */
export async function isolatedNetwork(ec2: EC2Client, rds: RDSClient) {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnet = async (cidr: string, zone: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!;
  const subnets = [await subnet('10.0.10.0/24', 'us-east-1a'), await subnet('10.0.11.0/24', 'us-east-1b')];
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'isolated', DBSubnetGroupDescription: 'isolated', SubnetIds: subnets }));
  const group = async (name: string, ...permissions: IpPermission[]) => {
    const id = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
    if (permissions.length) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: permissions }));
    return id;
  };
  return { vpcId, group };
}

/** A private instance `db` in the isolated subnets, behind the given groups. */
export const databaseBehind = (rds: RDSClient, groups: string[]) =>
  rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'db', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1',
      DBSubnetGroupName: 'isolated', VpcSecurityGroupIds: groups,
    }),
  );
