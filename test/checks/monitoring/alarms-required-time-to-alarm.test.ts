import { describe, expect, it } from 'vitest';
import alarmsRequired from '../../../checks/monitoring/monitoring.alarms.required.js';
import { evaluateCheck } from '../../../src/engine/evaluate.js';
import { makeConfig, renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Holes: an alarm over one-day periods (86400 s × 3) fires days after the outage, yet met the requirement; a requirement
// without dimensions was met by an alarm on any resource's metric, such as the CPU of an unrelated test cluster.
const alarm = (name: string, dimensions: Record<string, string>, over: Record<string, unknown> = {}) => ({
  name, arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`, region: 'us-east-1', namespace: 'AWS/RDS', metric: 'CPUUtilization',
  threshold: 80, comparison: 'GreaterThanThreshold', statistic: 'Average', period: 300, evaluationPeriods: 2, datapointsToAlarm: null,
  dimensions, actionsEnabled: true, alarmActions: [], state: 'OK', ...over,
});
const PROD = { DBClusterIdentifier: 'prod' };
const requirement = (over: Record<string, unknown> = {}) => ({ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80, dimensions: PROD, ...over });
const config = (over: Record<string, unknown> = {}) => ({ aws: { region: 'us-east-1', cloudwatch: { requiredAlarms: [requirement(over)] } } });
const R = 'AWS/RDS CPUUtilization DBClusterIdentifier=prod';
const DAILY = { period: 86400, evaluationPeriods: 3 };

describe('monitoring.alarms.required: the alarm must fire within maxMinutesToAlarm', () => {
  const cases: CheckCase[] = [
    { name: 'one-day periods × 3 fail too-slow', facts: { alarms: [alarm('daily', PROD, DAILY)] }, config: config(), expected: [[R, 'fail', 'too-slow']] },
    { name: '5 minutes × 3 (15 minutes) passes the default', facts: { alarms: [alarm('prod', PROD, { evaluationPeriods: 3 })] }, config: config(), expected: [[R, 'pass', 'present']] },
    { name: '5 minutes × 4 (20 minutes) is slower than the default', facts: { alarms: [alarm('prod', PROD, { evaluationPeriods: 4 })] }, config: config(), expected: [[R, 'fail', 'too-slow']] },
    { name: 'DatapointsToAlarm counts, not EvaluationPeriods: 1 of 12 × 5 minutes passes', facts: { alarms: [alarm('prod', PROD, { evaluationPeriods: 12, datapointsToAlarm: 1 })] }, config: config(), expected: [[R, 'pass', 'present']] },
    { name: 'DatapointsToAlarm 6 of 6 × 5 minutes is too slow', facts: { alarms: [alarm('prod', PROD, { evaluationPeriods: 6, datapointsToAlarm: 6 })] }, config: config(), expected: [[R, 'fail', 'too-slow']] },
    { name: 'a fast alarm beside a slow one passes', facts: { alarms: [alarm('daily', PROD, DAILY), alarm('prod', PROD)] }, config: config(), expected: [[R, 'pass', 'present']] },
    { name: 'a requirement may allow a day', facts: { alarms: [alarm('daily', PROD, { period: 86400, evaluationPeriods: 1 })] }, config: config({ maxMinutesToAlarm: 1440 }), expected: [[R, 'pass', 'present']] },
    { name: 'a requirement may ask for 5 minutes', facts: { alarms: [alarm('prod', PROD)] }, config: config({ maxMinutesToAlarm: 5 }), expected: [[R, 'fail', 'too-slow']] },
    { name: 'a fast alarm too loose does not make up for a tight slow one', facts: { alarms: [alarm('loose', PROD, { threshold: 99 }), alarm('daily', PROD, DAILY)] }, config: config(), expected: [[R, 'fail', 'too-slow']] },
    // A snapshot taken before the period was collected cannot say how soon it fires: never pass.
    { name: 'a snapshot without the period is unverified', facts: { alarms: [alarm('prod', PROD, { period: undefined, evaluationPeriods: undefined, datapointsToAlarm: undefined })] }, config: config(), expected: [[R, 'unverified', 'timing-not-collected']] },
    { name: 'a snapshot without timing or statistic is unverified', facts: { alarms: [alarm('prod', PROD, { period: undefined, evaluationPeriods: undefined, datapointsToAlarm: undefined, statistic: undefined })] }, config: config(), expected: [[R, 'unverified', 'timing-not-collected']] },
    { name: 'a null period (none returned) is unverified', facts: { alarms: [alarm('prod', PROD, { period: null })] }, config: config(), expected: [[R, 'unverified', 'timing-not-collected']] },
    { name: 'a slow alarm beside one whose timing is unknown is unverified', facts: { alarms: [alarm('daily', PROD, DAILY), alarm('old', PROD, { period: undefined })] }, config: config(), expected: [[R, 'unverified', 'timing-not-collected']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsRequired, c)).toEqual(c.expected));

  it('names the alarm and its time to alarm', () => {
    const [message] = renderedMessages(alarmsRequired, { alarms: [alarm('prod-cpu-daily', PROD, DAILY)] }, config());
    expect(message).toBe('Alarm prod-cpu-daily on AWS/RDS CPUUtilization DBClusterIdentifier=prod fires 4320 minutes after the metric crosses its threshold (3 × 86400 s), later than 15 minutes');
  });

  it('the printed fix fires within the requirement: 5 minutes × 2 by default, one-minute periods below 10 minutes', () => {
    const [standard] = renderedCommands(alarmsRequired, { alarms: [alarm('daily', PROD, DAILY)] }, config());
    expect(standard).toContain('--period 300 --evaluation-periods 2 ');
    const [quick] = renderedCommands(alarmsRequired, { alarms: [alarm('prod', PROD)] }, config({ maxMinutesToAlarm: 5 }));
    expect(quick).toContain('--period 60 --evaluation-periods 2 ');
    const [fastest] = renderedCommands(alarmsRequired, { alarms: [alarm('prod', PROD)] }, config({ maxMinutesToAlarm: 1 }));
    expect(fastest).toContain('--period 60 --evaluation-periods 1 ');
  });

  it('the config defaults maxMinutesToAlarm to 15', () => {
    expect(makeConfig(config()).aws?.cloudwatch.requiredAlarms[0]?.maxMinutesToAlarm).toBe(15);
    expect(() => makeConfig(config({ maxMinutesToAlarm: 0 }))).toThrow();
  });
});

describe('monitoring.alarms.required: a requirement without dimensions, where the config lists RDS resources', () => {
  const anyCpu = { namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80 };
  const listing = (rds: Record<string, unknown>) => ({ aws: { region: 'us-east-1', rds, cloudwatch: { requiredAlarms: [anyCpu] } } });
  const R0 = 'AWS/RDS CPUUtilization';
  const SCRATCH = alarm('scratch-cpu', { DBClusterIdentifier: 'scratch-test' });
  const cases: CheckCase[] = [
    { name: 'an alarm on an unrelated cluster fails', facts: { alarms: [SCRATCH] }, config: listing({ clusters: ['prod'] }), expected: [[R0, 'fail', 'other-resources']] },
    { name: 'an alarm over every database (no dimensions) is not on a listed cluster', facts: { alarms: [alarm('all', {})] }, config: listing({ clusters: ['prod'] }), expected: [[R0, 'fail', 'other-resources']] },
    { name: 'an alarm on a listed cluster passes', facts: { alarms: [SCRATCH, alarm('prod', PROD)] }, config: listing({ clusters: ['other', 'prod'] }), expected: [[R0, 'pass', 'present']] },
    { name: 'an alarm on a listed instance passes', facts: { alarms: [alarm('db1', { DBInstanceIdentifier: 'db-1' })] }, config: listing({ clusters: ['prod'], instances: ['db-1'] }), expected: [[R0, 'pass', 'present']] },
    { name: 'an instance named like a listed cluster does not count', facts: { alarms: [alarm('db1', { DBInstanceIdentifier: 'prod' })] }, config: listing({ clusters: ['prod'] }), expected: [[R0, 'fail', 'other-resources']] },
    { name: 'a listed cluster without an alarm on the metric is missing', facts: { alarms: [] }, config: listing({ clusters: ['prod'] }), expected: [[R0, 'fail', 'missing']] },
    // The config lists nothing: every resource is assessed, and any alarm on the metric still counts (as before).
    { name: 'no resource listed: an alarm on any cluster passes', facts: { alarms: [SCRATCH] }, config: listing({}), expected: [[R0, 'pass', 'present']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsRequired, c)).toEqual(c.expected));

  it('names the alarms and what they watch, and the fix targets a listed cluster', () => {
    const [message] = renderedMessages(alarmsRequired, { alarms: [SCRATCH] }, listing({ clusters: ['prod'] }));
    expect(message).toBe('No alarm on AWS/RDS CPUUtilization watches DBClusterIdentifier=prod (the resources the config lists); the alarms on it watch others: scratch-cpu (DBClusterIdentifier=scratch-test)');
    const [command] = renderedCommands(alarmsRequired, { alarms: [SCRATCH] }, listing({ clusters: ['prod'] }));
    expect(command).toContain('--alarm-name aws-rds-cpuutilization-prod ');
    expect(command).toContain(' --dimensions Name=DBClusterIdentifier,Value=prod ');
  });

  it('with nothing listed, the evidence says which resource the passing alarm watches', () => {
    const outcomes = new Map([['aws.cloudwatch.alarms', { ok: true as const, value: [SCRATCH] }]]);
    const [result] = evaluateCheck(alarmsRequired, outcomes, { config: makeConfig(listing({})), now: new Date() });
    expect(result?.evidence).toMatchObject({ alarm: 'scratch-cpu', dimensions: 'DBClusterIdentifier=scratch-test', minutesToAlarm: 10 });
  });
});
