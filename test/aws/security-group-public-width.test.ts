import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import databaseIsolation from '../../checks/aws/aws.vpc.database-isolation.js';
import openAdminPorts from '../../checks/aws/aws.ec2.open-admin-ports.js';
import { factOf, type AnyCheck, type FactRef } from '../../src/model.js';
import { ec2SecurityGroups } from '../../src/facts/aws-network.js';
import { databaseBehind, isolatedNetwork, NETWORK } from '../support/isolated-network.js';
import { collectAws, motoForFile, type AwsRun } from '../support/aws-collect.js';
import { renderedCommands, renderedMessages } from '../support/check-tester.js';
import { motoEnv } from '../support/moto.js';

// Not only 0.0.0.0/0 and ::/0 open a port to the internet: a handful of regional IPv6 allocations, or one IPv4 /8 of
// cloud space anyone can rent an address in, reach nearly every real client or attacker.

const aws = motoForFile({ MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' });
let ec2: EC2Client;
let rds: RDSClient;
beforeAll(() => {
  ec2 = aws.client(EC2Client);
  rds = aws.client(RDSClient);
});

const layout = () => isolatedNetwork(ec2, rds);
const database = (groups: string[]) => databaseBehind(rds, groups);

const tcp = (port: number, source: Partial<IpPermission>): IpPermission => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, ...source });
const v6 = (...cidrs: string[]) => ({ Ipv6Ranges: cidrs.map((CidrIpv6) => ({ CidrIpv6 })) });
const v4 = (...cidrs: string[]) => ({ IpRanges: cidrs.map((CidrIp) => ({ CidrIp })) });

const REGIONAL_V6 = ['2600::/12', '2a00::/12', '2400::/12', '2800::/12', '2c00::/12', '2001::/16'];

function factsOf(run: AwsRun, check: AnyCheck): Record<string, unknown> {
  return Object.fromEntries(Object.entries(check.facts as Record<string, FactRef>).map(([name, ref]) => [name, (run.outcomes.get(factOf(ref).id) as { value: unknown }).value]));
}

/** The message and fix of each result whose resource is `resource`. */
function reported(run: AwsRun, check: AnyCheck, resource: string) {
  const facts = factsOf(run, check);
  const index = run.results(check).findIndex(([r]) => r === resource);
  return { message: renderedMessages(check, facts)[index]!, fix: renderedCommands(check, facts)[index] };
}

async function runFix(command: string): Promise<void> {
  await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, ...motoEnv(aws.moto) } });
}

describe('aws.ec2.open-admin-ports: wide public ranges short of the whole internet, collected from moto', () => {
  it('fails SSH from the regional IPv6 allocations (5 × /12 and 2001::/16), names how wide it is, and its fix closes it', async () => {
    const { group } = await layout();
    const ssh = await group('ssh-v6', tcp(22, v6(...REGIONAL_V6)));
    const run = await collectAws(aws.moto, [ec2SecurityGroups]);
    expect(run.results(openAdminPorts)).toContainEqual([ssh, 'fail', 'open']);
    const { message, fix } = reported(run, openAdminPorts, ssh);
    expect(message).toBe(`Security group ssh-v6 allows tcp/22 from 2600::/12 (5 × /12 + 1 × /16 of public IPv6 space in all) (port 22)`);
    for (const cidr of REGIONAL_V6) expect(fix).toContain(`"CidrIpv6":"${cidr}"`);
    await runFix(fix!);
    expect((await collectAws(aws.moto, [ec2SecurityGroups])).results(openAdminPorts)).toContainEqual([ssh, 'pass', 'closed']);
  });

  it('fails SSH from 2400::/8 + 2600::/8 + 2a00::/8', async () => {
    const { group } = await layout();
    const ssh = await group('ssh-v6', tcp(22, v6('2400::/8', '2600::/8', '2a00::/8')));
    const run = await collectAws(aws.moto, [ec2SecurityGroups]);
    expect(run.results(openAdminPorts)).toContainEqual([ssh, 'fail', 'open']);
    expect(reported(run, openAdminPorts, ssh).message).toBe('Security group ssh-v6 allows tcp/22 from 2400::/8 (3 × /8 of public IPv6 space in all) (port 22)');
  });

  it('fails SSH from 3.0.0.0/8 (EC2 address space) but revokes only that, not the office /32 beside it', async () => {
    const { group } = await layout();
    const ssh = await group('ssh-ec2', tcp(22, v4('3.0.0.0/8', '198.51.100.7/32')));
    const run = await collectAws(aws.moto, [ec2SecurityGroups]);
    expect(run.results(openAdminPorts)).toContainEqual([ssh, 'fail', 'open']);
    const { message, fix } = reported(run, openAdminPorts, ssh);
    expect(message).toBe('Security group ssh-ec2 allows tcp/22 from 3.0.0.0/8 (1 × /8 + 1 × /32 of public IPv4 space in all) (port 22)');
    expect(fix).toContain('"CidrIp":"3.0.0.0/8"');
    expect(fix).not.toContain('198.51.100.7/32');
    await runFix(fix!);
    expect((await collectAws(aws.moto, [ec2SecurityGroups])).results(openAdminPorts)).toContainEqual([ssh, 'pass', 'closed']);
  });

  it('passes SSH from an office /32, 10.0.0.0/8 and a /48 of IPv6', async () => {
    const { group } = await layout();
    const office = await group('office', tcp(22, { ...v4('198.51.100.7/32', '10.0.0.0/8'), ...v6('2001:db8:1234::/48', 'fd00::/8') }));
    const run = await collectAws(aws.moto, [ec2SecurityGroups]);
    expect(run.results(openAdminPorts)).toContainEqual([office, 'pass', 'closed']);
  });
});

describe('aws.vpc.database-isolation: wide public ranges short of the whole internet, collected from moto', () => {
  it('fails a database whose port is admitted from 3.0.0.0/8', async () => {
    const { group } = await layout();
    await database([await group('db', tcp(5432, v4('3.0.0.0/8')))]);
    const run = await collectAws(aws.moto, NETWORK);
    expect(run.results(databaseIsolation)).toEqual([['db', 'fail', 'open-to-world']]);
    expect(reported(run, databaseIsolation, 'db').message).toMatch(/allows tcp\/5432 from 3\.0\.0\.0\/8 \(a \/8 of public IPv4 space in all\)$/);
  });

  it('fails a database whose port is admitted from the regional IPv6 allocations', async () => {
    const { group } = await layout();
    await database([await group('db', tcp(5432, v6(...REGIONAL_V6)))]);
    expect((await collectAws(aws.moto, NETWORK)).results(databaseIsolation)).toEqual([['db', 'fail', 'open-to-world']]);
  });

  it('passes a database admitted from 10.0.0.0/8 and an office /32', async () => {
    const { group } = await layout();
    await database([await group('db', tcp(5432, v4('10.0.0.0/8', '198.51.100.7/32')))]);
    expect((await collectAws(aws.moto, NETWORK)).results(databaseIsolation)).toEqual([['db', 'pass', 'isolated']]);
  });
});
