import { describe, expect, it } from 'vitest';
import databaseIsolation from '../../../checks/aws/aws.vpc.database-isolation.js';
import openAdminPorts from '../../../checks/aws/aws.ec2.open-admin-ports.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Facts shaped as the ec2 security group collector writes them: a rule admitting managed prefix lists carries their ids
// in `prefixLists` and, since it reads them, their entries in `prefixListRanges` (cidrs null when they were not read).

const instance = { id: 'db', arn: 'arn:db', region: 'us-east-1', engine: 'postgres', clusterId: null, publiclyAccessible: false, deletionProtection: true, storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30, missing: false };
const placement = (securityGroups: string[]) => ({
  id: 'db', region: 'us-east-1', clusterId: null, engine: 'postgres', instanceClass: 'db.t3.micro', vpcId: 'vpc-1', subnetGroup: 'isolated', subnets: ['subnet-a'],
  securityGroups, port: 5432, availabilityZone: 'us-east-1a', multiAz: false, logExports: [],
});
const subnet = { subnetId: 'subnet-a', vpcId: 'vpc-1', region: 'us-east-1', availabilityZone: null, routeTableId: 'rtb-main', associationId: null, internetRoutes: [] };
const list = (id: string, cidrs: string[] | null, name: string | null = id === 'pl-s3' ? 'com.amazonaws.us-east-1.s3' : `${id}-name`, error: string | null = cidrs ? null : 'AccessDenied calling ec2:GetManagedPrefixListEntries: denied') => ({ id, name, cidrs, error });
const rule = (over: Record<string, unknown> = {}) => ({ protocol: 'tcp', fromPort: 5432, toPort: 5432, ipv4: [], ipv6: [], prefixLists: [], prefixListRanges: [], groups: [], ...over });
/** A rule admitting the given prefix lists, their entries as collected. */
const listRule = (lists: ReturnType<typeof list>[], over: Record<string, unknown> = {}) => rule({ prefixLists: lists.map((l) => l.id), prefixListRanges: lists, ...over });
const group = (id: string, ingress: unknown[]) => ({ id, name: id, vpcId: 'vpc-1', region: 'us-east-1', ingress });
const database = (...groups: ReturnType<typeof group>[]) => ({ clusters: [], instances: [instance], network: [placement(groups.map((g) => g.id))], clusterSettings: [], subnets: [subnet], groups });

const WIDE = list('pl-wide', ['0.0.0.0/1', '128.0.0.0/1']);
const S3 = list('pl-s3', ['52.216.0.0/15', '3.5.0.0/19', '54.231.0.0/16']);
const UNREAD = list('pl-shared', null);

