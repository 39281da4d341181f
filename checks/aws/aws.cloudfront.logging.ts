import { defineCheck, optional, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { s3AccountBuckets } from '../../src/facts/aws-network.js';
import { editDistributionCommand } from '../lib/cloudfront.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_DISTRIBUTIONS = noneFound('CloudFront distribution', 'cloudfront');

/** The bucket name in Logging.Bucket (`name.s3.amazonaws.com`, or with a region); the value as is when it has another form. */
function bucketName(domain: string): string {
  return /^(.+?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(domain)?.[1] ?? domain;
}

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.logging',
    title: 'CloudFront standard logging is on',
    failureTitle: 'CloudFront standard logging is off',
    description: 'Standard (access) logs record every viewer request: the audit trail of who fetched which file. Logging delivered only through CloudWatch vended log deliveries (standard logging v2) is not read by this check.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Turn on standard logging to an S3 log bucket (with ACLs enabled, as CloudFront standard logging needs): the command fetches the config, sets Logging with jq, and updates the distribution with its ETag. It names the bucket another distribution already logs to, else `<log-bucket>` to fill in',
      command: '{{fix}}',
      effortMinutes: 15,
    },
    messages: {
      enabled: '{{resource}} ({{domain}}) logs to {{bucket}}',
      disabled: '{{resource}} ({{domain}}) has standard logging off',
      'log-bucket-elsewhere': '{{resource}} ({{domain}}) logs to {{bucket}}, a bucket this account does not have: it belongs to another account, or it is gone and the logs are dropped',
      'log-bucket-unverified': '{{resource}} ({{domain}}) logs to {{bucket}}, and whether that bucket exists was not read: {{reason}}',
      'no-distributions': NO_DISTRIBUTIONS.message,
    },
  },
  facts: { distributions: cloudfrontDistributions, accountBuckets: optional(s3AccountBuckets) },
  evaluate({ distributions, accountBuckets }) {
    if (distributions.length === 0) return [{ resource: 'cloudfront', status: 'not_applicable', code: 'no-distributions' }];
    // A list cut short cannot say a bucket is not the account's.
    const account = accountBuckets.ok && !accountBuckets.partial ? new Set(accountBuckets.value) : null;
    const logged = distributions.flatMap((d) => (d.logging.enabled && d.logging.bucket ? [d.logging.bucket] : []));
    // Where the account's CloudFront logs already go is where this distribution's should go too: a bucket of the account first.
    const logBucket = logged.find((bucket) => account?.has(bucketName(bucket))) ?? logged[0] ?? '<log-bucket>.s3.amazonaws.com';
    return distributions.map((distribution): Finding => {
      const { logging } = distribution;
      const fix = editDistributionCommand(distribution.id, '.Logging = {Enabled: true, IncludeCookies: false, Bucket: $bucket, Prefix: $prefix}', `--arg bucket ${shellQuote(logBucket)} --arg prefix ${shellQuote(`cloudfront/${distribution.id}/`)}`);
      const args = { domain: distribution.domainName, bucket: `${logging.bucket ?? ''}/${logging.prefix ?? ''}`, fix };
      const evidence = { arn: distribution.arn, loggingEnabled: logging.enabled, bucket: logging.bucket, prefix: logging.prefix };
      if (!logging.enabled || logging.bucket === null) return { resource: distribution.id, status: 'fail', code: 'disabled', args, evidence };
      // CloudFront keeps logging to a deleted bucket and drops the logs; a bucket of another account is not listed here.
      if (!account) {
        const reason = accountBuckets.ok ? (accountBuckets.partial?.message ?? 'the bucket list was cut short') : accountBuckets.failure.message;
        return { resource: distribution.id, status: 'unverified', code: 'log-bucket-unverified', args: { ...args, reason }, evidence };
      }
      if (!account.has(bucketName(logging.bucket))) return { resource: distribution.id, status: 'unverified', code: 'log-bucket-elsewhere', args, evidence };
      return { resource: distribution.id, status: 'pass', code: 'enabled', args, evidence };
    });
  },
});
