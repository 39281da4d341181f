import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateManagedPrefixListCommand, DescribeManagedPrefixListsCommand, EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import databaseIsolation from '../../checks/aws/aws.vpc.database-isolation.js';
import openAdminPorts from '../../checks/aws/aws.ec2.open-admin-ports.js';
import { factOf, type AnyCheck, type FactRef } from '../../src/model.js';
import { ec2SecurityGroups } from '../../src/facts/aws-network.js';
import { databaseBehind, isolatedNetwork, NETWORK } from '../support/isolated-network.js';
import { collectAws, motoForFile, sentActions, type AwsRun } from '../support/aws-collect.js';
import { renderedCommands } from '../support/check-tester.js';
import { isReadOnly } from '../support/iam-actions.js';
import { motoEnv } from '../support/moto.js';

// moto 5.2 implements managed prefix lists (CreateManagedPrefixList, DescribeManagedPrefixLists,
// GetManagedPrefixListEntries) and seeds the AWS-managed ones (com.amazonaws.<region>.s3, …) with entries.
// Where it differs from AWS: it accepts a rule naming a prefix list that does not exist, and answers
// GetManagedPrefixListEntries for it with no entries (AWS refuses both with InvalidPrefixListID.NotFound).

const aws = motoForFile({ MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' });
let ec2: EC2Client;
let rds: RDSClient;
beforeAll(() => {
  ec2 = aws.client(EC2Client);
  rds = aws.client(RDSClient);
});

const layout = () => isolatedNetwork(ec2, rds);
const database = (groups: string[]) => databaseBehind(rds, groups);

const prefixList = async (name: string, cidrs: string[]) =>
  (await ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: name, AddressFamily: 'IPv4', MaxEntries: 10, Entries: cidrs.map((Cidr) => ({ Cidr })) }))).PrefixList!.PrefixListId!;

const tcp = (port: number, source: Partial<IpPermission>): IpPermission => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, ...source });
const fromLists = (...ids: string[]) => ({ PrefixListIds: ids.map((PrefixListId) => ({ PrefixListId })) });

interface CollectedRule {
  prefixLists: string[];
  prefixListRanges?: { id: string; name: string | null; cidrs: string[] | null; error: string | null }[];
}
function rulesOf(run: AwsRun, groupId: string): CollectedRule[] {
  const outcome = run.outcomes.get(ec2SecurityGroups.id) as { ok: true; value: { id: string; ingress: CollectedRule[] }[] };
  return outcome.value.find((g) => g.id === groupId)!.ingress;
}

/** The fix commands of the check, rendered from what was collected. */
function fixes(run: AwsRun, check: AnyCheck): string[] {
  const facts = Object.fromEntries(Object.entries(check.facts as Record<string, FactRef>).map(([name, ref]) => [name, (run.outcomes.get(factOf(ref).id) as { value: unknown }).value]));
  return renderedCommands(check, facts).filter((c): c is string => Boolean(c));
}

/** Runs a fix as a user pastes it, with the AWS CLI pointed at moto. */
async function runFix(command: string): Promise<void> {
  await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, ...motoEnv(aws.moto) } });
}

