import { describe, expect, it } from 'vitest';
import publicAccess from '../../checks/aws/aws.rds.public-access.js';
import tlsOnly from '../../checks/aws/aws.s3.tls-only.js';
import versioning from '../../checks/aws/aws.s3.versioning.js';
import alarmsRequired from '../../checks/monitoring/monitoring.alarms.required.js';
import { parseConfig } from '../../src/config/load.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../support/check-tester.js';

// These checks find a bucket, an alarm or an instance through an index built once per run (an `init`-style config
// lists every resource). The index must find exactly what the scan it replaced found: else a pass where it is unsafe.

describe('aws.s3.versioning reads `versioning: required` from the config entry of the bucket', () => {
  const buckets = ['bucket-a', 'bucket-b'].map((name) => ({ name, region: 'us-east-1', exists: true }));
  const facts = { buckets, versioning: [{ bucket: 'bucket-a', status: 'Suspended', mfaDelete: false }, { bucket: 'bucket-b', status: 'Suspended', mfaDelete: false }] };
  const cases: CheckCase[] = [
    { name: 'listed as required fails, listed without PHI is n/a', facts, config: { aws: { region: 'us-east-1', s3: { buckets: [{ name: 'bucket-a', versioning: 'required', phi: false }, { name: 'bucket-b', phi: false }] } } }, expected: [['bucket-a', 'fail', 'not-enabled'], ['bucket-b', 'not_applicable', 'not-required']] },
    { name: 'a bucket listed twice takes its first entry', facts, config: { aws: { region: 'us-east-1', s3: { buckets: [{ name: 'bucket-a', versioning: 'required', phi: false }, { name: 'bucket-a', versioning: 'optional', phi: false }, { name: 'bucket-b', phi: false }, { name: 'bucket-b', versioning: 'required' }] } } }, expected: [['bucket-a', 'fail', 'not-enabled'], ['bucket-b', 'not_applicable', 'not-required']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(versioning, c)).toEqual(c.expected));
});

describe('monitoring.alarms.required matches namespace, metric and every dimension asked for', () => {
  const alarm = (name: string, dimensions: Record<string, string>, over: Record<string, unknown> = {}) => ({
    name, arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`, region: 'us-east-1', namespace: 'AWS/RDS', metric: 'CPUUtilization',
    threshold: 80, comparison: 'GreaterThanThreshold', statistic: 'Average', period: 300, evaluationPeriods: 2, dimensions, actionsEnabled: true, alarmActions: [], state: 'OK', ...over,
  });
  const want = (dimensions?: Record<string, string>) => ({ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80, ...(dimensions ? { dimensions } : {}) });
  const config = (...requiredAlarms: ReturnType<typeof want>[]) => ({ aws: { region: 'us-east-1', cloudwatch: { requiredAlarms } } });
  const cases: CheckCase[] = [
    { name: 'an alarm on another cluster does not count', facts: { alarms: [alarm('db-2', { DBClusterIdentifier: 'db-2' })] }, config: config(want({ DBClusterIdentifier: 'db-1' })), expected: [['AWS/RDS CPUUtilization DBClusterIdentifier=db-1', 'fail', 'missing']] },
    { name: 'an alarm on the same dimension of another metric does not count', facts: { alarms: [alarm('db-1', { DBClusterIdentifier: 'db-1' }, { metric: 'FreeableMemory' })] }, config: config(want({ DBClusterIdentifier: 'db-1' })), expected: [['AWS/RDS CPUUtilization DBClusterIdentifier=db-1', 'fail', 'missing']] },
    // CloudWatch matches the exact dimension set: an alarm with one more dimension watches another metric.
    { name: 'every dimension asked for must match, and an alarm with extra ones watches a narrower metric', facts: { alarms: [alarm('half', { DBClusterIdentifier: 'db-1', Role: 'READER' }), alarm('full', { DBClusterIdentifier: 'db-1', Role: 'WRITER', Extra: 'x' })] }, config: config(want({ DBClusterIdentifier: 'db-1', Role: 'WRITER' })), expected: [['AWS/RDS CPUUtilization DBClusterIdentifier=db-1,Role=WRITER', 'unverified', 'extra-dimensions']] },
    { name: 'every dimension asked for, and no other, passes', facts: { alarms: [alarm('half', { DBClusterIdentifier: 'db-1', Role: 'READER' }), alarm('full', { DBClusterIdentifier: 'db-1', Role: 'WRITER', Extra: 'x' }), alarm('exact', { Role: 'WRITER', DBClusterIdentifier: 'db-1' })] }, config: config(want({ DBClusterIdentifier: 'db-1', Role: 'WRITER' })), expected: [['AWS/RDS CPUUtilization DBClusterIdentifier=db-1,Role=WRITER', 'pass', 'present']] },
    { name: 'only the loose alarm carries the dimensions: too loose', facts: { alarms: [alarm('tight', { DBClusterIdentifier: 'db-2' }), alarm('loose', { DBClusterIdentifier: 'db-1' }, { threshold: 95 })] }, config: config(want({ DBClusterIdentifier: 'db-1' })), expected: [['AWS/RDS CPUUtilization DBClusterIdentifier=db-1', 'fail', 'too-loose']] },
    { name: 'no dimension asked for: any alarm on the metric', facts: { alarms: [alarm('any', { DBClusterIdentifier: 'db-9' })] }, config: config(want()), expected: [['AWS/RDS CPUUtilization', 'pass', 'present']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsRequired, c)).toEqual(c.expected));
});

describe('monitoring.alarms.required wants an alarm that fires when the metric rises', () => {
  // Every requirement watches a metric going up (errors, CPU): an alarm below a threshold never fires for it.
  const alarm = (name: string, comparison: string, threshold: number | null) => ({
    name, arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`, region: 'us-east-1', namespace: 'AWS/ApiGateway', metric: '5XXError',
    threshold, comparison, statistic: 'Sum', period: 300, evaluationPeriods: 2, dimensions: {}, actionsEnabled: true, alarmActions: [], state: 'OK',
  });
  const config = (maxThreshold?: number) => ({ aws: { region: 'us-east-1', cloudwatch: { requiredAlarms: [{ namespace: 'AWS/ApiGateway', metric: '5XXError', ...(maxThreshold === undefined ? {} : { maxThreshold }) }] } } });
  const R = 'AWS/ApiGateway 5XXError';
  const cases: CheckCase[] = [
    { name: 'LessThanThreshold 0 without maxThreshold', facts: { alarms: [alarm('never', 'LessThanThreshold', 0)] }, config: config(), expected: [[R, 'fail', 'lower-bound']] },
    { name: 'LessThanOrEqualToThreshold without maxThreshold', facts: { alarms: [alarm('never', 'LessThanOrEqualToThreshold', 5)] }, config: config(), expected: [[R, 'fail', 'lower-bound']] },
    { name: 'LessThanLowerThreshold (anomaly band) without maxThreshold', facts: { alarms: [alarm('band', 'LessThanLowerThreshold', null)] }, config: config(), expected: [[R, 'fail', 'lower-bound']] },
    { name: 'LessThanThreshold with maxThreshold', facts: { alarms: [alarm('never', 'LessThanThreshold', 0)] }, config: config(5), expected: [[R, 'fail', 'lower-bound']] },
    { name: 'a lower-bound alarm beside a rising one: the rising one counts', facts: { alarms: [alarm('never', 'LessThanThreshold', 0), alarm('errors', 'GreaterThanThreshold', 1)] }, config: config(), expected: [[R, 'pass', 'present']] },
    { name: 'a lower-bound alarm beside a loose rising one: too loose', facts: { alarms: [alarm('never', 'LessThanThreshold', 0), alarm('errors', 'GreaterThanThreshold', 50)] }, config: config(5), expected: [[R, 'fail', 'too-loose']] },
    { name: 'GreaterThanUpperThreshold (anomaly band) without maxThreshold', facts: { alarms: [alarm('band', 'GreaterThanUpperThreshold', null)] }, config: config(), expected: [[R, 'pass', 'present']] },
    { name: 'LessThanLowerOrGreaterThanUpperThreshold fires on a rise too', facts: { alarms: [alarm('band', 'LessThanLowerOrGreaterThanUpperThreshold', null)] }, config: config(), expected: [[R, 'pass', 'present']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsRequired, c)).toEqual(c.expected));

  it('says the alarm fires on a fall, not a rise', () => {
    const [message] = renderedMessages(alarmsRequired, { alarms: [alarm('never', 'LessThanThreshold', 0)] }, config());
    expect(message).toContain('LessThanThreshold');
    expect(message).not.toContain('undefined');
  });
});

describe('monitoring.alarms.required with minThreshold wants an alarm that fires when the metric falls', () => {
  // Free storage or free memory: the danger is the metric falling, and `minThreshold` says so.
  const GB = 1_000_000_000;
  const alarm = (name: string, comparison: string | null, threshold: number | null) => ({
    name, arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`, region: 'us-east-1', namespace: 'AWS/RDS', metric: 'FreeStorageSpace',
    threshold, comparison, statistic: 'Minimum', period: 300, evaluationPeriods: 2, dimensions: {}, actionsEnabled: true, alarmActions: [], state: 'OK',
  });
  const config = { aws: { region: 'us-east-1', cloudwatch: { requiredAlarms: [{ namespace: 'AWS/RDS', metric: 'FreeStorageSpace', minThreshold: 10 * GB }] } } };
  const R = 'AWS/RDS FreeStorageSpace';
  const cases: CheckCase[] = [
    { name: 'LessThanThreshold at the minimum', facts: { alarms: [alarm('low-disk', 'LessThanThreshold', 10 * GB)] }, config, expected: [[R, 'pass', 'present']] },
    { name: 'LessThanThreshold above the minimum (earlier)', facts: { alarms: [alarm('low-disk', 'LessThanOrEqualToThreshold', 20 * GB)] }, config, expected: [[R, 'pass', 'present']] },
    { name: 'LessThanThreshold below the minimum (too late)', facts: { alarms: [alarm('low-disk', 'LessThanThreshold', 1 * GB)] }, config, expected: [[R, 'fail', 'too-low']] },
    { name: 'GreaterThanThreshold: fires only when storage grows', facts: { alarms: [alarm('grows', 'GreaterThanThreshold', 10 * GB)] }, config, expected: [[R, 'fail', 'upper-bound']] },
    { name: 'an unknown comparison does not count', facts: { alarms: [alarm('unknown', null, 10 * GB)] }, config, expected: [[R, 'fail', 'upper-bound']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsRequired, c)).toEqual(c.expected));

  it('prints a fix that fires below the minimum', () => {
    const [command] = renderedCommands(alarmsRequired, { alarms: [] }, config);
    expect(command).toContain(`--threshold ${10 * GB} --comparison-operator LessThanThreshold`);
  });

  it('refuses a requirement with both thresholds', () => {
    const both = 'project: p\naws:\n  region: us-east-1\n  cloudwatch:\n    requiredAlarms:\n      - { namespace: AWS/RDS, metric: FreeStorageSpace, minThreshold: 1, maxThreshold: 2 }\n';
    expect(() => parseConfig(both, 'readiness.config.yaml', {})).toThrow(/maxThreshold.*minThreshold.*not both/);
  });
});

describe('aws.s3.tls-only matches IAM resource patterns (`*`, `?`) without a RegExp per bucket', () => {
  const B = 'phi-files';
  const facts = (...resources: string[]) => ({
    buckets: [{ name: B, region: 'us-east-1', exists: true }],
    policies: [{ bucket: B, statements: [{ sid: null, effect: 'Deny', principals: ['*'], actions: ['s3:*'], notActions: [], resources, conditions: { Bool: { 'aws:SecureTransport': ['false'] } } }] }],
  });
  const cases: CheckCase[] = [
    { name: '`?` stands for one character', facts: facts('arn:aws:s3:::phi-file?', 'arn:aws:s3:::phi-file?/*'), expected: [[B, 'pass', 'enforced']] },
    { name: '`?` is not zero characters', facts: facts('arn:aws:s3:::phi-files?', 'arn:aws:s3:::phi-files/*'), expected: [[B, 'fail', 'partial']] },
    { name: 'a `*` in the middle', facts: facts('arn:aws:s3:::phi-*', 'arn:aws:*:::phi-files/*'), expected: [[B, 'pass', 'enforced']] },
    { name: 'a pattern for another bucket with a common prefix', facts: facts('arn:aws:s3:::phi-files-archive', 'arn:aws:s3:::phi-files-archive/*'), expected: [[B, 'fail', 'partial']] },
    { name: 'dots and brackets are literal', facts: facts('arn:aws:s3:::phi.files', 'arn:aws:s3:::phi-files/[*]'), expected: [[B, 'fail', 'partial']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(tlsOnly, c)).toEqual(c.expected));
});

describe('aws.rds.public-access finds each member instance in the cluster region', () => {
  const cluster = { id: 'db', arn: 'arn:aws:rds:us-east-1:1:cluster:db', region: 'us-east-1', members: ['db-writer'], missing: false };
  const instance = (region: string, publiclyAccessible: boolean) => ({ id: 'db-writer', region, clusterId: 'db', publiclyAccessible });
  const cases: CheckCase[] = [
    { name: 'the public member is found among thousands', facts: { clusters: [cluster], instances: [...Array.from({ length: 2000 }, (_, i) => ({ ...instance('us-east-1', false), id: `other-${i}` })), instance('us-east-1', true)] }, expected: [['db', 'fail', 'public']] },
    { name: 'a same-named instance in another region is not the member', facts: { clusters: [cluster], instances: [instance('eu-west-1', false)] }, expected: [['db', 'unverified', 'member-not-read']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(publicAccess, c)).toEqual(c.expected));
});
