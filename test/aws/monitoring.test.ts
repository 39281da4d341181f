import { CloudWatchClient, PutDashboardCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import alarmsActions from '../../checks/monitoring/monitoring.alarms.actions.js';
import dashboards from '../../checks/monitoring/monitoring.dashboards.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { cloudwatchDashboards, snsTopics } from '../../src/facts/aws-account.js';
import { collectAws, sentActions, useMotoCredentials } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
import { runCli } from '../support/cli.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let sns: SNSClient;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  sns = new SNSClient({ region: 'us-east-1', endpoint: moto.endpoint });
  cloudwatch = new CloudWatchClient({ region: 'us-east-1', endpoint: moto.endpoint });
});
afterAll(async () => {
  sns?.destroy();
  cloudwatch?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const alarm = (name: string, actions: string[], enabled = true) =>
  cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 300, EvaluationPeriods: 2,
      Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', ActionsEnabled: enabled, AlarmActions: actions,
    }),
  );

describe('monitoring.alarms.actions against moto', () => {
  it('passes for an alarm whose topic has a confirmed subscription, read via ListSubscriptionsByTopic', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'oncall@example.com' }));
    await alarm('rds-cpu', [TopicArn!]);
    // moto differs from AWS: it confirms every subscription at once, yet GetTopicAttributes reports
    // SubscriptionsConfirmed 0; the collector therefore lists subscriptions and never reads that counter.
    const attributes = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(attributes.Attributes?.SubscriptionsConfirmed).toBe('0');
    const run = await collectAws(moto, [cloudwatchAlarms, snsTopics]);
    expect(run.results(alarmsActions)).toEqual([['rds-cpu', 'pass', 'notifies']]);
  });

  it('fails for a topic without subscriptions, disabled actions, and no action at all', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'nobody' }));
    await alarm('a-empty-topic', [TopicArn!]);
    await alarm('b-disabled', [TopicArn!], false);
    await alarm('c-no-action', []);
    const run = await collectAws(moto, [cloudwatchAlarms, snsTopics]);
    expect(run.results(alarmsActions)).toEqual([
      ['a-empty-topic', 'fail', 'no-confirmed-subscription'],
      ['b-disabled', 'fail', 'actions-disabled'],
      ['c-no-action', 'fail', 'no-action'],
    ]);
  });

  it('an alarm that only scales an Auto Scaling group notifies no one; one that only calls a Lambda function is unverified', async () => {
    await alarm('a-scale-out', ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0a1b:autoScalingGroupName/api:policyName/scale-out']);
    await alarm('b-page', ['arn:aws:lambda:us-east-1:123456789012:function:page-oncall']);
    const run = await collectAws(moto, [cloudwatchAlarms, snsTopics]);
    expect(run.results(alarmsActions)).toEqual([
      ['a-scale-out', 'fail', 'no-notification'],
      ['b-page', 'unverified', 'action-unconfirmed'],
    ]);
  });

  it('fails when there is no alarm at all (the seed)', async () => {
    const run = await collectAws(moto, [cloudwatchAlarms, snsTopics]);
    expect(run.results(alarmsActions)).toEqual([['cloudwatch', 'fail', 'no-alarms']]);
  });

  it('follows ListTopics pages: 101 topics arrive in two pages of at most 100', async () => {
    for (let i = 0; i < 101; i++) await sns.send(new CreateTopicCommand({ Name: `topic-${String(i).padStart(3, '0')}` }));
    const firstPage = await sns.send(new ListTopicsCommand({}));
    expect(firstPage.NextToken).toBeTruthy();
    expect(firstPage.Topics?.length).toBeLessThan(101);
    const run = await collectAws(moto, [snsTopics]);
    const outcome = run.outcomes.get(snsTopics.id);
    expect(outcome?.ok).toBe(true);
    expect((outcome as { value: unknown[] }).value).toHaveLength(101);
  });
});

