import { describe, expect, it } from 'vitest';
import databaseIsolation from '../../../checks/aws/aws.vpc.database-isolation.js';
import openAdminPorts from '../../../checks/aws/aws.ec2.open-admin-ports.js';
import networkRestrictions from '../../../checks/supabase/supabase.network-restrictions.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// A port is open to the internet when its rules admit more public space than an IPv4 /16 or an IPv6 /32, whatever the
// ranges are written as; private and other special-use space does not count.

const rule = (over: Record<string, unknown> = {}) => ({ protocol: 'tcp', fromPort: 22, toPort: 22, ipv4: [], ipv6: [], prefixLists: [], groups: [], ...over });
const group = (id: string, ingress: unknown[]) => ({ id, name: id, vpcId: 'vpc-1', region: 'us-east-1', ingress });
const ssh = (ipv4: string[], ipv6: string[] = []) => ({ groups: [group('sg-1', [rule({ ipv4, ipv6 })])] });

describe('aws.ec2.open-admin-ports: how much public space is the internet', () => {
  const cases: CheckCase[] = [
    { name: 'a public IPv4 /16 passes', facts: ssh(['52.94.0.0/16']), expected: [['sg-1', 'pass', 'closed']] },
    { name: 'a public IPv4 /15 fails', facts: ssh(['52.94.0.0/15']), expected: [['sg-1', 'fail', 'open']] },
    { name: 'two /17s (a /16 together) pass', facts: ssh(['52.94.0.0/17', '52.95.0.0/17']), expected: [['sg-1', 'pass', 'closed']] },
    { name: 'three /17s fail', facts: ssh(['52.94.0.0/17', '52.95.0.0/17', '52.96.0.0/17']), expected: [['sg-1', 'fail', 'open']] },
    { name: '3.0.0.0/8 fails', facts: ssh(['3.0.0.0/8']), expected: [['sg-1', 'fail', 'open']] },
    {
      name: 'all private and special-use IPv4 space passes',
      facts: ssh(['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4']),
      expected: [['sg-1', 'pass', 'closed']],
    },
    { name: '10.0.0.0/7 (the private 10.0.0.0/8 and the public 11.0.0.0/8) fails', facts: ssh(['10.0.0.0/7']), expected: [['sg-1', 'fail', 'open']] },
    { name: 'a public IPv6 /32 passes', facts: ssh([], ['2600:1f00::/32']), expected: [['sg-1', 'pass', 'closed']] },
    { name: 'a public IPv6 /31 fails', facts: ssh([], ['2600:1f00::/31']), expected: [['sg-1', 'fail', 'open']] },
    { name: '2400::/8 + 2600::/8 + 2a00::/8 fail', facts: ssh([], ['2400::/8', '2600::/8', '2a00::/8']), expected: [['sg-1', 'fail', 'open']] },
    { name: 'private and special-use IPv6 space passes', facts: ssh([], ['fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8', '::1/128', '::/128']), expected: [['sg-1', 'pass', 'closed']] },
    { name: 'an IPv4-mapped IPv6 range of 3.0.0.0/8 fails', facts: ssh([], ['::ffff:3.0.0.0/104']), expected: [['sg-1', 'fail', 'open']] },
    { name: 'an IPv4-mapped IPv6 range of 10.0.0.0/8 passes', facts: ssh([], ['::ffff:10.0.0.0/104']), expected: [['sg-1', 'pass', 'closed']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(openAdminPorts, c)).toEqual(c.expected));

  it('an AWS-managed prefix list of service addresses passes; the same entries in a list of the account fail', () => {
    const S3_RANGES = ['52.216.0.0/15', '3.5.0.0/19', '54.231.0.0/16'];
    const fromList = (name: string, cidrs: string[]) => ({ groups: [group('sg-1', [rule({ prefixLists: ['pl-1'], prefixListRanges: [{ id: 'pl-1', name, cidrs, error: null }] })])] });
    expect(runCase(openAdminPorts, { name: '', facts: fromList('com.amazonaws.us-east-1.s3', S3_RANGES), expected: [] })).toEqual([['sg-1', 'pass', 'closed']]);
    expect(runCase(openAdminPorts, { name: '', facts: fromList('partners', S3_RANGES), expected: [] })).toEqual([['sg-1', 'fail', 'open']]);
    expect(runCase(openAdminPorts, { name: '', facts: fromList('com.amazonaws.us-east-1.s3', ['0.0.0.0/0']), expected: [] })).toEqual([['sg-1', 'fail', 'open']]);
  });

  it('names how wide the opening is, unless it is the whole internet', () => {
    expect(renderedMessages(openAdminPorts, ssh(['3.0.0.0/8']))).toEqual(['Security group sg-1 allows tcp/22 from 3.0.0.0/8 (a /8 of public IPv4 space in all) (port 22)']);
    expect(renderedMessages(openAdminPorts, ssh([], ['2600::/12', '2a00::/12', '2001:db8:1::/48']))).toEqual([
      'Security group sg-1 allows tcp/22 from 2600::/12 (2 × /12 + 1 × /48 of public IPv6 space in all) (port 22)',
    ]);
    // 0.0.0.0/1 less 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10 and 127.0.0.0/8: no short list of blocks.
    expect(renderedMessages(openAdminPorts, ssh(['0.0.0.0/1']))).toEqual(['Security group sg-1 allows tcp/22 from 0.0.0.0/1 (about 3.9 × /3 of public IPv4 space in all) (port 22)']);
    expect(renderedMessages(openAdminPorts, ssh(['0.0.0.0/0']))).toEqual(['Security group sg-1 allows tcp/22 from 0.0.0.0/0 (port 22)']);
    expect(renderedMessages(openAdminPorts, ssh([], ['::/0']))).toEqual(['Security group sg-1 allows tcp/22 from ::/0 (port 22)']);
  });

  it('revokes the widest ranges, as many as closing the port takes, and leaves the narrow ones admitted', () => {
    const [command] = renderedCommands(openAdminPorts, ssh(['52.94.0.0/17', '3.0.0.0/8', '198.51.100.7/32']));
    expect(command).toBe(`aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"3.0.0.0/8"}]}]' --region us-east-1`);
    const [pieces] = renderedCommands(openAdminPorts, ssh(['52.94.0.0/17', '52.95.0.0/17', '52.96.0.0/17']));
    expect(pieces).toBe(`aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"52.94.0.0/17"}]}]' --region us-east-1`);
  });
});

describe('aws.vpc.database-isolation: how much public space is the internet', () => {
  const instance = { id: 'db', arn: 'arn:db', region: 'us-east-1', engine: 'postgres', clusterId: null, publiclyAccessible: false, deletionProtection: true, storageEncrypted: true, kmsKeyId: null, backupRetentionDays: 30, missing: false };
  const placement = (securityGroups: string[]) => ({
    id: 'db', region: 'us-east-1', clusterId: null, engine: 'postgres', instanceClass: 'db.t3.micro', vpcId: 'vpc-1', subnets: ['subnet-a'], securityGroups, port: 5432, availabilityZone: 'us-east-1a', multiAz: false, logExports: [],
  });
  const subnet = { subnetId: 'subnet-a', vpcId: 'vpc-1', region: 'us-east-1', availabilityZone: null, routeTableId: 'rtb-main', associationId: null, internetRoutes: [] };
  const facts = (...groups: ReturnType<typeof group>[]) => ({ clusters: [], instances: [instance], network: [placement(groups.map((g) => g.id))], clusterSettings: [], subnets: [subnet], groups });
  const pg = (ipv4: string[], ipv6: string[] = []) => rule({ fromPort: 5432, toPort: 5432, ipv4, ipv6 });
  const cases: CheckCase[] = [
    { name: 'a /8 of public IPv4 space fails', facts: facts(group('sg-db', [pg(['3.0.0.0/8'])])), expected: [['db', 'fail', 'open-to-world']] },
    { name: 'a /12 of public IPv6 space fails', facts: facts(group('sg-db', [pg([], ['2600::/12'])])), expected: [['db', 'fail', 'open-to-world']] },
    { name: 'a /17 in each of three groups fails', facts: facts(group('sg-a', [pg(['52.94.0.0/17'])]), group('sg-b', [pg(['52.95.0.0/17'])]), group('sg-c', [pg(['52.96.0.0/17'])])), expected: [['db', 'fail', 'open-to-world']] },
    { name: '10.0.0.0/8 and an office /32 pass', facts: facts(group('sg-db', [pg(['10.0.0.0/8', '198.51.100.7/32'])])), expected: [['db', 'pass', 'isolated']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(databaseIsolation, c)).toEqual(c.expected));

  it('says how wide the opening is', () => {
    expect(renderedMessages(databaseIsolation, facts(group('sg-db', [pg(['3.0.0.0/8'])])))).toEqual(['db: security group sg-db allows tcp/5432 from 3.0.0.0/8 (a /8 of public IPv4 space in all)']);
  });
});

describe('supabase.network-restrictions reads allowed ranges the same way', () => {
  const restrictions = (dbAllowedCidrs: string[], dbAllowedCidrsV6: string[] = []) => ({ restrictions: { entitlement: 'allowed', status: 'applied', dbAllowedCidrs, dbAllowedCidrsV6 } });
  const config = { supabase: { projectRef: 'abcdefghijklmnopqrst' } };
  it('3.0.0.0/8 or three regional IPv6 /8s fail; an office /32 passes', () => {
    expect(runCase(networkRestrictions, { name: '', facts: restrictions(['3.0.0.0/8']), config, expected: [] })).toEqual([['abcdefghijklmnopqrst', 'fail', 'open']]);
    expect(runCase(networkRestrictions, { name: '', facts: restrictions([], ['2400::/8', '2600::/8', '2a00::/8']), config, expected: [] })).toEqual([['abcdefghijklmnopqrst', 'fail', 'open']]);
    expect(runCase(networkRestrictions, { name: '', facts: restrictions(['198.51.100.7/32']), config, expected: [] })).toEqual([['abcdefghijklmnopqrst', 'pass', 'restricted']]);
  });
});
