import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateKeyCommand, DisableKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import snsEncryption from '../../checks/aws/aws.sns.encryption.js';
import { snsAlarmTopicEncryption } from '../../src/facts/aws-account.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
const topics: Record<string, string> = {};
const client = { region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };

const keyPolicy = (cloudWatch: boolean) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
      ...(cloudWatch ? [{ Sid: 'CloudWatchAlarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' }] : []),
    ],
  });

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  const kms = new KMSClient({ ...client, endpoint: moto.endpoint });
  const sns = new SNSClient({ ...client, endpoint: moto.endpoint });
  const cloudwatch = new CloudWatchClient({ ...client, endpoint: moto.endpoint });
  try {
    const usable = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy(true) }))).KeyMetadata!.Arn!;
    const closed = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy(false) }))).KeyMetadata!.Arn!;
    // A key CloudWatch may use, switched off or on its way to deletion: nothing can be published to the topic.
    // (moto's DisableKey and ScheduleKeyDeletion take the key id, not its ARN.)
    const disabled = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy(true) }))).KeyMetadata!;
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId! }));
    const deleting = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy(true) }))).KeyMetadata!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: deleting.KeyId!, PendingWindowInDays: 7 }));
    const encrypted = { good: usable, closed, disabled: disabled.Arn!, deleting: deleting.Arn!, 'aws-managed': 'alias/aws/sns', plain: null } as const;
    for (const [name, key] of Object.entries(encrypted)) {
      topics[name] = (await sns.send(new CreateTopicCommand({ Name: `alerts-${name}`, ...(key ? { Attributes: { KmsMasterKeyId: key } } : {}) }))).TopicArn!;
      await cloudwatch.send(
        new PutMetricAlarmCommand({ AlarmName: `cpu-${name}`, Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 300, EvaluationPeriods: 1, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [topics[name]!] }),
      );
    }
    // A topic no alarm notifies is not read.
    await sns.send(new CreateTopicCommand({ Name: 'newsletter' }));
  } finally {
    kms.destroy();
    sns.destroy();
    cloudwatch.destroy();
  }
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

describe('aws.sns.encryption on moto', () => {
  it('passes a topic under a customer key CloudWatch may use; fails plain, aws/sns and a key policy without CloudWatch', async () => {
    const run = await collectAws(moto, [cloudwatchAlarms, snsAlarmTopicEncryption]);
    const byTopic = new Map(run.results(snsEncryption).map(([resource, status, code]) => [resource, `${status} ${code}`]));
    expect(Object.fromEntries(Object.entries(topics).map(([name, arn]) => [name, byTopic.get(arn)]))).toEqual({
      good: 'pass encrypted',
      closed: 'fail cloudwatch-not-allowed',
      disabled: 'fail key-not-enabled',
      deleting: 'fail key-not-enabled',
      'aws-managed': 'fail aws-managed-key',
      plain: 'fail unencrypted',
    });
    expect(byTopic.size).toBe(6);
  });
});