describe('monitoring.alarms.required against moto: one requirement per cluster, as `init` writes them', () => {
  const clusterAlarm = (name: string, cluster: string) =>
    cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name, Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 300, EvaluationPeriods: 2,
        Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'DBClusterIdentifier', Value: cluster }],
      }),
    );

  it('each cluster is its own result, with a true message and a fix with --dimensions, and `diff` sees each fixed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'readiness-alarms-'));
    try {
      const config = join(dir, 'readiness.config.yaml');
      await writeFile(
        config,
        [
          'project: alarms-test',
          'aws:',
          '  region: us-east-1',
          `  endpoint: ${moto.endpoint}`,
          '  cloudwatch:',
          '    requiredAlarms:',
          '      - { namespace: AWS/RDS, metric: CPUUtilization, maxThreshold: 80, dimensions: { DBClusterIdentifier: ehr-a } }',
          '      - { namespace: AWS/RDS, metric: CPUUtilization, maxThreshold: 80, dimensions: { DBClusterIdentifier: ehr-b } }',
          '',
        ].join('\n'),
      );
      const check = async (out: string) => {
        const run = await runCli(['check', '--config', config, '--only', 'monitoring.alarms.required', '--format', 'json', '--out', join(dir, out)]);
        const report = JSON.parse(await readFile(join(dir, out, 'readiness-report.json'), 'utf8')) as {
          results: { resource: string; status: string; code: string; message: string; remediation: { command?: string } }[];
        };
        return { run, report };
      };
      await clusterAlarm('ehr-a-cpu', 'ehr-a');
      const { report: before } = await check('before');
      expect(before.results.map((r) => [r.resource, r.status, r.code])).toEqual([
        ['AWS/RDS CPUUtilization DBClusterIdentifier=ehr-a', 'pass', 'present'],
        ['AWS/RDS CPUUtilization DBClusterIdentifier=ehr-b', 'fail', 'missing'],
      ]);
      const missing = before.results[1]!;
      expect(missing.message).toBe('No alarm watches AWS/RDS CPUUtilization DBClusterIdentifier=ehr-b');
      expect(missing.remediation.command).toContain('--alarm-name aws-rds-cpuutilization-ehr-b ');
      expect(missing.remediation.command).toContain(' --dimensions Name=DBClusterIdentifier,Value=ehr-b ');

      await clusterAlarm('ehr-b-cpu', 'ehr-b');
      const { report: after } = await check('after');
      expect(after.results.map((r) => r.status)).toEqual(['pass', 'pass']);
      const diff = await runCli(['diff', join(dir, 'before', 'readiness-report.json'), join(dir, 'after', 'readiness-report.json')]);
      expect(diff.stdout).toContain('monitoring.alarms.required AWS/RDS CPUUtilization DBClusterIdentifier=ehr-b: fail → pass');
      expect(diff.stdout).not.toContain('DBClusterIdentifier=ehr-a: ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('monitoring.dashboards against moto', () => {
  const putDashboard = (name: string, widgets: unknown[]) => cloudwatch.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: JSON.stringify({ widgets }) }));
  const rdsWidget = { type: 'metric', properties: { region: 'us-east-1', metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', 'ehr'], ['...', 'ehr-2'], [{ expression: 'm1*2', id: 'e1' }]] } };
  const textWidget = { type: 'text', properties: { markdown: '# Health' } };

  it('fails with no dashboard, passes once one graphs a metric', async () => {
    expect((await collectAws(moto, [cloudwatchDashboards])).results(dashboards)).toEqual([['cloudwatch', 'fail', 'no-dashboards']]);
    await putDashboard('health', [textWidget, rdsWidget]);
    const run = await collectAws(moto, [cloudwatchDashboards]);
    expect(run.results(dashboards)).toEqual([['cloudwatch', 'pass', 'present']]);
    const outcome = run.outcomes.get(cloudwatchDashboards.id);
    expect(outcome?.ok && outcome.value).toEqual([expect.objectContaining({ name: 'health', body: { metricWidgets: 1, namespaces: ['AWS/RDS'] } })]);
  });

  it('an empty dashboard or one of text only is a stub: fails', async () => {
    await putDashboard('empty', []);
    await putDashboard('notes', [textWidget]);
    expect((await collectAws(moto, [cloudwatchDashboards])).results(dashboards)).toEqual([['cloudwatch', 'fail', 'no-metric-widgets']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
