import { cloudwatchAlarms } from '../../facts/aws.js';
import { snsAlarmTopicEncryption, snsTopics } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';
import { parsePolicy } from './policy.js';
import { keyManager } from './kms.js';
import { pages } from './pages.js';

/** SNS marks a subscription that has not been confirmed yet with this instead of an ARN. */
const PENDING = new Set(['PendingConfirmation', 'Deleted']);

export const snsTopicsCollector = defineCollector(snsTopics, async (context) => {
  requireAws(context);
  const { paginateListTopics, paginateListSubscriptionsByTopic } = await import('@aws-sdk/client-sns');
  const topics: FactValue<typeof snsTopics> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('sns', region);
    const arns: string[] = [];
    try {
      for await (const page of pages(paginateListTopics, { client }, {}, context.signal)) arns.push(...requireList(page, 'Topics', 'sns:ListTopics').map((t) => t.TopicArn ?? '').filter(Boolean));
    } catch (error) {
      throw awsFactError(error, 'sns:ListTopics');
    }
    for (const arn of arns) {
      const subscriptions: FactValue<typeof snsTopics>[number]['subscriptions'] = [];
      try {
        // Not GetTopicAttributes' SubscriptionsConfirmed: it lags behind (and moto always says 0).
        for await (const page of pages(paginateListSubscriptionsByTopic, { client }, { TopicArn: arn }, context.signal)) {
          for (const s of requireList(page, 'Subscriptions', 'sns:ListSubscriptionsByTopic')) {
            subscriptions.push({ protocol: s.Protocol ?? 'unknown', confirmed: !!s.SubscriptionArn && !PENDING.has(s.SubscriptionArn) });
          }
        }
      } catch (error) {
        throw awsFactError(error, 'sns:ListSubscriptionsByTopic');
      }
      topics.push({ arn, region, subscriptions });
    }
  }
  return topics;
});

type TopicKey = FactValue<typeof snsAlarmTopicEncryption>[number]['key'];

/** The topics alarms notify, read one by one: the account's other topics carry no alerts. */
export const snsAlarmTopicEncryptionCollector = defineCollector(snsAlarmTopicEncryption, async (context) => {
  requireAws(context);
  const { GetTopicAttributesCommand } = await import('@aws-sdk/client-sns');
  const alarms = await context.fact(cloudwatchAlarms);
  const arns = [...new Set(alarms.flatMap((alarm) => alarm.alarmActions).filter((arn) => /^arn:aws[\w-]*:sns:/.test(arn)))];
  const out: FactValue<typeof snsAlarmTopicEncryption> = [];
  for (const arn of arns) {
    const region = arn.split(':')[3] || context.aws.defaultRegion;
    const client = await context.aws.client('sns', region);
    let attributes: Record<string, string>;
    try {
      attributes = requireField(await client.send(new GetTopicAttributesCommand({ TopicArn: arn }), { abortSignal: context.signal }), 'Attributes', 'sns:GetTopicAttributes');
    } catch (error) {
      if ((error as Error).name === 'NotFoundException' || (error as Error).name === 'NotFound') {
        out.push({ arn, region, found: false, kmsKeyId: null, key: null });
        continue;
      }
      throw awsFactError(error, 'sns:GetTopicAttributes');
    }
    const kmsKeyId = attributes.KmsMasterKeyId || null;
    out.push({ arn, region, found: true, kmsKeyId, key: kmsKeyId ? await topicKey(context, region, kmsKeyId) : null });
  }
  return out;
});

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

async function topicKey(context: CollectContext, region: string, keyId: string): Promise<TopicKey> {
  // aws/… aliases name AWS-managed keys, whose policy no one can change.
  if (/(^|:)alias\/aws\//.test(keyId)) return { arn: null, manager: 'AWS', cloudWatchActions: null, state: null };
  const { DescribeKeyCommand, GetKeyPolicyCommand } = await import('@aws-sdk/client-kms');
  const client = await context.aws.client('kms', region);
  let permission = 'kms:DescribeKey';
  try {
    const meta = (await client.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal: context.signal })).KeyMetadata;
    const manager = keyManager(meta);
    const arn = meta?.Arn ?? null;
    const state = meta?.KeyState ?? null;
    if (manager !== 'CUSTOMER') return { arn, manager, cloudWatchActions: null, state };
    permission = 'kms:GetKeyPolicy';
    const policy = requireField(await client.send(new GetKeyPolicyCommand({ KeyId: arn ?? keyId, PolicyName: 'default' }), { abortSignal: context.signal }), 'Policy', 'kms:GetKeyPolicy');
    const statements = parsePolicy(policy, `key ${arn ?? keyId}`);
    const granted = statements.filter((s) => s.effect === 'Allow' && (s.principals.includes(CLOUDWATCH) || s.principals.includes('*')));
    return { arn, manager, cloudWatchActions: [...new Set(granted.flatMap((s) => s.actions))], state };
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return null;
    throw awsFactError(error, permission);
  }
}