describe('aws.vpc.database-isolation: managed prefix lists', () => {
  const cases: CheckCase[] = [
    { name: 'a prefix list holding 0.0.0.0/1 and 128.0.0.0/1 on the port fails', facts: database(group('sg-db', [listRule([WIDE])])), expected: [['db', 'fail', 'open-to-world']] },
    { name: 'a prefix list of ::/0 on the port fails', facts: database(group('sg-db', [listRule([list('pl-v6', ['::/0'])])])), expected: [['db', 'fail', 'open-to-world']] },
    {
      // Each /8 alone is narrower than the widest private block; together they are a /7, too wide to be private.
      name: 'a prefix list\'s /8 and a rule\'s own /8 add up to the internet',
      facts: database(group('sg-db', [listRule([list('pl-half', ['65.0.0.0/8'])]), rule({ ipv4: ['64.0.0.0/8'] })])),
      expected: [['db', 'fail', 'open-to-world']],
    },
    { name: 'an AWS-managed list of service ranges passes (its entries decide)', facts: database(group('sg-db', [listRule([S3])])), expected: [['db', 'pass', 'isolated']] },
    { name: 'an AWS-managed list holding the whole internet fails (its entries decide)', facts: database(group('sg-db', [listRule([list('pl-s3', ['0.0.0.0/0'])])])), expected: [['db', 'fail', 'open-to-world']] },
    { name: 'a prefix list whose entries were not read is unverified', facts: database(group('sg-db', [listRule([UNREAD])])), expected: [['db', 'unverified', 'prefix-list-not-read']] },
    {
      name: 'a prefix list id without its entry in prefixListRanges is unverified',
      facts: database(group('sg-db', [rule({ prefixLists: ['pl-1', 'pl-2'], prefixListRanges: [list('pl-1', ['10.0.0.0/8'])] })])),
      expected: [['db', 'unverified', 'prefix-list-not-read']],
    },
    {
      name: 'a snapshot from before prefix list entries were collected is unverified',
      facts: database(group('sg-db', [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, ipv4: [], ipv6: [], prefixLists: ['pl-1'], groups: [] }])),
      expected: [['db', 'unverified', 'prefix-list-not-read']],
    },
    { name: 'an unread prefix list on another port passes', facts: database(group('sg-db', [listRule([UNREAD], { fromPort: 443, toPort: 443 })])), expected: [['db', 'pass', 'isolated']] },
    {
      name: 'an opening of the world still fails beside an unread prefix list',
      facts: database(group('sg-db', [listRule([UNREAD]), rule({ ipv4: ['0.0.0.0/0'] })])),
      expected: [['db', 'fail', 'open-to-world']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(databaseIsolation, c)).toEqual(c.expected));

  it('names the prefix list, and the fix revokes the rule by its PrefixListIds', () => {
    const facts = database(group('sg-db', [listRule([WIDE])]));
    expect(renderedMessages(databaseIsolation, facts)).toEqual(['db: security group sg-db allows tcp/5432 from 0.0.0.0/1 in prefix list pl-wide (pl-wide-name)']);
    expect(renderedCommands(databaseIsolation, facts)).toEqual([
      `aws ec2 revoke-security-group-ingress --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"PrefixListIds":[{"PrefixListId":"pl-wide"}]}]' --region us-east-1`,
    ]);
  });

  it('the unverified finding names the unread prefix list and why', () => {
    const [message] = renderedMessages(databaseIsolation, database(group('sg-db', [listRule([UNREAD])])));
    expect(message).toContain('pl-shared');
    expect(message).toContain('AccessDenied');
    const [old] = renderedMessages(databaseIsolation, database(group('sg-db', [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, ipv4: [], ipv6: [], prefixLists: ['pl-1'], groups: [] }])));
    expect(old).toContain('pl-1');
  });
});

