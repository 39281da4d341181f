import { CloudWatchClient, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import alarmsRequired from '../../checks/monitoring/monitoring.alarms.required.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';

// Holes: an alarm that fires days after the outage (Period 86400 × 3) met a requirement; a requirement without
// dimensions was met by an alarm on any resource's metric, e.g. the CPU of an unrelated test cluster.
const aws = motoForFile();
let cloudwatch: CloudWatchClient;
beforeAll(() => {
  cloudwatch = aws.client(CloudWatchClient);
});

const cpuAlarm = (name: string, cluster: string, over: Partial<PutMetricAlarmCommandInput> = {}) =>
  cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 300, EvaluationPeriods: 2,
      Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'DBClusterIdentifier', Value: cluster }], ...over,
    }),
  );
const R = 'AWS/RDS CPUUtilization DBClusterIdentifier=prod';
const requirement = (extra: Record<string, unknown> = {}) => ({ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80, dimensions: { DBClusterIdentifier: 'prod' }, ...extra });

describe('monitoring.alarms.required against moto: the time to alarm', () => {
  it('an alarm over one-day periods (86400 s × 3, three days) does not meet the requirement', async () => {
    await cpuAlarm('prod-cpu-daily', 'prod', { Period: 86400, EvaluationPeriods: 3 });
    const run = await collectAws(aws.moto, [cloudwatchAlarms], { aws: { region: 'us-east-1', cloudwatch: { requiredAlarms: [requirement()] } } });
    expect(run.results(alarmsRequired)).toEqual([[R, 'fail', 'too-slow']]);
  });

  it('5 minutes × 2 passes the default 15 minutes; DatapointsToAlarm 1 of 6 counts one period', async () => {
    await cpuAlarm('prod-cpu', 'prod');
    await cpuAlarm('stage-cpu', 'stage', { Period: 600, EvaluationPeriods: 6, DatapointsToAlarm: 1 });
    const config = { aws: { region: 'us-east-1', cloudwatch: { requiredAlarms: [requirement(), requirement({ dimensions: { DBClusterIdentifier: 'stage' }, maxMinutesToAlarm: 10 })] } } };
    const run = await collectAws(aws.moto, [cloudwatchAlarms], config);
    expect(run.results(alarmsRequired)).toEqual([[R, 'pass', 'present'], ['AWS/RDS CPUUtilization DBClusterIdentifier=stage', 'pass', 'present']]);
  });

  it('a requirement may ask for faster than the default', async () => {
    await cpuAlarm('prod-cpu', 'prod');
    const run = await collectAws(aws.moto, [cloudwatchAlarms], { aws: { region: 'us-east-1', cloudwatch: { requiredAlarms: [requirement({ maxMinutesToAlarm: 5 })] } } });
    expect(run.results(alarmsRequired)).toEqual([[R, 'fail', 'too-slow']]);
  });
});

describe('monitoring.alarms.required against moto: a requirement without dimensions', () => {
  const anyCpu = { namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80 };

  it('an alarm on an unrelated cluster does not watch the clusters the config lists', async () => {
    await cpuAlarm('scratch-cpu', 'scratch-test');
    const run = await collectAws(aws.moto, [cloudwatchAlarms], { aws: { region: 'us-east-1', rds: { clusters: ['prod'] }, cloudwatch: { requiredAlarms: [anyCpu] } } });
    expect(run.results(alarmsRequired)).toEqual([['AWS/RDS CPUUtilization', 'fail', 'other-resources']]);
  });

  it('an alarm on a listed cluster passes', async () => {
    await cpuAlarm('scratch-cpu', 'scratch-test');
    await cpuAlarm('prod-cpu', 'prod');
    const run = await collectAws(aws.moto, [cloudwatchAlarms], { aws: { region: 'us-east-1', rds: { clusters: ['prod'] }, cloudwatch: { requiredAlarms: [anyCpu] } } });
    expect(run.results(alarmsRequired)).toEqual([['AWS/RDS CPUUtilization', 'pass', 'present']]);
  });
});
