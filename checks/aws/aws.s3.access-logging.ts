import type { Config } from '../../src/config/schema.js';
import { defineCheck, optional, type FactValue, type Finding } from '../../src/model.js';
import { s3AccessLogging, s3Buckets } from '../../src/facts/aws.js';
import { s3AccountBuckets } from '../../src/facts/aws-network.js';
import { BUCKET_MESSAGES, entryFor, holdsPhi } from '../lib/s3-buckets.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_BUCKETS = noneFound('S3 bucket', 's3');

/** Where access logs should go: where the account already sends them, else a declared log bucket; null when neither. */
function logBucketFor(logging: FactValue<typeof s3AccessLogging>, config: Config, account: Set<string> | null): string | null {
  // A bucket logging into itself is no log bucket to send the others' logs to; nor is one the account no longer has.
  const used = logging.find((entry) => entry.targetBucket !== null && entry.targetBucket !== entry.bucket && (account?.has(entry.targetBucket) ?? true))?.targetBucket;
  if (used) return used;
  return config.aws?.s3.buckets?.find((b) => !b.phi && /log/i.test(b.name))?.name ?? null;
}

function enableLogging(bucket: string, logBucket: string | null): string {
  const status = { LoggingEnabled: { TargetBucket: logBucket !== null && logBucket !== bucket ? logBucket : '<log-bucket>', TargetPrefix: `${bucket}/` } };
  return `aws s3api put-bucket-logging --bucket ${shellQuote(bucket)} --bucket-logging-status ${shellQuote(JSON.stringify(status))}`;
}

export default defineCheck({
  meta: {
    id: 'aws.s3.access-logging',
    title: 'S3 server access logging is on',
    failureTitle: 'S3 server access logging is off',
    failureTitles: { 'no-buckets': NO_BUCKETS.title },
    description: 'Server access logs record who read or changed which object: the audit trail for PHI files. They must go to another bucket: logs kept in the PHI bucket itself go with its objects. Buckets marked `phi: false` are not assessed.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Send server access logs to a separate log bucket (it must allow the S3 logging service to write). The command names the bucket other buckets already log to, else a configured `phi: false` bucket named like a log bucket, else `<log-bucket>` to fill in',
      command: '{{fix}}',
      effortMinutes: 15,
    },
    messages: {
      enabled: '{{resource}} logs access to s3://{{target}}',
      disabled: '{{resource}} has server access logging off',
      'target-missing': '{{resource}} sends its access logs to s3://{{target}}, a bucket this account does not have: S3 drops them',
      'target-other-region': '{{resource}} ({{region}}) sends its access logs to s3://{{target}} in {{targetRegion}}: S3 delivers them only to a bucket of the same region',
      'target-unverified': '{{resource}} sends its access logs to s3://{{target}}, and whether that bucket still exists was not read: {{reason}}',
      'logs-to-itself': '{{resource}} writes its access logs into itself (s3://{{target}}): whoever may delete its objects deletes the trail with them, and each log write is logged again',
      ...BUCKET_MESSAGES,
    },
  },
  facts: { buckets: s3Buckets, logging: s3AccessLogging, accountBuckets: optional(s3AccountBuckets) },
  evaluate({ buckets, logging, accountBuckets }, { config }) {
    if (buckets.length === 0) return [{ resource: 's3', status: 'fail', code: 'no-buckets' }];
    // A set, not a scan per bucket: accounts hold thousands. A list cut short cannot say a bucket is missing.
    const account = accountBuckets.ok && !accountBuckets.partial ? new Set(accountBuckets.value) : null;
    const logBucket = logBucketFor(logging, config, account);
    return buckets.map((bucket) => {
      const finding = findingFor(bucket);
      return { ...finding, args: { ...finding.args, fix: enableLogging(finding.resource, logBucket) } };
    });
    function findingFor(bucket: (typeof buckets)[number]): Finding {
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      if (!holdsPhi(config, bucket.name)) return { resource: bucket.name, status: 'not_applicable', code: 'not-phi' };
      const entry = entryFor(logging, bucket.name);
      if (!entry) return { resource: bucket.name, status: 'unverified', code: 'bucket-not-read' };
      if (!entry.targetBucket) return { resource: bucket.name, status: 'fail', code: 'disabled', evidence: { targetBucket: null } };
      const target = `${entry.targetBucket}/${entry.targetPrefix ?? ''}`;
      const evidence = { targetBucket: entry.targetBucket, targetPrefix: entry.targetPrefix };
      if (entry.targetBucket === bucket.name) return { resource: bucket.name, status: 'fail', code: 'logs-to-itself', args: { target }, evidence };
      // S3 keeps the logging setting when its target bucket is deleted, and drops the logs without a word.
      if (!account) {
        const reason = accountBuckets.ok ? (accountBuckets.partial?.message ?? 'the bucket list was cut short') : accountBuckets.failure.message;
        return { resource: bucket.name, status: 'unverified', code: 'target-unverified', args: { target, reason }, evidence };
      }
      if (!account.has(entry.targetBucket)) return { resource: bucket.name, status: 'fail', code: 'target-missing', args: { target }, evidence };
      const targetRegion = buckets.find((b) => b.name === entry.targetBucket)?.region;
      if (bucket.region && targetRegion && targetRegion !== bucket.region) {
        return { resource: bucket.name, status: 'fail', code: 'target-other-region', args: { target, region: bucket.region, targetRegion }, evidence: { ...evidence, region: bucket.region, targetRegion } };
      }
      return { resource: bucket.name, status: 'pass', code: 'enabled', args: { target }, evidence };
    }
  },
});