describe('aws.vpc.database-isolation: several security groups on one database', () => {
  // 0.0.0.0/1 + 128.0.0.0/1 already fail group by group (each is too wide alone): two /8s, narrow alone, make a /7 together.
  const halves = [group('sg-a', [rule({ ipv4: ['64.0.0.0/8'] })]), group('sg-b', [rule({ ipv4: ['65.0.0.0/8'] })])] as const;
  const cases: CheckCase[] = [
    { name: 'two groups admitting a /8 each fail together', facts: database(...halves), expected: [['db', 'fail', 'open-to-world']] },
    {
      name: 'a group\'s range and another group\'s prefix list add up to the internet',
      facts: database(group('sg-a', [rule({ ipv4: ['64.0.0.0/8'] })]), group('sg-b', [listRule([list('pl-half', ['65.0.0.0/8'])])])),
      expected: [['db', 'fail', 'open-to-world']],
    },
    { name: 'two groups of private ranges pass', facts: database(group('sg-a', [rule({ ipv4: ['10.0.0.0/8'] })]), group('sg-b', [rule({ ipv4: ['172.16.0.0/12'] })])), expected: [['db', 'pass', 'isolated']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(databaseIsolation, c)).toEqual(c.expected));

  it('the fix revokes the openings of each group, one command per group', () => {
    const [fix] = renderedCommands(databaseIsolation, database(...halves));
    expect(fix!.split(' && ')).toEqual([
      `aws ec2 revoke-security-group-ingress --group-id sg-a --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"IpRanges":[{"CidrIp":"64.0.0.0/8"}]}]' --region us-east-1`,
      `aws ec2 revoke-security-group-ingress --group-id sg-b --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"IpRanges":[{"CidrIp":"65.0.0.0/8"}]}]' --region us-east-1`,
    ]);
  });

  it('the message names every group that holds an opening', () => {
    const [message] = renderedMessages(databaseIsolation, database(...halves));
    expect(message).toContain('sg-a');
    expect(message).toContain('sg-b');
  });
});

describe('aws.ec2.open-admin-ports: managed prefix lists', () => {
  const ssh = (lists: ReturnType<typeof list>[]) => listRule(lists, { fromPort: 22, toPort: 22 });
  const cases: CheckCase[] = [
    { name: 'SSH from a prefix list holding 0.0.0.0/0 fails', facts: { groups: [group('sg-1', [ssh([list('pl-any', ['0.0.0.0/0'])])])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'RDP from a prefix list holding the two IPv4 halves fails', facts: { groups: [group('sg-1', [listRule([WIDE], { fromPort: 3389, toPort: 3389 })])] }, expected: [['sg-1', 'fail', 'open']] },
    { name: 'SSH from a prefix list of office ranges passes', facts: { groups: [group('sg-1', [ssh([list('pl-office', ['203.0.113.0/24', '2001:db8::/32'])])])] }, expected: [['sg-1', 'pass', 'closed']] },
    { name: 'SSH from an AWS-managed list of service ranges passes', facts: { groups: [group('sg-1', [ssh([S3])])] }, expected: [['sg-1', 'pass', 'closed']] },
    { name: 'SSH from a prefix list whose entries were not read is unverified', facts: { groups: [group('sg-1', [ssh([UNREAD])])] }, expected: [['sg-1', 'unverified', 'prefix-list-not-read']] },
    {
      name: 'SSH from a prefix list in a snapshot from before entries were collected is unverified',
      facts: { groups: [group('sg-1', [{ protocol: 'tcp', fromPort: 22, toPort: 22, ipv4: [], ipv6: [], prefixLists: ['pl-1'], groups: [] }])] },
      expected: [['sg-1', 'unverified', 'prefix-list-not-read']],
    },
    { name: 'an unread prefix list on HTTPS only passes', facts: { groups: [group('sg-1', [listRule([UNREAD], { fromPort: 443, toPort: 443 })])] }, expected: [['sg-1', 'pass', 'closed']] },
    // The check reports groups, not instances: each group is judged alone, by design.
    { name: 'groups are judged one by one', facts: { groups: [group('sg-a', [rule({ fromPort: 22, toPort: 22, ipv4: ['64.0.0.0/16'] })]), group('sg-b', [rule({ fromPort: 22, toPort: 22, ipv4: ['65.0.0.0/16'] })])] }, expected: [['sg-a', 'pass', 'closed'], ['sg-b', 'pass', 'closed']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(openAdminPorts, c)).toEqual(c.expected));

  it('names the prefix list, and the fix revokes both the list rule and a plain range', () => {
    const facts = { groups: [group('sg 1', [ssh([list('pl-any', ['0.0.0.0/0'], "office's list")]), rule({ fromPort: 3389, toPort: 3389, ipv4: ['0.0.0.0/0'] })])] };
    expect(renderedMessages(openAdminPorts, facts)).toEqual(["Security group sg 1 allows tcp/22 from 0.0.0.0/0 in prefix list pl-any (office's list) (port 22)"]);
    expect(renderedCommands(openAdminPorts, facts)).toEqual([
      `aws ec2 revoke-security-group-ingress --group-id 'sg 1' --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"PrefixListIds":[{"PrefixListId":"pl-any"}]},{"IpProtocol":"tcp","FromPort":3389,"ToPort":3389,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region us-east-1`,
    ]);
  });

  it('a prefix list contributing several open entries is revoked once', () => {
    const facts = { groups: [group('sg-1', [ssh([WIDE])])] };
    expect(renderedCommands(openAdminPorts, facts)).toEqual([
      `aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"PrefixListIds":[{"PrefixListId":"pl-wide"}]}]' --region us-east-1`,
    ]);
  });
});
