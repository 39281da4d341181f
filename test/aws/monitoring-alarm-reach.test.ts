import { CloudWatchClient, PutMetricAlarmCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import alarmsActions from '../../checks/monitoring/monitoring.alarms.actions.js';
import alarmsRequired from '../../checks/monitoring/monitoring.alarms.required.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { snsTopics } from '../../src/facts/aws-account.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
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

const alarm = (name: string, actions: string[], dimensions: Dimension[] = [], statistic: 'Average' | 'SampleCount' = 'Average') =>
  cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Statistic: statistic, Period: 300, EvaluationPeriods: 2,
      Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: actions, Dimensions: dimensions,
    }),
  );

/** A real SQS queue in moto (no SQS client among the dependencies: the query API by hand); returns its ARN. */
async function queue(name: string): Promise<string> {
  const response = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ Action: 'CreateQueue', QueueName: name, Version: '2012-11-05' }),
  });
  expect(response.ok).toBe(true);
  expect(await response.text()).toContain(name);
  return `arn:aws:sqs:us-east-1:123456789012:${name}`;
}

describe('monitoring.alarms.actions against moto: a topic that only feeds machines pages no one visibly', () => {
  it('a topic whose confirmed subscriptions are a Lambda function and an SQS queue is unverified; one with a confirmed email beside them passes', async () => {
    const { TopicArn: machines } = await sns.send(new CreateTopicCommand({ Name: 'to-machines' }));
    await sns.send(new SubscribeCommand({ TopicArn: machines, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:archive' }));
    await sns.send(new SubscribeCommand({ TopicArn: machines, Protocol: 'sqs', Endpoint: await queue('alarm-archive') }));
    const { TopicArn: people } = await sns.send(new CreateTopicCommand({ Name: 'to-people' }));
    await sns.send(new SubscribeCommand({ TopicArn: people, Protocol: 'sqs', Endpoint: await queue('alarm-log') }));
    await sns.send(new SubscribeCommand({ TopicArn: people, Protocol: 'email', Endpoint: 'oncall@example.com' }));
    // moto confirms them all at once, as AWS confirms Lambda and SQS subscriptions by itself.
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: machines }));
    expect(listed.Subscriptions?.map((s) => [s.Protocol, s.SubscriptionArn?.startsWith('arn:')])).toEqual([['lambda', true], ['sqs', true]]);
    await alarm('a-machines', [machines!]);
    await alarm('b-people', [people!]);
    const run = await collectAws(moto, [cloudwatchAlarms, snsTopics]);
    expect(run.results(alarmsActions)).toEqual([
      ['a-machines', 'unverified', 'machine-endpoints'],
      ['b-people', 'pass', 'notifies'],
    ]);
  });
});

describe('monitoring.alarms.required against moto: CloudWatch matches the exact dimension set', () => {
  const config = { aws: { cloudwatch: { requiredAlarms: [{ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80, dimensions: { DBClusterIdentifier: 'prod' } }] } } };
  const R = 'AWS/RDS CPUUtilization DBClusterIdentifier=prod';

  it('an alarm on the cluster\'s readers (an extra Role dimension) does not watch the cluster: unverified', async () => {
    await alarm('prod-readers-cpu', [], [{ Name: 'DBClusterIdentifier', Value: 'prod' }, { Name: 'Role', Value: 'READER' }]);
    const run = await collectAws(moto, [cloudwatchAlarms], config);
    expect(run.results(alarmsRequired)).toEqual([[R, 'unverified', 'extra-dimensions']]);
  });

  it('an alarm on exactly the dimensions asked for passes, beside the readers\' one', async () => {
    await alarm('prod-readers-cpu', [], [{ Name: 'DBClusterIdentifier', Value: 'prod' }, { Name: 'Role', Value: 'READER' }]);
    await alarm('prod-cpu', [], [{ Name: 'DBClusterIdentifier', Value: 'prod' }]);
    const run = await collectAws(moto, [cloudwatchAlarms], config);
    expect(run.results(alarmsRequired)).toEqual([[R, 'pass', 'present']]);
  });

  it('an alarm on SampleCount counts the datapoints (traffic), not the CPU: it does not meet the requirement; the statistic is kept', async () => {
    await alarm('prod-cpu-count', [], [{ Name: 'DBClusterIdentifier', Value: 'prod' }], 'SampleCount');
    const run = await collectAws(moto, [cloudwatchAlarms], config);
    expect(run.outcomes.get(cloudwatchAlarms.id)).toMatchObject({ ok: true, value: [{ name: 'prod-cpu-count', statistic: 'SampleCount' }] });
    expect(run.results(alarmsRequired)).toEqual([[R, 'fail', 'sample-count']]);
    await alarm('prod-cpu', [], [{ Name: 'DBClusterIdentifier', Value: 'prod' }]);
    expect((await collectAws(moto, [cloudwatchAlarms], config)).results(alarmsRequired)).toEqual([[R, 'pass', 'present']]);
  });
});
