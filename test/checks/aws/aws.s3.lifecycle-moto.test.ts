import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand, S3Client, type LifecycleRule } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import dataRetention from '../../../checks/application/app.data-retention.js';
import lifecycle from '../../../checks/aws/aws.s3.lifecycle.js';
import { s3AccessLogging, s3Buckets, s3Lifecycle } from '../../../src/facts/aws.js';
import { attestations } from '../../../src/facts/config.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';

// The real collector (GetBucketLifecycleConfiguration) against moto_server: rules that archive nothing, or only part
// of a PHI bucket, never pass.

const env = motoForFile();
const FACTS = [s3Buckets, s3Lifecycle];
const archive = { Transitions: [{ Days: 30, StorageClass: 'GLACIER' as const }] };

async function bucketWith(name: string, rules: LifecycleRule[]): Promise<void> {
  const s3 = env.client(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: name, LifecycleConfiguration: { Rules: rules } }));
}

describe('aws.s3.lifecycle against moto', () => {
  it.each<[string, LifecycleRule[], string, string]>([
    ['a Disabled whole-bucket rule', [{ ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, ...archive }], 'fail', 'no-transition'],
    ['a rule for one tag', [{ ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'archive', Value: 'yes' } }, ...archive }], 'fail', 'prefix-only'],
    ['a rule for a prefix and tags', [{ ID: 'and', Status: 'Enabled', Filter: { And: { Prefix: 'exports/', Tags: [{ Key: 'archive', Value: 'yes' }] } }, ...archive }], 'fail', 'prefix-only'],
    ['a legacy rule with a top-level Prefix', [{ ID: 'legacy', Status: 'Enabled', Prefix: 'old/', ...archive }], 'fail', 'prefix-only'],
    ['a date-based transition', [{ ID: 'dated', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Date: new Date('2030-01-01T00:00:00Z'), StorageClass: 'GLACIER' }] }], 'fail', 'no-transition'],
    ['an archive to STANDARD_IA only', [{ ID: 'ia', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }] }], 'fail', 'no-transition'],
    ['an enabled whole-bucket rule', [{ ID: 'archive', Status: 'Enabled', Filter: {}, ...archive }], 'pass', 'transitions'],
  ])('%s: %s %s', async (_, rules, status, code) => {
    await bucketWith('phi-records', rules);
    const run = await collectAws(env.moto, FACTS, { aws: { s3: { buckets: [{ name: 'phi-records', glacierAfterDays: 90 }] } } });
    expect(run.results(lifecycle)).toEqual([['phi-records', status, code]]);
  });

  it('a whole-bucket expiry that deletes PHI before the retention period is failed by app.data-retention', async () => {
    // AWS accepts overlapping rules, and expiration wins: nothing reaches Glacier after 60 days. How long PHI must be
    // kept is app.data-retention's judgement (minRetentionDays), not this archive check's.
    await bucketWith('phi-records', [
      { ID: 'purge', Status: 'Enabled', Filter: {}, Expiration: { Days: 30 } },
      { ID: 'archive', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 60, StorageClass: 'GLACIER' }] },
    ]);
    const run = await collectAws(env.moto, [...FACTS, s3AccessLogging, attestations], { aws: { s3: { buckets: [{ name: 'phi-records', glacierAfterDays: 90 }] } } });
    expect(run.results(dataRetention)).toEqual([['phi-records', 'fail', 'phi-expires-early']]);
  });
});
