import { defineCheck, optional, type FactOutcome, type FactValue, type Finding } from '../../src/model.js';
import { s3AccountPublicAccessBlock, s3Buckets, s3PublicAccessBlock } from '../../src/facts/aws.js';
import { s3UnlistedBucketSettings } from '../../src/facts/aws-network.js';
import { BUCKET_MESSAGES, entryFor, unlistedFindings } from '../lib/s3-buckets.js';
import { noneFound } from '../lib/none-found.js';

const NO_BUCKETS = noneFound('S3 bucket', 's3');

const SETTINGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;
type Settings = Record<(typeof SETTINGS)[number], boolean>;

export default defineCheck({
  meta: {
    id: 'aws.s3.public-access-block',
    title: 'S3 Block Public Access is fully on',
    failureTitle: 'S3 Block Public Access is not fully on',
    failureTitles: { 'no-buckets': NO_BUCKETS.title },
    description: 'All four Block Public Access settings keep an ACL or bucket policy from ever making PHI public. S3 applies the bucket and account settings together: each setting counts as on when it is on at either level.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Turn on all four Block Public Access settings on the bucket (or once for the whole account with `aws s3control put-public-access-block`)',
      command: 'aws s3api put-public-access-block --bucket {{resource}} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
      effortMinutes: 5,
    },
    messages: {
      blocked: 'Block Public Access is fully on for {{resource}} ({{level}})',
      'not-blocked': 'Block Public Access is not fully on for {{resource}}: {{settings}} off',
      'account-unverified': '{{resource}} lacks {{settings}} at bucket level, and the account-level settings could not be read: {{reason}}',
      ...BUCKET_MESSAGES,
    },
  },
  facts: { buckets: s3Buckets, blocks: s3PublicAccessBlock, account: optional(s3AccountPublicAccessBlock), unlisted: optional(s3UnlistedBucketSettings) },
  evaluate({ buckets, blocks, account, unlisted }, { config }) {
    if (buckets.length === 0) return [{ resource: 's3', status: 'fail', code: 'no-buckets' }];
    const listed = buckets.map((bucket): Finding => {
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      const entry = entryFor(blocks, bucket.name);
      if (!entry) return { resource: bucket.name, status: 'unverified', code: 'bucket-not-read' };
      return judge(bucket.name, entry.settings, account);
    });
    return [...listed, ...unlistedFindings(config, unlisted, (entry) => judge(entry.bucket, entry.settings, account))];
  },
});

function judge(bucket: string, settings: Settings | null, account: FactOutcome<FactValue<typeof s3AccountPublicAccessBlock>>): Finding {
  const accountSettings = account.ok ? account.value.settings : null;
  const bucketOff = SETTINGS.filter((s) => !settings?.[s]);
  const off = bucketOff.filter((s) => !accountSettings?.[s]);
  const evidence = { bucket: describe(settings), account: account.ok ? describe(accountSettings) : `unread: ${account.failure.message}` };
  if (bucketOff.length === 0) return { resource: bucket, status: 'pass', code: 'blocked', args: { level: 'bucket level' }, evidence };
  if (off.length === 0) return { resource: bucket, status: 'pass', code: 'blocked', args: { level: bucketOff.length === 4 ? 'account level' : 'bucket and account level' }, evidence };
  if (!account.ok) return { resource: bucket, status: 'unverified', code: 'account-unverified', args: { settings: bucketOff.join(', '), reason: account.failure.message }, evidence };
  return { resource: bucket, status: 'fail', code: 'not-blocked', args: { settings: off.join(', ') }, evidence };
}

function describe(settings: Settings | null): string {
  if (!settings) return 'none';
  return SETTINGS.map((s) => `${s}=${settings[s]}`).join(' ');
}
