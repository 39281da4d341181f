import type { Config } from '../../src/config/schema.js';
import { noneFound } from './none-found.js';

type BucketConfig = NonNullable<NonNullable<Config['aws']>['s3']['buckets']>[number];

const configIndexes = new WeakMap<readonly BucketConfig[], Map<string, BucketConfig>>();

/** The configured entry of a bucket, when buckets are listed in the config (indexed once: `init` lists every bucket). */
export function bucketConfig(config: Config, bucket: string): BucketConfig | undefined {
  const listed = config.aws?.s3.buckets;
  if (!listed) return undefined;
  let index = configIndexes.get(listed);
  if (!index) {
    // The first entry of a name wins, as a scan would find it.
    index = new Map(listed.toReversed().map((b) => [b.name, b]));
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
};

const indexes = new WeakMap<readonly { bucket: string }[], Map<string, { bucket: string }>>();

/** The entry a per-bucket fact holds for one bucket, indexed once per fact (accounts have thousands of buckets). */
export function entryFor<T extends { bucket: string }>(entries: readonly T[], bucket: string): T | undefined {
  let index = indexes.get(entries);
  if (!index) {
    index = new Map(entries.map((entry) => [entry.bucket, entry]));
    indexes.set(entries, index);
  }
  return index.get(bucket) as T | undefined;
}
