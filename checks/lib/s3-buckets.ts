import type { Config } from '../../src/config/schema.js';
import type { FactOutcome, FactValue, Finding } from '../../src/model.js';
import { ENGINE_MESSAGES } from '../../src/engine/messages.js';
import type { s3UnlistedBucketSettings } from '../../src/facts/aws-network.js';
import { noneFound } from './none-found.js';

type BucketConfig = NonNullable<NonNullable<Config['aws']>['s3']['buckets']>[number];

const configIndexes = new WeakMap<readonly BucketConfig[], Map<string, BucketConfig>>();

/** The configured entry of a bucket, when buckets are listed in the config (indexed once: `init` lists every bucket). */
export function bucketConfig(config: Config, bucket: string): BucketConfig | undefined {
  const listed = config.aws?.s3.buckets;
  if (!listed) return undefined;
  let index = configIndexes.get(listed);
  if (!index) {
    // The first entry of a name wins, as a scan would find it (a loop: no pair array per bucket).
    index = new Map();
    for (const entry of listed) if (!index.has(entry.name)) index.set(entry.name, entry);
    configIndexes.set(listed, index);
  }
  return index.get(bucket);
}

/** Buckets hold PHI unless the config says `phi: false`; unlisted buckets are assumed to. */
export function holdsPhi(config: Config, bucket: string): boolean {
  return bucketConfig(config, bucket)?.phi ?? true;
}

/** Messages every per-bucket S3 check shares. */
export const BUCKET_MESSAGES = {
  'bucket-missing': 'Configured bucket {{resource}} does not exist',
  'bucket-not-read': 'The configuration of bucket {{resource}} was not read',
  'not-phi': '{{resource}} is marked `phi: false`',
  'no-buckets': noneFound('S3 bucket', 's3').message,
  'fact-unavailable': ENGINE_MESSAGES['fact-unavailable']!,
};

export type UnlistedBucket = FactValue<typeof s3UnlistedBucketSettings>[number];

/**
 * The findings on the buckets a configured list leaves out (none without a list): each is judged
 * like a listed bucket, marked `listed: false` in its evidence; when they could not be read, one
 * unverified result says so (a run cut off part-way too).
 */
export function unlistedFindings(config: Config, unlisted: FactOutcome<UnlistedBucket[]>, judge: (entry: UnlistedBucket) => Finding): Finding[] {
  if (!config.aws?.s3.buckets) return [];
  // The engine's own code: its message names the fact, and no fix command is filled with this pseudo-resource.
  if (!unlisted.ok) {
    const { kind, message, fix } = unlisted.failure;
    return [{ resource: 's3 (unlisted buckets)', status: 'unverified', code: 'fact-unavailable', args: { fact: 'aws.s3.unlisted-bucket-settings', reason: message }, evidence: { failure: kind, reason: message, ...(fix ? { fix } : {}) } }];
  }
  return unlisted.value.map((entry): Finding => {
    const finding = judge(entry);
    return { ...finding, evidence: { ...finding.evidence, listed: false } };
  });
}

const indexes = new WeakMap<readonly { bucket: string }[], Map<string, { bucket: string }>>();

/** The entry a per-bucket fact holds for one bucket, indexed once per fact (accounts have thousands of buckets). */
export function entryFor<T extends { bucket: string }>(entries: readonly T[], bucket: string): T | undefined {
  let index = indexes.get(entries);
  if (!index) {
    // The last entry of a name wins, as it always has (a loop: no pair array per entry).
    index = new Map();
    for (const entry of entries) index.set(entry.bucket, entry);
    indexes.set(entries, index);
  }
  return index.get(bucket) as T | undefined;
}