describe('managed prefix lists, collected from moto', () => {
  it('the collector records each referenced list\'s entries on the rule, AWS-managed lists too', async () => {
    const { group } = await layout();
    const anywhere = await prefixList('anywhere', ['0.0.0.0/1', '128.0.0.0/1']);
    const s3 = (await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3'] }] }))).PrefixLists![0]!;
    expect(s3.OwnerId).toBe('AWS');
    const db = await group('db', tcp(5432, fromLists(anywhere, s3.PrefixListId!)));
    const run = await collectAws(aws.moto, [ec2SecurityGroups]);
    const [rule] = rulesOf(run, db);
    expect(rule!.prefixLists).toEqual([anywhere, s3.PrefixListId]);
    expect(rule!.prefixListRanges).toEqual([
      { id: anywhere, name: 'anywhere', cidrs: ['0.0.0.0/1', '128.0.0.0/1'], error: null },
      { id: s3.PrefixListId, name: 'com.amazonaws.us-east-1.s3', cidrs: expect.arrayContaining(['52.216.0.0/15']), error: null },
    ]);
  });

  it('fails a database whose group admits its port from a prefix list of 0.0.0.0/1 + 128.0.0.0/1; its fix closes it', async () => {
    const { group } = await layout();
    const anywhere = await prefixList('anywhere', ['0.0.0.0/1', '128.0.0.0/1']);
    await database([await group('db', tcp(5432, fromLists(anywhere)))]);
    const run = await collectAws(aws.moto, NETWORK);
    expect(run.results(databaseIsolation)).toEqual([['db', 'fail', 'open-to-world']]);
    const [fix] = fixes(run, databaseIsolation);
    expect(fix).toContain(`"PrefixListIds":[{"PrefixListId":"${anywhere}"}]`);
    await runFix(fix!);
    expect((await collectAws(aws.moto, NETWORK)).results(databaseIsolation)).toEqual([['db', 'pass', 'isolated']]);
  });

  it('fails SSH from a prefix list holding 0.0.0.0/0; an office list and the AWS-managed S3 list pass; the fix closes it', async () => {
    const { group } = await layout();
    const s3 = (await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3'] }] }))).PrefixLists![0]!.PrefixListId!;
    const bastion = await group('bastion', tcp(22, fromLists(await prefixList('everyone', ['0.0.0.0/0']))));
    const office = await group('office', tcp(3389, fromLists(await prefixList('office', ['203.0.113.0/24']))));
    const endpoint = await group('s3-endpoint', tcp(22, fromLists(s3)));
    const run = await collectAws(aws.moto, [ec2SecurityGroups]);
    const results = run.results(openAdminPorts);
    expect(results.filter(([, status]) => status !== 'pass')).toEqual([[bastion, 'fail', 'open']]);
    expect(results).toContainEqual([office, 'pass', 'closed']);
    expect(results).toContainEqual([endpoint, 'pass', 'closed']);
    for (const fix of fixes(run, openAdminPorts)) await runFix(fix);
    expect((await collectAws(aws.moto, [ec2SecurityGroups])).results(openAdminPorts)).toContainEqual([bastion, 'pass', 'closed']);
  });

  it('a prefix list that cannot be read is recorded as unread and makes both checks unverified', async () => {
    const { group } = await layout();
    // A list this account cannot see (deleted, or no longer shared with it): moto lets a rule name one.
    const ghost = 'pl-0123456789abcdef0';
    const db = await group('db', tcp(5432, fromLists(ghost)), tcp(22, fromLists(ghost)));
    await database([db]);
    const run = await collectAws(aws.moto, NETWORK);
    const [rule] = rulesOf(run, db);
    expect(rule!.prefixListRanges).toEqual([{ id: ghost, name: null, cidrs: null, error: expect.stringContaining('not found') }]);
    expect(run.results(databaseIsolation)).toEqual([['db', 'unverified', 'prefix-list-not-read']]);
    expect(run.results(openAdminPorts)).toContainEqual([db, 'unverified', 'prefix-list-not-read']);
  });
});

describe('several security groups on one database, collected from moto', () => {
  it('two groups admitting a /8 each (a /7 together) fail; the fix revokes in each group', async () => {
    const { group } = await layout();
    const a = await group('db-a', tcp(5432, { IpRanges: [{ CidrIp: '64.0.0.0/8' }] }));
    const b = await group('db-b', tcp(5432, { IpRanges: [{ CidrIp: '65.0.0.0/8' }] }));
    await database([a, b]);
    const run = await collectAws(aws.moto, NETWORK);
    expect(run.results(databaseIsolation)).toEqual([['db', 'fail', 'open-to-world']]);
    const [fix] = fixes(run, databaseIsolation);
    const commands = fix!.split(' && ');
    expect(commands).toHaveLength(2);
    expect(commands[0]).toContain(`--group-id ${a} `);
    expect(commands[1]).toContain(`--group-id ${b} `);
    await runFix(fix!);
    expect((await collectAws(aws.moto, NETWORK)).results(databaseIsolation)).toEqual([['db', 'pass', 'isolated']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only, the prefix list reads among them', () => {
    expect(sentActions).toContain('ec2:DescribeManagedPrefixLists');
    expect(sentActions).toContain('ec2:GetManagedPrefixListEntries');
    expect([...sentActions].filter((action) => !isReadOnly(action))).toEqual([]);
  });
});
