import { defineCheck } from '../../src/model.js';
import { s3AccountBuckets } from '../../src/facts/aws-network.js';

export default defineCheck({
  meta: {
    id: 'aws.s3.unlisted-buckets',
    title: 'Every bucket of the account is in scope',
    failureTitle: 'Buckets left out of the assessment',
    description:
      'When `aws.s3.buckets` lists buckets, the others are still judged for what keeps any bucket safe: default encryption (aws.s3.encryption), Block Public Access (aws.s3.public-access-block) and TLS-only (aws.s3.tls-only), one result per bucket, as PHI buckets. The listed-only checks (versioning, lifecycle, access logging, CORS, backups, data retention) skip them: this result names them so that narrowing is never silent. Not scored: add a bucket to the list (with `phi: false` if it holds no PHI) to assess it fully.',
    section: 'aws',
    severity: 'low',
    layer: 'infrastructure',
    hipaa: [],
    phase: 1,
    scored: false,
    remediation: { text: 'Add the left-out buckets to `aws.s3.buckets` (mark those without PHI `phi: false`), or remove the list to assess every bucket', effortMinutes: 10 },
    messages: {
      'all-listed': 'Every bucket of the account ({{count}}) is assessed',
      'left-out': '{{count}} bucket(s) of the account are not in aws.s3.buckets, so only their encryption, public access and TLS-only are assessed: {{buckets}}',
      'no-list': 'No bucket list in the config: every bucket of the account is assessed',
    },
  },
  facts: { buckets: s3AccountBuckets },
  evaluate({ buckets }, { config }) {
    const configured = config.aws?.s3.buckets;
    if (!configured) return [{ resource: 's3', status: 'pass', code: 'no-list', evidence: { buckets: buckets.length } }];
    // A set, not a scan of the list per bucket: `init` lists every bucket, and accounts hold thousands.
    const listed = new Set(configured.map((b) => b.name));
    const left = buckets.filter((name) => !listed.has(name));
    if (left.length === 0) return [{ resource: 's3', status: 'pass', code: 'all-listed', args: { count: buckets.length } }];
    return [{ resource: 's3', status: 'not_applicable', code: 'left-out', args: { count: left.length, buckets: left.join(', ') }, evidence: { leftOut: left } }];
  },
});
