import { defineCheck, isOpen, optional, type FactValue, type Finding } from '../../src/model.js';
import { s3BucketPolicies, s3Buckets } from '../../src/facts/aws.js';
import { s3UnlistedBucketSettings } from '../../src/facts/aws-network.js';
import { BUCKET_MESSAGES, entryFor, holdsPhi, unlistedFindings } from '../lib/s3-buckets.js';
import { noneFound } from '../lib/none-found.js';
import { matchesArnPattern as matches } from '../lib/arn-pattern.js';
import { shellQuote } from '../lib/shell.js';

const NO_BUCKETS = noneFound('S3 bucket', 's3');

type Statement = NonNullable<FactValue<typeof s3BucketPolicies>[number]['statements']>[number];

export default defineCheck({
  meta: {
    id: 'aws.s3.tls-only',
    title: 'S3 buckets refuse plain-HTTP requests',
    failureTitle: 'S3 buckets accept plain-HTTP requests',
    failureTitles: { 'no-buckets': NO_BUCKETS.title },
    description: 'S3 answers plain HTTP unless the bucket policy denies every action, to everyone, when `aws:SecureTransport` is false — on the bucket and on its objects. Evaluated on every bucket of the account: those a bucket list in the config leaves out are assumed to hold PHI.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 1,
    remediation: {
      text: 'Add a statement denying insecure transport to the bucket policy (merge it into the existing policy: put-bucket-policy replaces the whole policy)',
      command: `aws s3api put-bucket-policy --bucket {{resource}} --policy {{policy}}`,
      effortMinutes: 10,
    },
    messages: {
      enforced: 'The policy of {{resource}} denies every request not made over TLS',
      'no-policy': '{{resource}} has no bucket policy, so plain-HTTP requests are allowed',
      'no-tls-deny': 'The policy of {{resource}} has no Deny on aws:SecureTransport=false',
      partial: 'The TLS Deny of {{resource}} does not cover {{uncovered}}',
      conditional: 'The TLS Deny of {{resource}} also requires {{conditions}}, so plain-HTTP requests that do not match those are allowed',
      ...BUCKET_MESSAGES,
    },
  },
  facts: { buckets: s3Buckets, policies: s3BucketPolicies, unlisted: optional(s3UnlistedBucketSettings) },
  evaluate({ buckets, policies, unlisted }, { config }) {
    if (buckets.length === 0) return [{ resource: 's3', status: 'fail', code: 'no-buckets' }];
    const listed = buckets.map((bucket): Finding => withPolicy(findingFor(bucket)));
    return [...listed, ...unlistedFindings(config, unlisted, (entry) => withPolicy(judge(entry.bucket, entry.statements)))];
    function findingFor(bucket: (typeof buckets)[number]): Finding {
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      if (!holdsPhi(config, bucket.name)) return { resource: bucket.name, status: 'not_applicable', code: 'not-phi' };
      const entry = entryFor(policies, bucket.name);
      if (!entry) return { resource: bucket.name, status: 'unverified', code: 'bucket-not-read' };
      return judge(bucket.name, entry.statements);
    }
  },
});

function judge(bucket: string, statements: Statement[] | null): Finding {
  if (!statements) return { resource: bucket, status: 'fail', code: 'no-policy', evidence: { policy: null } };
  const tlsDenies = statements.filter(deniesInsecureTransport);
  const denies = tlsDenies.filter((s) => otherConditions(s).length === 0);
  if (denies.length === 0 && tlsDenies.length > 0) {
    const conditions = [...new Set(tlsDenies.flatMap(otherConditions))];
    return { resource: bucket, status: 'fail', code: 'conditional', args: { conditions: conditions.join(', ') }, evidence: { statements: tlsDenies.map((s) => s.sid ?? '(no Sid)'), conditions } };
  }
  if (denies.length === 0) return { resource: bucket, status: 'fail', code: 'no-tls-deny', evidence: { statements: statements.length } };
  const targets = { bucket: `arn:aws:s3:::${bucket}`, objects: `arn:aws:s3:::${bucket}/*` };
  const complete = denies.filter((s) => s.actions.some((a) => a === '*' || a.toLowerCase() === 's3:*'));
  const uncovered =
    complete.length === 0
      ? ['every S3 action']
      : Object.entries(targets)
          .filter(([, arn]) => !complete.some((statement) => statement.resources.some((pattern) => matches(pattern, arn))))
          .map(([what]) => `the ${what}`);
  const evidence = { statements: denies.map((s) => s.sid ?? '(no Sid)'), resources: denies.flatMap((s) => s.resources) };
  if (uncovered.length > 0) return { resource: bucket, status: 'fail', code: 'partial', args: { uncovered: uncovered.join(' and ') }, evidence };
  return { resource: bucket, status: 'pass', code: 'enforced', evidence };
}

/** The policy the fix puts, its two ARNs left as marks to fill per bucket: written as JSON once, not per bucket. */
const [BEFORE_BUCKET, BEFORE_OBJECTS, AFTER_OBJECTS] = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['BUCKET', 'OBJECTS'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
}).split(/"BUCKET"|"OBJECTS"/) as [string, string, string];

/**
 * The policy the fix puts, one shell word: the bucket's name is data inside the JSON (each ARN a JSON string). Only an
 * open finding is given a fix command, so only its policy is written (a passed bucket's was 250 characters made for nothing).
 */
function withPolicy(finding: Finding): Finding {
  if (!isOpen(finding)) return finding;
  const arn = `arn:aws:s3:::${finding.resource}`;
  const policy = `${BEFORE_BUCKET}${JSON.stringify(arn)}${BEFORE_OBJECTS}${JSON.stringify(`${arn}/*`)}${AFTER_OBJECTS}`;
  return { ...finding, args: { ...finding.args, policy: shellQuote(policy) } };
}

const TLS_OPERATORS = ['Bool', 'BoolIfExists'];
const isSecureTransport = (key: string) => key.toLowerCase() === 'aws:securetransport';

function deniesInsecureTransport(statement: Statement): boolean {
  if (statement.effect !== 'Deny' || !statement.principals.includes('*') || statement.notActions.length > 0) return false;
  return TLS_OPERATORS.some((operator) => {
    const values = Object.entries(statement.conditions[operator] ?? {}).find(([key]) => isSecureTransport(key))?.[1];
    return values?.some((v) => v.toLowerCase() === 'false') ?? false;
  });
}

/**
 * The conditions of a TLS Deny other than `aws:SecureTransport` false, as `operator key`: condition blocks are ANDed,
 * so any other one (a VPC endpoint, an account) lets plain HTTP through wherever it does not hold.
 */
function otherConditions(statement: Statement): string[] {
  return Object.entries(statement.conditions).flatMap(([operator, keys]) =>
    Object.entries(keys)
      .filter(([key, values]) => !(TLS_OPERATORS.includes(operator) && isSecureTransport(key) && values.some((v) => v.toLowerCase() === 'false')))
      .map(([key]) => `${operator} ${key}`),
  );
}
