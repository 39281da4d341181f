import { defineCheck, type Finding } from '../../src/model.js';
import { s3AccessLogging, s3Buckets } from '../../src/facts/aws.js';
import { BUCKET_MESSAGES, entryFor, holdsPhi } from '../lib/s3-buckets.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_BUCKETS = noneFound('S3 bucket', 's3');

export default defineCheck({
  meta: {
    id: 'aws.s3.access-logging',
    title: 'S3 server access logging is on',
    failureTitle: 'S3 server access logging is off',
    failureTitles: { 'no-buckets': NO_BUCKETS.title },
    description: 'Server access logs record who read or changed which object: the audit trail for PHI files. Buckets marked `phi: false` are not assessed.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Send server access logs to a separate log bucket (it must allow the S3 logging service to write)',
      command: `aws s3api put-bucket-logging --bucket {{resource}} --bucket-logging-status {{loggingStatus}}`,
      effortMinutes: 15,
    },
    messages: {
      enabled: '{{resource}} logs access to s3://{{target}}',
      disabled: '{{resource}} has server access logging off',
      ...BUCKET_MESSAGES,
    },
  },
  facts: { buckets: s3Buckets, logging: s3AccessLogging },
  evaluate({ buckets, logging }, { config }) {
    if (buckets.length === 0) return [{ resource: 's3', status: 'fail', code: 'no-buckets' }];
    return buckets.map((bucket) => withLoggingStatus(findingFor(bucket)));
    function findingFor(bucket: (typeof buckets)[number]): Finding {
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      if (!holdsPhi(config, bucket.name)) return { resource: bucket.name, status: 'not_applicable', code: 'not-phi' };
      const entry = entryFor(logging, bucket.name);
      if (!entry) return { resource: bucket.name, status: 'unverified', code: 'bucket-not-read' };
      if (!entry.targetBucket) return { resource: bucket.name, status: 'fail', code: 'disabled', evidence: { targetBucket: null } };
      const target = `${entry.targetBucket}/${entry.targetPrefix ?? ''}`;
      return { resource: bucket.name, status: 'pass', code: 'enabled', args: { target }, evidence: { targetBucket: entry.targetBucket, targetPrefix: entry.targetPrefix } };
    }
  },
});

/** The logging status the fix sets, one shell word: the bucket's name is data inside the JSON. */
function withLoggingStatus(finding: Finding): Finding {
  const status = { LoggingEnabled: { TargetBucket: '<log-bucket>', TargetPrefix: `${finding.resource}/` } };
  return { ...finding, args: { ...finding.args, loggingStatus: shellQuote(JSON.stringify(status)) } };
}
