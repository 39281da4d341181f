import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeRange } from '../../../checks/lib/security-groups.js';
import databaseIsolation from '../../../checks/aws/aws.vpc.database-isolation.js';
import openAdminPorts from '../../../checks/aws/aws.ec2.open-admin-ports.js';
import flowLogs from '../../../checks/aws/aws.vpc.flow-logs.js';
import multiAz from '../../../checks/aws/aws.rds.multi-az.js';
import logExports from '../../../checks/aws/aws.rds.log-exports.js';
import publicSnapshots from '../../../checks/aws/aws.rds.public-snapshots.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const instance = (over: Record<string, unknown> = {}) => ({
  id: 'db', arn: 'arn:db', region: 'us-east-1', engine: 'postgres', clusterId: null, publiclyAccessible: false, deletionProtection: true,
  storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30, missing: false, ...over,
});
const placement = (over: Record<string, unknown> = {}) => ({
  id: 'db', region: 'us-east-1', clusterId: null, engine: 'postgres', instanceClass: 'db.t3.micro', vpcId: 'vpc-1', subnets: ['subnet-a', 'subnet-b'],
  securityGroups: ['sg-db'], port: 5432, availabilityZone: 'us-east-1a', multiAz: false, logExports: [], ...over,
});
const subnet = (id: string, internetRoutes: string[] = [], routeTableId: string | null = 'rtb-main', associationId: string | null = null) => ({ subnetId: id, vpcId: 'vpc-1', region: 'us-east-1', availabilityZone: null, routeTableId, associationId, internetRoutes });
const rule = (over: Record<string, unknown> = {}) => ({ protocol: 'tcp', fromPort: 5432, toPort: 5432, ipv4: [], ipv6: [], prefixLists: [], groups: ['sg-app'], ...over });
const group = (id: string, ingress: unknown[] = [rule()], name = id) => ({ id, name, vpcId: 'vpc-1', region: 'us-east-1', ingress });
/** The /8 ranges `first`.0.0.0/8 up to, not including, `end`.0.0.0/8. */
const eighths = (first: number, end: number) => Array.from({ length: end - first }, (_, i) => `${first + i}.0.0.0/8`);
const isolated = { clusters: [], instances: [instance()], network: [placement()], clusterSettings: [], subnets: [subnet('subnet-a'), subnet('subnet-b')], groups: [group('sg-db')] };

