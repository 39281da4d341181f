import { describe, expect, it } from 'vitest';
import cloudfrontLogging from '../../../checks/aws/aws.cloudfront.logging.js';
import accessLogging from '../../../checks/aws/aws.s3.access-logging.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

// A logging target that is gone keeps its logging setting: S3 and CloudFront drop the logs without a word.
const B = 'phi-files';
const listed = (...names: string[]) => ({ ok: true, value: names });
const denied = { ok: false, failure: { kind: 'AccessDenied', message: 'not authorized to perform s3:ListAllMyBuckets' } };
const cutShort = { ok: true, value: [B], partial: { kind: 'Throttled', message: 'throttled on page 2', unread: [], read: 1 } };

describe('aws.s3.access-logging: the target bucket must exist, in the account and the region of the source', () => {
  const buckets = [{ name: B, region: 'us-east-1', exists: true }];
  const logging = [{ bucket: B, targetBucket: 'acme-logs', targetPrefix: `${B}/` }];
  const cases: CheckCase[] = [
    { name: 'a target among the account buckets passes', facts: { buckets, logging, accountBuckets: listed(B, 'acme-logs') }, expected: [[B, 'pass', 'enabled']] },
    { name: 'a target the account no longer has fails', facts: { buckets, logging, accountBuckets: listed(B) }, expected: [[B, 'fail', 'target-missing']] },
    { name: 'account buckets unread: unverified, never pass', facts: { buckets, logging, accountBuckets: denied }, expected: [[B, 'unverified', 'target-unverified']] },
    { name: 'account bucket list cut short: unverified, never pass', facts: { buckets, logging, accountBuckets: cutShort }, expected: [[B, 'unverified', 'target-unverified']] },
    {
      name: 'a target in another region than the source fails',
      facts: { buckets: [...buckets, { name: 'acme-logs', region: 'eu-west-1', exists: true }], logging, accountBuckets: listed(B, 'acme-logs') },
      expected: [[B, 'fail', 'target-other-region'], ['acme-logs', 'unverified', 'bucket-not-read']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(accessLogging, c)).toEqual(c.expected));

  it('the fix never names the deleted target bucket as the log bucket', () => {
    const both = [{ name: B, region: 'us-east-1', exists: true }, { name: 'phi-scans', region: 'us-east-1', exists: true }];
    const facts = { buckets: both, logging: [...logging, { bucket: 'phi-scans', targetBucket: null, targetPrefix: null }], accountBuckets: [B, 'phi-scans'] };
    // renderedCommands hands every fact over as collected: the optional one by its value.
    const commands = renderedCommands(accessLogging, facts);
    expect(commands).toEqual([
      `aws s3api put-bucket-logging --bucket phi-files --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"phi-files/"}}'`,
      `aws s3api put-bucket-logging --bucket phi-scans --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"phi-scans/"}}'`,
    ]);
  });
});

describe('aws.cloudfront.logging: the log bucket must be known to exist', () => {
  const distribution = (id: string, bucket: string | null) => ({
    id, arn: `arn:aws:cloudfront::1:distribution/${id}`, domainName: `${id.toLowerCase()}.cloudfront.net`, enabled: true, aliases: [],
    behaviors: [{ pathPattern: '*', viewerProtocolPolicy: 'redirect-to-https' }],
    certificate: { source: 'cloudfront', acmCertificateArn: null, minimumProtocolVersion: 'TLSv1', sslSupportMethod: null },
    logging: { enabled: bucket !== null, bucket, prefix: bucket ? 'cf/' : null }, webAclId: null,
  });
  const cases: CheckCase[] = [
    { name: 'a log bucket of the account passes', facts: { distributions: [distribution('E1', 'acme-logs.s3.amazonaws.com')], accountBuckets: listed('acme-logs') }, expected: [['E1', 'pass', 'enabled']] },
    { name: 'the regional form of the bucket domain is read too', facts: { distributions: [distribution('E1', 'acme-logs.s3.eu-west-1.amazonaws.com')], accountBuckets: listed('acme-logs') }, expected: [['E1', 'pass', 'enabled']] },
    // It may be another account's (CloudFront allows that), or deleted: not a pass either way.
    { name: 'a log bucket the account does not have is unverified', facts: { distributions: [distribution('E1', 'acme-logs.s3.amazonaws.com')], accountBuckets: listed('other') }, expected: [['E1', 'unverified', 'log-bucket-elsewhere']] },
    { name: 'account buckets unread: unverified, never pass', facts: { distributions: [distribution('E1', 'acme-logs.s3.amazonaws.com')], accountBuckets: denied }, expected: [['E1', 'unverified', 'log-bucket-unverified']] },
    { name: 'account bucket list cut short: unverified, never pass', facts: { distributions: [distribution('E1', 'acme-logs.s3.amazonaws.com')], accountBuckets: cutShort }, expected: [['E1', 'unverified', 'log-bucket-unverified']] },
    { name: 'logging off still fails when the list is unread', facts: { distributions: [distribution('E1', null)], accountBuckets: denied }, expected: [['E1', 'fail', 'disabled']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cloudfrontLogging, c)).toEqual(c.expected));

  it('the fix names the log bucket of the account before one it does not have', () => {
    const facts = { distributions: [distribution('E1', 'gone.s3.amazonaws.com'), distribution('E2', 'acme-logs.s3.amazonaws.com'), distribution('E3', null)], accountBuckets: ['acme-logs'] };
    const commands = renderedCommands(cloudfrontLogging, facts);
    expect(commands[2]).toContain('--arg bucket acme-logs.s3.amazonaws.com --arg prefix cloudfront/E3/');
  });
});
