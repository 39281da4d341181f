/**
 * An RDS estate of `size` Aurora clusters (each with its writer) and `size` standalone instances: every database has its
 * own placement, VPC, subnet, security group, parameter group, flow log and (clusters) settings and global database.
 */
export function rdsEstate(size: number) {
  const region = 'us-east-1';
  const ids = Array.from({ length: size }, (_, i) => i);
  const clusterArn = (i: number) => `arn:aws:rds:${region}:1:cluster:db-${i}`;
  const clusters = ids.map((i) => ({
    id: `db-${i}`, arn: clusterArn(i), region, engine: 'aurora-postgresql', engineVersion: '15.3', status: 'available', endpoint: null,
    deletionProtection: true, storageEncrypted: true, kmsKeyId: 'key', backupRetentionDays: 30, members: [`db-${i}-writer`], parameterGroup: `cluster-tls-${i}`,
    serverless: null, missing: false,
  }));
  const instance = (id: string, clusterId: string | null) => ({
    id, arn: `arn:aws:rds:${region}:1:db:${id}`, region, engine: clusterId ? 'aurora-postgresql' : 'postgres', clusterId, engineVersion: '14.12',
    parameterGroup: clusterId ? null : `${id}-tls`, publiclyAccessible: false, deletionProtection: true, storageEncrypted: true, kmsKeyId: 'key',
    backupRetentionDays: 30, backupReplications: [], missing: false,
  });
  const instances = ids.flatMap((i) => [instance(`db-${i}-writer`, `db-${i}`), instance(`solo-${i}`, null)]);
  const placement = (id: string, clusterId: string | null, i: number, slot: number) => ({
    id, region, clusterId, engine: clusterId ? 'aurora-postgresql' : 'postgres', instanceClass: 'db.t3.medium', vpcId: `vpc-${slot}-${i}`, subnetGroup: `subnets-${slot}-${i}`,
    subnets: [`subnet-${slot}-${i}`], securityGroups: [`sg-${slot}-${i}`], port: 5432, availabilityZone: `${region}a`, multiAz: true, logExports: ['postgresql'],
  });
  const network = ids.flatMap((i) => [placement(`db-${i}-writer`, `db-${i}`, i, 0), placement(`solo-${i}`, null, i, 1)]);
  const clusterSettings = ids.map((i) => ({
    id: `db-${i}`, region, engine: 'aurora-postgresql', multiAz: false, port: 5432, subnetGroup: `subnets-0-${i}`, securityGroups: [`sg-0-${i}`], logExports: ['postgresql'],
  }));
  const slots = ids.flatMap((i) => [[0, i], [1, i]] as const);
  const subnets = slots.map(([slot, i]) => ({
    subnetId: `subnet-${slot}-${i}`, vpcId: `vpc-${slot}-${i}`, region, availabilityZone: `${region}a`, routeTableId: `rtb-${slot}-${i}`, associationId: null, internetRoutes: [],
  }));
  const groups = slots.map(([slot, i]) => ({
    id: `sg-${slot}-${i}`, name: `db-${slot}-${i}`, vpcId: `vpc-${slot}-${i}`, region,
    ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, ipv4: [], ipv6: [], prefixLists: [], groups: [`sg-app-${i}`] }],
  }));
  const flowLogs = slots.map(([slot, i]) => ({
    id: `fl-${slot}-${i}`, resourceId: `vpc-${slot}-${i}`, region, status: 'ACTIVE', trafficType: 'ALL', destinationType: 's3', deliverStatus: 'SUCCESS',
  }));
  const parameterGroup = (name: string) => ({ name, region, found: true, parameters: { 'rds.force_ssl': '1' } });
  const clusterParameterGroups = ids.map((i) => parameterGroup(`cluster-tls-${i}`));
  const instanceParameterGroups = ids.map((i) => parameterGroup(`solo-${i}-tls`));
  const globals = ids.map((i) => ({
    id: `global-${i}`, arn: `arn:aws:rds::1:global-cluster:global-${i}`,
    members: [{ clusterArn: clusterArn(i), isWriter: true }, { clusterArn: `arn:aws:rds:us-west-2:1:cluster:db-${i}-secondary`, isWriter: false }],
  }));
  return { clusters, instances, network, clusterSettings, subnets, groups, flowLogs, clusterParameterGroups, instanceParameterGroups, globals };
}
