import { describe, expect, it } from 'vitest';
import disasterRecovery from '../../../checks/aws/aws.rds.disaster-recovery.js';
import forceSsl from '../../../checks/aws/aws.rds.force-ssl.js';
import publicAccess from '../../../checks/aws/aws.rds.public-access.js';
import serverlessScaling from '../../../checks/aws/aws.rds.serverless-scaling.js';
import { evaluateCheck } from '../../../src/engine/evaluate.js';
import { factOf, type FactOutcome } from '../../../src/model.js';
import { makeConfig, renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const ARN = 'arn:aws:rds:us-east-1:1:cluster:db-1';
const cluster = (over: Record<string, unknown> = {}) => ({
  id: 'db-1', arn: ARN, region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: '15.3',
  status: 'available', endpoint: null, deletionProtection: true, storageEncrypted: true, kmsKeyId: 'key', backupRetentionDays: 30,
  members: ['db-1-writer'], parameterGroup: 'tls-on', serverless: null, missing: false,
  memberParameterStatuses: [{ instance: 'db-1-writer', status: 'in-sync' }], ...over,
});
const instance = (over: Record<string, unknown> = {}) => ({
  id: 'db-1-writer', arn: 'arn:aws:rds:us-east-1:1:db:db-1-writer', region: 'us-east-1', engine: 'aurora-postgresql', clusterId: 'db-1',
  publiclyAccessible: false, deletionProtection: false, storageEncrypted: true, kmsKeyId: 'key', backupRetentionDays: 30, backupReplications: [],
  parameterApplyStatus: 'in-sync', ...over,
});
const solo = (over: Record<string, unknown> = {}) => instance({ id: 'solo', arn: 'arn:aws:rds:us-east-1:1:db:solo', engine: 'postgres', clusterId: null, ...over });
const group = (name: string, parameters: Record<string, string | null>, found = true) => ({ name, region: 'us-east-1', found, parameters });

describe('aws.rds.public-access', () => {
  const cases: CheckCase[] = [
    { name: 'private members pass', facts: { clusters: [cluster()], instances: [instance()] }, expected: [['db-1', 'pass', 'private']] },
    { name: 'one public member fails the cluster', facts: { clusters: [cluster({ members: ['db-1-writer', 'db-1-reader'] })], instances: [instance(), instance({ id: 'db-1-reader', publiclyAccessible: true })] }, expected: [['db-1', 'fail', 'public']] },
    { name: 'a member not in the instance list is unverified, not pass', facts: { clusters: [cluster({ members: ['db-1-writer', 'ghost'] })], instances: [instance()] }, expected: [['db-1', 'unverified', 'member-not-read']] },
    { name: 'public standalone instance fails', facts: { clusters: [], instances: [solo({ publiclyAccessible: true })] }, expected: [['solo', 'fail', 'public']] },
    { name: 'configured cluster not found fails', facts: { clusters: [cluster({ missing: true })], instances: [] }, expected: [['db-1', 'fail', 'missing']] },
    { name: 'configured instance not found fails, not "private"', facts: { clusters: [cluster()], instances: [instance(), solo({ missing: true, arn: '' })] }, expected: [['db-1', 'pass', 'private'], ['solo', 'fail', 'missing']] },
    { name: 'no database fails', facts: { clusters: [], instances: [] }, expected: [['rds', 'fail', 'no-databases']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(publicAccess, c)).toEqual(c.expected));
});

const read = (value: unknown) => ({ ok: true, value });
/** The cluster's writer only: no standalone instance. */
const onlyMembers = { instances: read([instance()]), instanceGroups: read([]) };
const pgSolo = (over: Record<string, unknown> = {}) => solo({ engineVersion: '14.12', parameterGroup: 'solo-tls', ...over });
const deniedParameters = { ok: false, failure: { kind: 'AccessDenied', message: 'AccessDenied calling rds:DescribeDBParameters', fix: 'grant rds:DescribeDBParameters' } };

describe('aws.rds.force-ssl', () => {
  const cases: CheckCase[] = [
    { name: 'rds.force_ssl=1 passes', facts: { ...onlyMembers, clusters: [cluster()], groups: [group('tls-on', { 'rds.force_ssl': '1' })] }, expected: [['db-1', 'pass', 'forced']] },
    { name: 'rds.force_ssl=0 fails', facts: { ...onlyMembers, clusters: [cluster()], groups: [group('tls-on', { 'rds.force_ssl': '0' })] }, expected: [['db-1', 'fail', 'not-forced']] },
    { name: 'default group on Aurora PostgreSQL 15 fails (engine default is 0)', facts: { ...onlyMembers, clusters: [cluster({ parameterGroup: 'default.aurora-postgresql15' })], groups: [group('default.aurora-postgresql15', {}, false)] }, expected: [['db-1', 'fail', 'engine-default']] },
    { name: 'default group on Aurora PostgreSQL 17 passes (engine default is 1)', facts: { ...onlyMembers, clusters: [cluster({ engineVersion: '17.4', parameterGroup: 'default.aurora-postgresql17' })], groups: [group('default.aurora-postgresql17', { 'rds.force_ssl': null })] }, expected: [['db-1', 'pass', 'forced-by-default']] },
    // Attached or edited but not applied: the engine runs the old setting until the member reboots.
    { name: 'rds.force_ssl=1 on a member still pending-reboot is unverified, not pass', facts: { ...onlyMembers, clusters: [cluster({ members: ['db-1-writer', 'db-1-reader'], memberParameterStatuses: [{ instance: 'db-1-writer', status: 'in-sync' }, { instance: 'db-1-reader', status: 'pending-reboot' }] })], groups: [group('tls-on', { 'rds.force_ssl': '1' })] }, expected: [['db-1', 'unverified', 'pending-reboot']] },
    { name: 'a default group forcing TLS on Aurora 17, attached but pending-reboot, is unverified', facts: { ...onlyMembers, clusters: [cluster({ engineVersion: '17.4', parameterGroup: 'default.aurora-postgresql17', memberParameterStatuses: [{ instance: 'db-1-writer', status: 'pending-reboot' }] })], groups: [group('default.aurora-postgresql17', { 'rds.force_ssl': null })] }, expected: [['db-1', 'unverified', 'pending-reboot']] },
    { name: 'a member whose status was not answered is unverified', facts: { ...onlyMembers, clusters: [cluster({ memberParameterStatuses: [{ instance: 'db-1-writer', status: null }] })], groups: [group('tls-on', { 'rds.force_ssl': '1' })] }, expected: [['db-1', 'unverified', 'apply-status-not-read']] },
    { name: 'a snapshot from before the apply status was read is unverified, never pass', facts: { ...onlyMembers, clusters: [cluster({ memberParameterStatuses: undefined })], groups: [group('tls-on', { 'rds.force_ssl': '1' })] }, expected: [['db-1', 'unverified', 'apply-status-not-read']] },
    { name: 'rds.force_ssl=0 pending-reboot still fails', facts: { ...onlyMembers, clusters: [cluster({ memberParameterStatuses: [{ instance: 'db-1-writer', status: 'pending-reboot' }] })], groups: [group('tls-on', { 'rds.force_ssl': '0' })] }, expected: [['db-1', 'fail', 'not-forced']] },
    { name: 'a cluster without members has nothing to reboot: its group decides', facts: { ...onlyMembers, clusters: [cluster({ members: [], memberParameterStatuses: [] })], groups: [group('tls-on', { 'rds.force_ssl': '1' })] }, expected: [['db-1', 'pass', 'forced']] },
    { name: 'Aurora MySQL needs require_secure_transport=ON', facts: { ...onlyMembers, clusters: [cluster({ engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2' })], groups: [group('tls-on', { require_secure_transport: 'ON' })] }, expected: [['db-1', 'pass', 'forced']] },
    { name: 'a custom group that was not found is unverified', facts: { ...onlyMembers, clusters: [cluster()], groups: [group('tls-on', {}, false)] }, expected: [['db-1', 'unverified', 'group-not-found']] },
    { name: 'a group absent from the fact is unverified', facts: { ...onlyMembers, clusters: [cluster()], groups: [] }, expected: [['db-1', 'unverified', 'group-not-read']] },
    { name: 'an unknown engine is unverified', facts: { ...onlyMembers, clusters: [cluster({ engine: 'neptune' })], groups: [group('tls-on', {})] }, expected: [['db-1', 'unverified', 'unknown-engine']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(forceSsl, c)).toEqual(c.expected));
});

describe('aws.rds.force-ssl on standalone instances (DB parameter groups)', () => {
  const withSolo = (instances: unknown[], instanceGroups: unknown) => ({ clusters: [], groups: [], instances: read(instances), instanceGroups });
  const cases: CheckCase[] = [
    { name: 'rds.force_ssl=1 in the instance group passes', facts: withSolo([pgSolo()], read([group('solo-tls', { 'rds.force_ssl': '1' })])), expected: [['solo', 'pass', 'forced']] },
    { name: 'rds.force_ssl=0 in the instance group fails', facts: withSolo([pgSolo()], read([group('solo-tls', { 'rds.force_ssl': '0' })])), expected: [['solo', 'fail', 'not-forced']] },
    { name: 'default group on RDS PostgreSQL 14 fails (engine default is 0)', facts: withSolo([pgSolo({ parameterGroup: 'default.postgres14' })], read([group('default.postgres14', {}, false)])), expected: [['solo', 'fail', 'engine-default']] },
    { name: 'default group on RDS PostgreSQL 15 passes (engine default is 1)', facts: withSolo([pgSolo({ engineVersion: '15.7', parameterGroup: 'default.postgres15' })], read([group('default.postgres15', { 'rds.force_ssl': null })])), expected: [['solo', 'pass', 'forced-by-default']] },
    { name: 'default group on RDS MySQL fails (require_secure_transport is off by default)', facts: withSolo([pgSolo({ engine: 'mysql', engineVersion: '8.0.39', parameterGroup: 'default.mysql8.0' })], read([group('default.mysql8.0', { require_secure_transport: null })])), expected: [['solo', 'fail', 'engine-default']] },
    { name: 'RDS MySQL with require_secure_transport=1 passes', facts: withSolo([pgSolo({ engine: 'mysql', engineVersion: '8.0.39' })], read([group('solo-tls', { require_secure_transport: '1' })])), expected: [['solo', 'pass', 'forced']] },
    { name: 'rds.force_ssl=1 in a group attached but pending-reboot is unverified, not pass', facts: withSolo([pgSolo({ parameterApplyStatus: 'pending-reboot' })], read([group('solo-tls', { 'rds.force_ssl': '1' })])), expected: [['solo', 'unverified', 'pending-reboot']] },
    { name: 'rds.force_ssl=1 still applying is unverified, not pass', facts: withSolo([pgSolo({ parameterApplyStatus: 'applying' })], read([group('solo-tls', { 'rds.force_ssl': '1' })])), expected: [['solo', 'unverified', 'pending-reboot']] },
    { name: 'default group on RDS PostgreSQL 15 attached but pending-reboot is unverified', facts: withSolo([pgSolo({ engineVersion: '15.7', parameterGroup: 'default.postgres15', parameterApplyStatus: 'pending-reboot' })], read([group('default.postgres15', { 'rds.force_ssl': null })])), expected: [['solo', 'unverified', 'pending-reboot']] },
    { name: 'rds.force_ssl=0 pending-reboot still fails', facts: withSolo([pgSolo({ parameterApplyStatus: 'pending-reboot' })], read([group('solo-tls', { 'rds.force_ssl': '0' })])), expected: [['solo', 'fail', 'not-forced']] },
    { name: 'a snapshot from before the apply status was read is unverified, never pass (instance)', facts: withSolo([pgSolo({ parameterApplyStatus: undefined })], read([group('solo-tls', { 'rds.force_ssl': '1' })])), expected: [['solo', 'unverified', 'apply-status-not-read']] },
    { name: 'an instance answered without its apply status is unverified', facts: withSolo([pgSolo({ parameterApplyStatus: null })], read([group('solo-tls', { 'rds.force_ssl': '1' })])), expected: [['solo', 'unverified', 'apply-status-not-read']] },
    { name: 'a snapshot from before parameterGroup was read is unverified, never pass', facts: withSolo([pgSolo({ parameterGroup: null, engineVersion: null })], read([])), expected: [['solo', 'unverified', 'group-not-read']] },
    { name: 'groups that could not be read leave each instance unverified', facts: withSolo([pgSolo(), pgSolo({ id: 'solo-2' })], deniedParameters), expected: [['solo', 'unverified', 'group-not-read'], ['solo-2', 'unverified', 'group-not-read']] },
    { name: 'a configured instance that does not exist fails', facts: withSolo([pgSolo({ missing: true, arn: '' })], read([])), expected: [['solo', 'fail', 'missing']] },
    { name: 'cluster members are judged by their cluster, not again as instances', facts: { clusters: [cluster()], groups: [group('tls-on', { 'rds.force_ssl': '1' })], instances: read([instance(), pgSolo()]), instanceGroups: read([group('solo-tls', { 'rds.force_ssl': '0' })]) }, expected: [['db-1', 'pass', 'forced'], ['solo', 'fail', 'not-forced']] },
    { name: 'the same group name in another region is not this instance\'s', facts: withSolo([pgSolo()], read([{ ...group('solo-tls', { 'rds.force_ssl': '1' }), region: 'eu-west-1' }])), expected: [['solo', 'unverified', 'group-not-read']] },
    { name: 'instances that could not be listed are unverified beside the clusters\' results', facts: { clusters: [cluster()], groups: [group('tls-on', { 'rds.force_ssl': '1' })], instances: { ok: false, failure: { kind: 'Throttled', message: 'Throttling' } }, instanceGroups: deniedParameters }, expected: [['db-1', 'pass', 'forced'], ['rds-instances', 'unverified', 'instances-not-read']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(forceSsl, c)).toEqual(c.expected));

  it('a group not applied yet names the members to reboot, with the reboot as its fix and no modify command', () => {
    const pending = { clusters: [cluster({ members: ['db-1-writer', 'db-1-reader'], memberParameterStatuses: [{ instance: 'db-1-writer', status: 'pending-reboot' }, { instance: 'db-1-reader', status: 'pending-reboot' }] })], groups: [group('tls-on', { 'rds.force_ssl': '1' })], instances: [instance()], instanceGroups: [] };
    const outcomes = new Map<string, FactOutcome>(Object.entries(forceSsl.facts).map(([name, ref]) => [factOf(ref).id, { ok: true, value: pending[name as keyof typeof pending] }]));
    const [result] = evaluateCheck(forceSsl, outcomes, { config: makeConfig(), now: new Date() });
    expect(result).toMatchObject({
      status: 'unverified',
      message: 'rds.force_ssl is set in tls-on but not applied yet (pending-reboot): reboot db-1-writer, db-1-reader',
      evidence: { applyStatus: 'pending-reboot', fix: 'aws rds reboot-db-instance --db-instance-identifier db-1-writer --region us-east-1 && aws rds reboot-db-instance --db-instance-identifier db-1-reader --region us-east-1' },
    });
    // The group already forces TLS: setting it again is no fix, the reboot is.
    expect(result!.remediation.command).toBeUndefined();
  });

  it('gives clusters and instances their own modify command', () => {
    // renderedCommands hands every fact over as read, so optional facts are given as plain values here.
    const facts = { clusters: [cluster({ parameterGroup: 'default.aurora-postgresql15' })], groups: [group('default.aurora-postgresql15', {}, false)], instances: [instance(), pgSolo({ parameterGroup: 'default.postgres14' })], instanceGroups: [group('default.postgres14', {}, false)] };
    // A default group cannot be modified: each command creates the custom group, sets the parameter and attaches the group.
    expect(renderedCommands(forceSsl, facts).map((command) => command!.split(' && '))).toEqual([
      [
        "aws rds create-db-cluster-parameter-group --db-cluster-parameter-group-name db-1-tls --db-parameter-group-family aurora-postgresql15 --description 'db-1: TLS required' --region us-east-1",
        'aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name db-1-tls --parameters ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate --region us-east-1',
        'aws rds modify-db-cluster --db-cluster-identifier db-1 --db-cluster-parameter-group-name db-1-tls --apply-immediately --region us-east-1',
      ],
      [
        "aws rds create-db-parameter-group --db-parameter-group-name solo-tls --db-parameter-group-family postgres14 --description 'solo: TLS required' --region us-east-1",
        'aws rds modify-db-parameter-group --db-parameter-group-name solo-tls --parameters ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate --region us-east-1',
        'aws rds modify-db-instance --db-instance-identifier solo --db-parameter-group-name solo-tls --apply-immediately --region us-east-1',
      ],
    ]);
  });
});

describe('aws.rds.serverless-scaling', () => {
  const serverless = (minCapacity: number, maxCapacity: number) => cluster({ serverless: { minCapacity, maxCapacity } });
  const bounds = { aws: { rds: { serverless: { minCapacity: 0.5, maxCapacity: 8 } } } };
  const cases: CheckCase[] = [
    { name: '0.5–8 ACU inside 0.5–8 passes', facts: { clusters: [serverless(0.5, 8)] }, config: bounds, expected: [['db-1', 'pass', 'within-bounds']] },
    { name: 'max above bound fails', facts: { clusters: [serverless(0.5, 16)] }, config: bounds, expected: [['db-1', 'fail', 'above-max']] },
    { name: 'min below bound fails', facts: { clusters: [serverless(0, 8)] }, config: bounds, expected: [['db-1', 'fail', 'below-min']] },
    { name: 'no bounds configured reports the range', facts: { clusters: [serverless(1, 4)] }, expected: [['db-1', 'pass', 'no-bounds']] },
    { name: 'provisioned cluster is not applicable', facts: { clusters: [cluster()] }, config: bounds, expected: [['db-1', 'not_applicable', 'provisioned']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(serverlessScaling, c)).toEqual(c.expected));

  it('evidence reads "0.5–8 ACU"', () => {
    const [finding] = serverlessScaling.evaluate({ clusters: [serverless(0.5, 8)] } as never, { config: { aws: { rds: bounds.aws.rds } } as never, now: new Date() });
    expect(finding?.evidence?.capacity).toBe('0.5–8 ACU');
  });
});

describe('aws.rds.disaster-recovery', () => {
  const global = (members: string[]) => ({ id: 'g1', arn: 'arn:aws:rds::1:global-cluster:g1', members: members.map((clusterArn, i) => ({ clusterArn, isWriter: i === 0 })) });
  const cases: CheckCase[] = [
    { name: 'global database with a secondary region passes', facts: { clusters: [cluster()], instances: [], globals: [global([ARN, 'arn:aws:rds:us-west-2:1:cluster:db-2'])] }, expected: [['db-1', 'pass', 'global-cluster']] },
    { name: 'global database without a secondary fails', facts: { clusters: [cluster()], instances: [], globals: [global([ARN])] }, expected: [['db-1', 'fail', 'global-single-region']] },
    {
      name: 'a second member in the same region is no copy outside it (hole: counting members passed it)',
      facts: { clusters: [cluster()], instances: [], globals: [global([ARN, 'arn:aws:rds:us-east-1:1:cluster:db-1-copy'])] },
      expected: [['db-1', 'fail', 'global-single-region']],
    },
    {
      name: 'another database\'s global cluster is not this one\'s copy',
      facts: { clusters: [cluster()], instances: [], globals: [global(['arn:aws:rds:us-east-1:1:cluster:other', 'arn:aws:rds:us-west-2:1:cluster:other-secondary'])] },
      expected: [['db-1', 'fail', 'no-cross-region-copy']],
    },
    { name: 'no global database fails', facts: { clusters: [cluster()], instances: [], globals: [] }, expected: [['db-1', 'fail', 'no-cross-region-copy']] },
    { name: 'standalone instance with backup replication passes', facts: { clusters: [], instances: [solo({ backupReplications: ['arn:aws:rds:us-west-2:1:auto-backup:ab-1'] })], globals: [] }, expected: [['solo', 'pass', 'backup-replication']] },
    { name: 'standalone instance without replication fails', facts: { clusters: [], instances: [solo()], globals: [] }, expected: [['solo', 'fail', 'no-cross-region-copy']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(disasterRecovery, c)).toEqual(c.expected));

  it('gives the command that fits each finding: a global cluster with its secondary, a secondary, or instance backup replication', () => {
    const facts = {
      clusters: [cluster(), cluster({ id: 'db-2', arn: 'arn:aws:rds:us-east-1:1:cluster:db-2', engineVersion: null })],
      instances: [solo({ storageEncrypted: false }), solo({ id: 'solo-kms', arn: 'arn:aws:rds:us-east-1:1:db:solo-kms' })],
      globals: [global(['arn:aws:rds:us-east-1:1:cluster:db-2'])],
    };
    expect(renderedCommands(disasterRecovery, facts)).toEqual([
      `aws rds create-global-cluster --global-cluster-identifier db-1-global --source-db-cluster-identifier ${ARN} --region us-east-1 && aws rds create-db-cluster --db-cluster-identifier db-1-secondary --global-cluster-identifier db-1-global --engine aurora-postgresql --engine-version 15.3 --region <other-region>`,
      'aws rds create-db-cluster --db-cluster-identifier db-2-secondary --global-cluster-identifier g1 --engine aurora-postgresql --region <other-region>',
      'aws rds start-db-instance-automated-backups-replication --source-db-instance-arn arn:aws:rds:us-east-1:1:db:solo --region <other-region>',
      'aws rds start-db-instance-automated-backups-replication --source-db-instance-arn arn:aws:rds:us-east-1:1:db:solo-kms --kms-key-id <kms-key-arn-in-other-region> --region <other-region>',
    ]);
  });
});