describe('aws.vpc.database-isolation', () => {
  const cases: CheckCase[] = [
    { name: 'isolated subnets and a group open to the app only pass', facts: isolated, expected: [['db', 'pass', 'isolated']] },
    { name: 'a subnet routed to an internet gateway fails', facts: { ...isolated, subnets: [subnet('subnet-a'), subnet('subnet-b', ['0.0.0.0/0 → igw-1'])] }, expected: [['db', 'fail', 'internet-route']] },
    { name: 'all protocols from 0.0.0.0/0 fail', facts: { ...isolated, groups: [group('sg-db', [rule({ protocol: '-1', fromPort: null, toPort: null, ipv4: ['0.0.0.0/0'] })])] }, expected: [['db', 'fail', 'open-to-world']] },
    { name: 'a port range covering 5432 from ::/0 fails', facts: { ...isolated, groups: [group('sg-db', [rule({ fromPort: 0, toPort: 65535, ipv6: ['::/0'] })])] }, expected: [['db', 'fail', 'open-to-world']] },
    { name: 'the world on another port passes', facts: { ...isolated, groups: [group('sg-db', [rule({ fromPort: 443, toPort: 443, ipv4: ['0.0.0.0/0'] })])] }, expected: [['db', 'pass', 'isolated']] },
    // The internet need not be written as 0.0.0.0/0: two halves, or any range too wide to be private, open the port as well.
    { name: 'the two IPv4 halves 0.0.0.0/1 and 128.0.0.0/1 fail', facts: { ...isolated, groups: [group('sg-db', [rule({ ipv4: ['0.0.0.0/1', '128.0.0.0/1'] })])] }, expected: [['db', 'fail', 'open-to-world']] },
    { name: 'the two IPv6 halves ::/1 and 8000::/1 fail', facts: { ...isolated, groups: [group('sg-db', [rule({ ipv6: ['::/1'] }), rule({ ipv6: ['8000::/1'] })])] }, expected: [['db', 'fail', 'open-to-world']] },
    { name: 'private ranges (10.0.0.0/8, fc00::/7) pass', facts: { ...isolated, groups: [group('sg-db', [rule({ ipv4: ['10.0.0.0/8', '172.16.0.0/12'], ipv6: ['fc00::/7'] })])] }, expected: [['db', 'pass', 'isolated']] },
    // Holes: what was not read must never read as isolated.
    { name: 'a subnet that was not read is unverified', facts: { ...isolated, subnets: [subnet('subnet-a')] }, expected: [['db', 'unverified', 'subnet-not-read']] },
    { name: 'a subnet whose route table was not found is unverified', facts: { ...isolated, subnets: [subnet('subnet-a'), subnet('subnet-b', [], null)] }, expected: [['db', 'unverified', 'subnet-not-read']] },
    { name: 'a security group that was not read is unverified', facts: { ...isolated, groups: [] }, expected: [['db', 'unverified', 'group-not-read']] },
    { name: 'an instance whose placement was not read is unverified', facts: { ...isolated, network: [] }, expected: [['db', 'unverified', 'member-not-read']] },
    { name: 'no subnet group is unverified', facts: { ...isolated, network: [placement({ subnets: [] })] }, expected: [['db', 'unverified', 'no-subnets']] },
    { name: 'a configured instance that does not exist fails', facts: { ...isolated, instances: [instance({ missing: true })] }, expected: [['db', 'fail', 'missing']] },
    { name: 'no database fails', facts: { ...isolated, instances: [] }, expected: [['rds', 'fail', 'no-databases']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(databaseIsolation, c)).toEqual(c.expected));

  it('the fix revokes exactly the opening rule, quoted for the shell', () => {
    const facts = { ...isolated, groups: [group('sg-db', [rule({ fromPort: 0, toPort: 65535, ipv6: ['::/0'] })])] };
    expect(renderedCommands(databaseIsolation, facts)).toEqual([
      `aws ec2 revoke-security-group-ingress --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":0,"ToPort":65535,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]' --region us-east-1`,
    ]);
  });

  it('a database in routed subnets gets each of them a route table of the user\'s choosing, and any opening revoked with it', () => {
    const routed = [subnet('subnet-a', ['0.0.0.0/0 → igw-1'], 'rtb-public', 'rtbassoc-a'), subnet('subnet-b', ['::/0 → igw-1'])];
    const [reroute] = renderedCommands(databaseIsolation, { ...isolated, subnets: routed });
    expect(reroute!.split(' && ')).toEqual([
      'aws ec2 replace-route-table-association --association-id rtbassoc-a --route-table-id <private-route-table-id> --region us-east-1',
      'aws ec2 associate-route-table --subnet-id subnet-b --route-table-id <private-route-table-id> --region us-east-1',
    ]);
    const [both] = renderedCommands(databaseIsolation, { ...isolated, subnets: routed, groups: [group('sg-db', [rule({ ipv4: ['0.0.0.0/0'] })])] });
    expect(both!.split(' && ')).toEqual([
      'aws ec2 replace-route-table-association --association-id rtbassoc-a --route-table-id <private-route-table-id> --region us-east-1',
      'aws ec2 associate-route-table --subnet-id subnet-b --route-table-id <private-route-table-id> --region us-east-1',
      `aws ec2 revoke-security-group-ingress --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region us-east-1`,
    ]);
  });
});

describe('aws.ec2.open-admin-ports', () => {
  const cases: CheckCase[] = [
    { name: 'SSH from a known range passes', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: ['203.0.113.0/24'] })])] }, expected: [['sg-1', 'pass', 'closed']] },
    { name: 'SSH from the world fails', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: ['0.0.0.0/0'] })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'RDP inside a wide range from ::/0 fails', facts: { groups: [group('sg-1', [rule({ fromPort: 3000, toPort: 4000, ipv6: ['::/0'] })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'UDP 22 from the world is not SSH', facts: { groups: [group('sg-1', [rule({ protocol: 'udp', fromPort: 22, toPort: 22, ipv4: ['0.0.0.0/0'] })])] }, expected: [['sg-1', 'pass', 'closed']] },
    { name: 'SSH from the two IPv4 halves fails', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: ['0.0.0.0/1', '128.0.0.0/1'] })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'SSH from the two IPv6 halves fails', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv6: ['::/1', '8000::/1'] })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'SSH from one range wider than any private block fails', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: ['64.0.0.0/7'] })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'SSH from every /8, spread over two rules, fails', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: eighths(0, 128) }), rule({ fromPort: 0, toPort: 100, ipv4: eighths(128, 256) })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'SSH from private ranges only passes', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: ['10.0.0.0/8', '192.168.0.0/16'], ipv6: ['fc00::/7', '2001:db8::/32'] })])] }, expected: [['sg-1', 'pass', 'closed']] },
    { name: 'SSH from a range that cannot be read fails as open', facts: { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: ['0.0.0.0/x'] })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'no group at all is not applicable', facts: { groups: [] }, expected: [['ec2', 'not_applicable', 'no-security-groups']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(openAdminPorts, c)).toEqual(c.expected));

  it('ranges that together cover the internet are named as written, and all revoked', () => {
    const facts = { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv4: ['0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/8'] })])] };
    expect(renderedMessages(openAdminPorts, facts)).toEqual(['Security group sg-1 allows tcp/22 from 0.0.0.0/1 (port 22)']);
    expect(renderedCommands(openAdminPorts, facts)).toEqual([
      `aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/1"}]},{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"128.0.0.0/1"}]}]' --region us-east-1`,
    ]);
  });

  it('a range that cannot be read is named as written and said to be treated as open', () => {
    const facts = { groups: [group('sg-1', [rule({ fromPort: 22, toPort: 22, ipv6: ['not-a-cidr'] })])] };
    expect(renderedMessages(openAdminPorts, facts)).toEqual(['Security group sg-1 allows tcp/22 from not-a-cidr (an unreadable range, treated as open) (port 22)']);
  });

  it('a group name with shell characters is quoted in the fix', () => {
    const commands = renderedCommands(openAdminPorts, { groups: [group("sg-1; rm -rf ~'", [rule({ fromPort: 22, toPort: 22, ipv4: ['0.0.0.0/0'] })])] });
    expect(commands[0]).toContain(`--group-id 'sg-1; rm -rf ~'\\'''`);
  });
});

