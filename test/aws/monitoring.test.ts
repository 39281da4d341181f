import { CloudWatchClient, PutDashboardCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import alarmsActions from '../../checks/monitoring/monitoring.alarms.actions.js';
import dashboards from '../../checks/monitoring/monitoring.dashboards.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { cloudwatchDashboards, snsTopics } from '../../src/facts/aws-account.js';
import { collectAws, sentActions, useMotoCredentials } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
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

  it('an alarm that scales an Auto Scaling group or calls a Lambda function acts, without any SNS topic', async () => {
    await alarm('a-scale-out', ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0a1b:autoScalingGroupName/api:policyName/scale-out']);
    await alarm('b-page', ['arn:aws:lambda:us-east-1:123456789012:function:page-oncall']);
    const run = await collectAws(moto, [cloudwatchAlarms, snsTopics]);
    expect(run.results(alarmsActions)).toEqual([
      ['a-scale-out', 'pass', 'acts'],
      ['b-page', 'pass', 'acts'],
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

describe('monitoring.dashboards against moto', () => {
  it('fails with no dashboard, passes once one exists', async () => {
    expect((await collectAws(moto, [cloudwatchDashboards])).results(dashboards)).toEqual([['cloudwatch', 'fail', 'no-dashboards']]);
    await cloudwatch.send(new PutDashboardCommand({ DashboardName: 'health', DashboardBody: JSON.stringify({ widgets: [] }) }));
    expect((await collectAws(moto, [cloudwatchDashboards])).results(dashboards)).toEqual([['cloudwatch', 'pass', 'present']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
