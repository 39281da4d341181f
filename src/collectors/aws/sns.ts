import { snsTopics } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
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
