import type { LifecycleRule } from '@aws-sdk/client-s3';
import { s3AccessLogging, s3Cors, s3Lifecycle } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireList } from './require.js';
import { forEachBucket } from './s3.js';

export const s3LifecycleCollector = defineCollector(s3Lifecycle, async (context) => {
  const s3 = await import('@aws-sdk/client-s3');
  return forEachBucket(context, async (client, bucket) => {
    try {
      const answer = await client.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket: bucket }), { abortSignal: context.signal });
      return { bucket, rules: requireList(answer, 'Rules', 's3:GetLifecycleConfiguration').map(toLifecycleRule) };
    } catch (error) {
      if ((error as Error).name === 'NoSuchLifecycleConfiguration') return { bucket, rules: [] };
      throw awsFactError(error, 's3:GetLifecycleConfiguration');
    }
  });
});

export const s3CorsCollector = defineCollector(s3Cors, async (context) => {
  const s3 = await import('@aws-sdk/client-s3');
  return forEachBucket(context, async (client, bucket) => {
    try {
      const answer = await client.send(new s3.GetBucketCorsCommand({ Bucket: bucket }), { abortSignal: context.signal });
      const rules = requireList(answer, 'CORSRules', 's3:GetBucketCORS').map((rule) => ({
        allowedOrigins: rule.AllowedOrigins ?? [],
        allowedMethods: rule.AllowedMethods ?? [],
        allowedHeaders: rule.AllowedHeaders ?? [],
      }));
      return { bucket, rules };
    } catch (error) {
      if ((error as Error).name === 'NoSuchCORSConfiguration') return { bucket, rules: [] };
      throw awsFactError(error, 's3:GetBucketCORS');
    }
  });
});

export const s3AccessLoggingCollector = defineCollector(s3AccessLogging, async (context) => {
  const s3 = await import('@aws-sdk/client-s3');
  return forEachBucket(context, async (client, bucket) => {
    try {
      const answer = await client.send(new s3.GetBucketLoggingCommand({ Bucket: bucket }), { abortSignal: context.signal });
      const target = answer.LoggingEnabled;
      return { bucket, targetBucket: target?.TargetBucket || null, targetPrefix: target?.TargetPrefix ?? null };
    } catch (error) {
      throw awsFactError(error, 's3:GetBucketLogging');
    }
  });
});

export function toLifecycleRule(rule: LifecycleRule): FactValue<typeof s3Lifecycle>[number]['rules'][number] {
  const filter = rule.Filter ?? {};
  const and = filter.And ?? {};
  return {
    id: rule.ID ?? null,
    enabled: rule.Status === 'Enabled',
    prefix: rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? null,
    // A date-based transition has no day count: null, so it never reads as "within N days".
    transitions: (rule.Transitions ?? []).map((t) => ({ days: t.Days ?? null, storageClass: t.StorageClass ?? 'unknown' })),
    expirationDays: rule.Expiration?.Days ?? null,
    // A rule without Prefix may still be narrowed by tags or object size: all of it, so a partial rule never reads as whole-bucket.
    filter: {
      prefix: filter.Prefix ?? and.Prefix ?? rule.Prefix ?? null,
      tags: [...(filter.Tag ? [filter.Tag] : []), ...(and.Tags ?? [])].map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
      objectSizeGreaterThan: filter.ObjectSizeGreaterThan ?? and.ObjectSizeGreaterThan ?? null,
      objectSizeLessThan: filter.ObjectSizeLessThan ?? and.ObjectSizeLessThan ?? null,
    },
    expirationDate: rule.Expiration?.Date ? new Date(rule.Expiration.Date).toISOString() : null,
    expiredObjectDeleteMarker: rule.Expiration?.ExpiredObjectDeleteMarker ?? false,
    noncurrentExpirationDays: rule.NoncurrentVersionExpiration?.NoncurrentDays ?? null,
  };
}
