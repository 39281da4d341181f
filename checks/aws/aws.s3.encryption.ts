import { defineCheck, optional, type FactValue, type Finding } from '../../src/model.js';
import { s3Buckets, s3Encryption } from '../../src/facts/aws.js';
import { s3UnlistedBucketSettings } from '../../src/facts/aws-network.js';
import { BUCKET_MESSAGES, entryFor, unlistedFindings } from '../lib/s3-buckets.js';
import { noneFound } from '../lib/none-found.js';

const NO_BUCKETS = noneFound('S3 bucket', 's3');

export default defineCheck({
  meta: {
    id: 'aws.s3.encryption',
    title: 'S3 buckets have default encryption',
    failureTitle: 'S3 buckets lack default encryption',
    failureTitles: { 'no-buckets': NO_BUCKETS.title },
    description: 'Every bucket that may hold PHI needs default server-side encryption (SSE-S3 or SSE-KMS). Evaluated on every bucket of the account: those a bucket list in the config leaves out too.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(2)(iv)'],
    phase: 1,
    remediation: {
      text: 'Set default encryption on the bucket (SSE-KMS with a bucket key, or SSE-S3)',
      command: `aws s3api put-bucket-encryption --bucket {{resource}} --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}'`,
      effortMinutes: 5,
    },
    messages: {
      encrypted: '{{resource}} encrypts by default with {{algorithm}}',
      unencrypted: '{{resource}} has no default encryption configuration',
      'bucket-missing': 'Configured bucket {{resource}} does not exist',
      'no-buckets': NO_BUCKETS.message,
      'bucket-not-read': BUCKET_MESSAGES['bucket-not-read'],
      'fact-unavailable': BUCKET_MESSAGES['fact-unavailable'],
    },
  },
  facts: { buckets: s3Buckets, encryption: s3Encryption, unlisted: optional(s3UnlistedBucketSettings) },
  evaluate({ buckets, encryption, unlisted }, { config }) {
    if (buckets.length === 0) return [{ resource: 's3', status: 'fail', code: 'no-buckets' }];
    const listed = buckets.map((bucket): Finding => {
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      const rules = entryFor(encryption, bucket.name)?.rules;
      if (!rules) return { resource: bucket.name, status: 'unverified', code: 'fact-unavailable', args: { fact: 'aws.s3.encryption', reason: 'bucket not read' } };
      return judge(bucket.name, rules);
    });
    return [...listed, ...unlistedFindings(config, unlisted, (entry) => judge(entry.bucket, entry.rules))];
  },
});

function judge(bucket: string, rules: FactValue<typeof s3Encryption>[number]['rules']): Finding {
  const rule = rules[0];
  if (!rule) return { resource: bucket, status: 'fail', code: 'unencrypted', evidence: { rules: 0 } };
  return {
    resource: bucket,
    status: 'pass',
    code: 'encrypted',
    args: { algorithm: rule.algorithm === 'AES256' ? 'SSE-S3 (AES256)' : rule.algorithm },
    evidence: { algorithm: rule.algorithm, kmsKeyId: rule.kmsKeyId, bucketKeyEnabled: rule.bucketKeyEnabled },
  };
}