describe('aws.vpc.flow-logs', () => {
  const log = (over: Record<string, unknown> = {}) => ({ id: 'fl-1', resourceId: 'vpc-1', region: 'us-east-1', status: 'ACTIVE', trafficType: 'ALL', destinationType: 's3', deliverStatus: 'SUCCESS', ...over });
  const base = { clusters: [], instances: [instance()], network: [placement()] };
  const cases: CheckCase[] = [
    { name: 'an active ALL flow log passes', facts: { ...base, flowLogs: [log()] }, expected: [['vpc-1', 'pass', 'active']] },
    { name: 'REJECT only fails', facts: { ...base, flowLogs: [log({ trafficType: 'REJECT' })] }, expected: [['vpc-1', 'fail', 'partial']] },
    { name: 'a flow log of another VPC does not count', facts: { ...base, flowLogs: [log({ resourceId: 'vpc-2' })] }, expected: [['vpc-1', 'fail', 'no-flow-log']] },
    { name: 'an unread placement is unverified', facts: { ...base, network: [], flowLogs: [] }, expected: [['vpc', 'unverified', 'vpc-not-read']] },
    // A flow log that cannot deliver (its bucket policy denies it, its role is gone) records nothing.
    { name: 'an ALL flow log whose delivery FAILED fails', facts: { ...base, flowLogs: [log({ deliverStatus: 'FAILED' })] }, expected: [['vpc-1', 'fail', 'delivery-failed']] },
    { name: 'a delivering flow log beside a failed one passes', facts: { ...base, flowLogs: [log({ id: 'fl-bad', deliverStatus: 'FAILED' }), log({ id: 'fl-good' })] }, expected: [['vpc-1', 'pass', 'active']] },
    { name: 'an ALL flow log whose status was not reported is unverified, not active', facts: { ...base, flowLogs: [log({ status: null })] }, expected: [['vpc-1', 'unverified', 'status-unknown']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(flowLogs, c)).toEqual(c.expected));
});

describe('aws.rds.multi-az / aws.rds.log-exports / aws.rds.public-snapshots', () => {
  const cluster = { id: 'aurora', arn: 'arn', region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: '15.3', status: 'available', endpoint: null, deletionProtection: true, storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30, members: ['w'], parameterGroup: null, serverless: null, missing: false };
  const member = placement({ id: 'w', clusterId: 'aurora', engine: 'aurora-postgresql', instanceClass: 'db.serverless' });
  it('an Aurora cluster in one zone fails with a pasteable command that adds a reader in another zone', () => {
    const facts = { clusters: [cluster], instances: [], network: [member] };
    expect(runCase(multiAz, { name: '', facts, expected: [] })).toEqual([['aurora', 'fail', 'single-az']]);
    expect(renderedCommands(multiAz, facts)).toEqual([
      'aws rds create-db-instance --db-cluster-identifier aurora --db-instance-identifier aurora-reader --engine aurora-postgresql --db-instance-class db.serverless --availability-zone us-east-1b --region us-east-1',
    ]);
  });
  it('an unread member is unverified, never single- or multi-AZ', () => {
    expect(runCase(multiAz, { name: '', facts: { clusters: [{ ...cluster, members: ['w', 'r'] }], instances: [], network: [member] }, expected: [] })).toEqual([['aurora', 'unverified', 'member-not-read']]);
  });
  it('cluster log exports that were not read are unverified', () => {
    expect(runCase(logExports, { name: '', facts: { clusters: [cluster], instances: [], clusterSettings: [], network: [member] }, expected: [] })).toEqual([['aurora', 'unverified', 'not-read']]);
  });
  it('a public cluster snapshot gives the cluster form of the fix', () => {
    const snapshots = [{ id: 'snap 1', arn: 'arn', kind: 'cluster', region: 'us-east-1', source: 'aurora', encrypted: true, restorableBy: ['all'] }];
    expect(renderedCommands(publicSnapshots, { snapshots })).toEqual([
      "aws rds modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier 'snap 1' --attribute-name restore --values-to-remove all --region us-east-1",
    ]);
  });
});

describe('reading a CIDR', () => {
  // Node's own address parser is the oracle: the check reads addresses without loading node:net into every run.
  const addresses = [
    '0.0.0.0', '10.0.0.1', '255.255.255.255', '256.0.0.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3',
    '::', '::1', '2001:db8::', 'fc00::', '8000::', '::ffff:10.0.0.1', '2001:db8::1:2:3:4:5:6:7', '2001:db8:::1', ':::', '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:8:9', 'g::1', 'fe80::1%eth0', '[::1]', '::1/', '12345::', 'abcd', '', '1.2.3.4:80', '::ffff:256.0.0.1',
  ];
  it.each(addresses)('%j is read as Node reads it', (address) => {
    const readable = !describeRange(`${address}/8`).endsWith('(an unreadable range, treated as open)');
    expect(readable).toBe(isIP(address) !== 0 && !address.includes('%'));
  });
});
