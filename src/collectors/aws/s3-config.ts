import type { LifecycleRule, S3Client } from '@aws-sdk/client-s3';
import { s3AccessLogging, s3BucketPolicies, s3Cors, s3Lifecycle, s3PublicAccessBlock } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { requireField, requireList } from './require.js';
import { forEachBucket } from './s3.js';

type Statement = NonNullable<FactValue<typeof s3BucketPolicies>[number]['statements']>[number];

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

export const s3PublicAccessBlockCollector = defineCollector(s3PublicAccessBlock, (context) => forEachBucket(context, (client, bucket) => readPublicAccessBlock(context, client, bucket)));

/** One bucket's own Block Public Access settings (none set: `settings: null`). */
export async function readPublicAccessBlock(context: CollectContext, client: S3Client, bucket: string): Promise<FactValue<typeof s3PublicAccessBlock>[number]> {
  const s3 = await import('@aws-sdk/client-s3');
  try {
    const answer = await client.send(new s3.GetPublicAccessBlockCommand({ Bucket: bucket }), { abortSignal: context.signal });
    const settings = requireField(answer, 'PublicAccessBlockConfiguration', 's3:GetBucketPublicAccessBlock');
    return {
      bucket,
      settings: {
        blockPublicAcls: settings.BlockPublicAcls === true,
        ignorePublicAcls: settings.IgnorePublicAcls === true,
        blockPublicPolicy: settings.BlockPublicPolicy === true,
        restrictPublicBuckets: settings.RestrictPublicBuckets === true,
      },
    };
  } catch (error) {
    if ((error as Error).name === 'NoSuchPublicAccessBlockConfiguration') return { bucket, settings: null };
    throw awsFactError(error, 's3:GetBucketPublicAccessBlock');
  }
}

export const s3BucketPoliciesCollector = defineCollector(s3BucketPolicies, (context) => forEachBucket(context, (client, bucket) => readBucketPolicy(context, client, bucket)));

/** One bucket's policy statements (no policy: `statements: null`). */
export async function readBucketPolicy(context: CollectContext, client: S3Client, bucket: string): Promise<FactValue<typeof s3BucketPolicies>[number]> {
  const s3 = await import('@aws-sdk/client-s3');
  let text: string | undefined;
  try {
    text = (await client.send(new s3.GetBucketPolicyCommand({ Bucket: bucket }), { abortSignal: context.signal })).Policy;
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucketPolicy') return { bucket, statements: null };
    throw awsFactError(error, 's3:GetBucketPolicy');
  }
  // No policy is NoSuchBucketPolicy: a 200 without a document is malformed, not "no policy".
  if (!text) throw new FactError('MalformedResponse', `s3:GetBucketPolicy answered without a policy document for bucket ${bucket}`);
  return { bucket, statements: parsePolicy(text, bucket) };
}

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

function toLifecycleRule(rule: LifecycleRule): FactValue<typeof s3Lifecycle>[number]['rules'][number] {
  return {
    id: rule.ID ?? null,
    enabled: rule.Status === 'Enabled',
    prefix: rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? null,
    // A date-based transition has no day count: null, so it never reads as "within N days".
    transitions: (rule.Transitions ?? []).map((t) => ({ days: t.Days ?? null, storageClass: t.StorageClass ?? 'unknown' })),
    expirationDays: rule.Expiration?.Days ?? null,
  };
}

/** Normalises an IAM policy document: every field that may be a string or a list becomes a list. */
export function parsePolicy(text: string, bucket: string): Statement[] {
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(text) as { Statement?: unknown };
  } catch {
    throw new FactError('MalformedResponse', `the policy of bucket ${bucket} is not valid JSON`);
  }
  const raw = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return raw.map((entry) => {
    const statement = entry as Record<string, unknown>;
    const conditions: Statement['conditions'] = {};
    for (const [operator, keys] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      conditions[operator] = Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, list(value).map(String)]));
    }
    return {
      sid: typeof statement.Sid === 'string' ? statement.Sid : null,
      effect: String(statement.Effect ?? ''),
      principals: principals(statement.Principal),
      actions: list(statement.Action).map(String),
      notActions: list(statement.NotAction).map(String),
      resources: list(statement.Resource).map(String),
      conditions,
    };
  });
}

function principals(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (principal === '*') return ['*'];
  if (typeof principal === 'string') return [principal];
  return Object.values(principal as Record<string, unknown>).flatMap((value) => list(value).map(String));
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
