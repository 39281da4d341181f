import type { S3Client } from '@aws-sdk/client-s3';
import { s3BucketPolicies, s3Buckets, s3Encryption, s3PublicAccessBlock, s3Versioning } from '../../facts/aws.js';
import { s3AccountBuckets, s3UnlistedBucketSettings } from '../../facts/aws-network.js';
import { parsePolicy } from './policy.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError, PartialFact, type CollectContext } from '../types.js';
import { awsFactError, MALFORMED_FIX } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';
import { pages } from './pages.js';
import { readEach } from '../read-each.js';

const NO_SUCH_BUCKET = new Set(['NoSuchBucket', 'NotFound']);

export const s3BucketsCollector = defineCollector(s3Buckets, async (context) => {
  requireAws(context);
  const s3 = await import('@aws-sdk/client-s3');
  const client = await context.aws.client('s3');
  const configured = context.config.aws?.s3.buckets?.map((b) => b.name);
  let names = configured;
  // ListBuckets names each bucket's region (AWS, since 2024): no GetBucketLocation for those.
  const listedRegion = new Map<string, string>();
  if (!names) {
    names = [];
    try {
      for await (const page of pages(s3.paginateListBuckets, { client }, {}, context.signal)) {
        for (const bucket of requireList(page, 'Buckets', 's3:ListAllMyBuckets')) {
          if (!bucket.Name) continue;
          names.push(bucket.Name);
          if (bucket.BucketRegion) listedRegion.set(bucket.Name, bucket.BucketRegion);
        }
      }
    } catch (error) {
      throw awsFactError(error, 's3:ListAllMyBuckets');
    }
  }
  return readEach(context, names, { name: (name) => name, limit: context.aws.pool('s3'), counting: 's3 buckets' }, async (name): Promise<FactValue<typeof s3Buckets>[number]> => {
    const region = listedRegion.get(name) ?? (await bucketRegion(context, client, name));
    return { name, region, exists: region !== null };
  });
});

/** The region a bucket lives in; null when there is no such bucket. */
export async function bucketRegion(context: CollectContext, client: S3Client, name: string): Promise<string | null> {
  const s3 = await import('@aws-sdk/client-s3');
  try {
    const location = await client.send(new s3.GetBucketLocationCommand({ Bucket: name }), { abortSignal: context.signal });
    return location.LocationConstraint || 'us-east-1';
  } catch (error) {
    if (NO_SUCH_BUCKET.has((error as Error).name)) return null;
    throw awsFactError(error, 's3:GetBucketLocation');
  }
}

export const s3EncryptionCollector = defineCollector(s3Encryption, (context) => forEachBucket(context, (client, bucket) => readEncryption(context, client, bucket)));

/** One bucket's default encryption rules (none: `rules: []`). */
export async function readEncryption(context: CollectContext, client: S3Client, bucket: string): Promise<FactValue<typeof s3Encryption>[number]> {
  const s3 = await import('@aws-sdk/client-s3');
  try {
    const answer = await client.send(new s3.GetBucketEncryptionCommand({ Bucket: bucket }), { abortSignal: context.signal });
    const rules = requireList(requireField(answer, 'ServerSideEncryptionConfiguration', 's3:GetEncryptionConfiguration'), 'Rules', 's3:GetEncryptionConfiguration').map((rule) => ({
      algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'unknown',
      kmsKeyId: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? null,
      bucketKeyEnabled: rule.BucketKeyEnabled === true,
    }));
    return { bucket, rules };
  } catch (error) {
    if ((error as Error).name === 'ServerSideEncryptionConfigurationNotFoundError') return { bucket, rules: [] };
    throw awsFactError(error, 's3:GetEncryptionConfiguration');
  }
}

export const s3VersioningCollector = defineCollector(s3Versioning, async (context) => {
  const s3 = await import('@aws-sdk/client-s3');
  return forEachBucket(context, async (client, bucket) => {
    try {
      const answer = await client.send(new s3.GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: context.signal });
      return { bucket, status: answer.Status ?? 'Never', mfaDelete: answer.MFADelete === 'Enabled' };
    } catch (error) {
      throw awsFactError(error, 's3:GetBucketVersioning');
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
    // AWS always names all four settings: an answer naming none (an HTML page, a bare root) is malformed, not "all off".
    if ([settings.BlockPublicAcls, settings.IgnorePublicAcls, settings.BlockPublicPolicy, settings.RestrictPublicBuckets].every((value) => value === undefined)) {
      throw new FactError('MalformedResponse', `s3:GetBucketPublicAccessBlock answered without any setting for bucket ${bucket}`, MALFORMED_FIX);
    }
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
  return { bucket, statements: parsePolicy(text, `bucket ${bucket}`) };
}

type Unlisted = FactValue<typeof s3UnlistedBucketSettings>[number];

/**
 * The buckets a configured list leaves out get the settings that keep any bucket safe (encryption,
 * public access, TLS-only), read once each under the same S3 pool as the listed ones; the listed
 * buckets are never read here.
 */
export const s3UnlistedBucketSettingsCollector = defineCollector(s3UnlistedBucketSettings, async (context) => {
  const configured = context.config.aws?.s3.buckets;
  if (!configured) return [];
  const listed = new Set(configured.map((b) => b.name));
  const unlisted = (await context.fact(s3AccountBuckets)).filter((name) => !listed.has(name));
  const client = await context.aws.client('s3');
  const read = await readEach(context, unlisted, { name: (name) => name, limit: context.aws.pool('s3'), counting: 's3 bucket settings' }, async (name): Promise<Unlisted | null> => {
    const region = await bucketRegion(context, client, name);
    // Deleted between ListBuckets and now: nothing left to assess.
    if (region === null) return null;
    const regional = await context.aws.client('s3', region);
    const { rules } = await readEncryption(context, regional, name);
    const { settings } = await readPublicAccessBlock(context, regional, name);
    const { statements } = await readBucketPolicy(context, regional, name);
    return { bucket: name, region, rules, settings, statements };
  }).catch((error: unknown) => {
    // Cut off part-way, the unlisted buckets are one unverified result, not a changed list: the checks
    // also judge the listed buckets from this fact's neighbours, and a half-read list must not vouch for them.
    if (error instanceof PartialFact) throw new FactError('Timeout', `${error.unread.length} unlisted bucket(s) ${error.message}`, error.fix);
    throw error;
  });
  return read.filter((entry) => entry !== null);
});

/**
 * Runs a per-bucket read on every existing bucket, with a client in the bucket's own region, under
 * the run's S3 pool. Cut off by --timeout, it keeps what it read and names the buckets it did not.
 */
export async function forEachBucket<T>(context: CollectContext, read: (client: S3Client, bucket: string) => Promise<T>): Promise<T[]> {
  const buckets = (await context.fact(s3Buckets)).filter((bucket) => bucket.exists);
  return readEach(context, buckets, { name: (bucket) => bucket.name, limit: context.aws.pool('s3'), counting: 's3 bucket settings' }, async (bucket) =>
    read(await context.aws.client('s3', bucket.region ?? context.aws.defaultRegion), bucket.name),
  );
}
