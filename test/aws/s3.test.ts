import unlistedBuckets from '../../checks/aws/aws.s3.unlisted-buckets.js';
import { s3AccountBuckets, s3UnlistedBucketSettings } from '../../src/facts/aws-network.js';
import encryption from '../../checks/aws/aws.s3.encryption.js';
import versioning from '../../checks/aws/aws.s3.versioning.js';
import accountPublicAccessBlock from '../../checks/aws/aws.s3.account-public-access-block.js';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import dataRetention from '../../checks/application/app.data-retention.js';
import accessLogging from '../../checks/aws/aws.s3.access-logging.js';
import lifecycle from '../../checks/aws/aws.s3.lifecycle.js';
import publicAccessBlock from '../../checks/aws/aws.s3.public-access-block.js';
import tlsOnly from '../../checks/aws/aws.s3.tls-only.js';
import {
  awsIdentity,
  s3AccessLogging,
  s3AccountPublicAccessBlock,
  s3BucketPolicies,
  s3Buckets,
  s3Cors,
  s3Encryption,
  s3Lifecycle,
  s3Versioning,
  s3PublicAccessBlock,
} from '../../src/facts/aws.js';
import { attestations } from '../../src/facts/config.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
import { makeConfig } from '../support/check-tester.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
});
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const FACTS = [awsIdentity, s3Buckets, s3PublicAccessBlock, s3AccountPublicAccessBlock, s3BucketPolicies, s3AccessLogging, s3Lifecycle, s3Cors, s3AccountBuckets, s3UnlistedBucketSettings];
const GOOD = 'phi-good';
const BAD = 'phi-bad';
const config = { aws: { s3: { buckets: [{ name: GOOD, glacierAfterDays: 90 }, { name: BAD, glacierAfterDays: 90 }] } } };
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

function tlsDenyPolicy(bucket: string, resources = [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: resources, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  });
}

async function createBuckets(): Promise<void> {
  for (const bucket of [GOOD, BAD, 'access-logs']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: GOOD, PublicAccessBlockConfiguration: allOn }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: BAD, PublicAccessBlockConfiguration: { ...allOn, RestrictPublicBuckets: false } }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: GOOD, Policy: tlsDenyPolicy(GOOD) }));
  // As on AWS, the log bucket must let the log delivery group write; moto checks the ACL grants only
  // (AWS now prefers a bucket policy for logging.s3.amazonaws.com, which moto does not accept here).
  const logDelivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';
  await s3.send(new PutBucketAclCommand({ Bucket: 'access-logs', GrantWrite: logDelivery, GrantReadACP: logDelivery }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: GOOD, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'access-logs', TargetPrefix: `${GOOD}/` } } }));
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: GOOD,
      LifecycleConfiguration: { Rules: [{ ID: 'archive', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 90, StorageClass: 'GLACIER' }], Expiration: { Days: 2555 } }] },
    }),
  );
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: BAD,
      LifecycleConfiguration: { Rules: [{ ID: 'late', Status: 'Enabled', Filter: { Prefix: 'uploads/' }, Transitions: [{ Days: 365, StorageClass: 'DEEP_ARCHIVE' }] }] },
    }),
  );
  await s3.send(new PutBucketCorsCommand({ Bucket: GOOD, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'] }] } }));
}

/** S3 Control PutPublicAccessBlock, signed by hand: there is no S3 Control client among the dependencies. */
async function putAccountPublicAccessBlock(restrictPublicBuckets: boolean): Promise<void> {
  const url = new URL('/v20180820/configuration/publicAccessBlock', moto.endpoint);
  const body = `<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>${restrictPublicBuckets}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`;
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, sha256: Sha256 });
  const request = await signer.sign({ method: 'PUT', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'x-amz-account-id': '123456789012' }, body });
  const response = await fetch(url, { method: 'PUT', headers: request.headers, body });
  expect(response.status).toBe(200);
}

describe('S3 bucket configuration checks against moto', () => {
  it('passes the hardened bucket and fails the bare one', async () => {
    await createBuckets();
    const run = await collectAws(moto, FACTS, config);
    // access-logs is not in the list: it is judged all the same (encryption, public access, TLS-only).
    expect(run.results(publicAccessBlock)).toEqual([[GOOD, 'pass', 'blocked'], [BAD, 'fail', 'not-blocked'], ['access-logs', 'fail', 'not-blocked']]);
    // BAD has no bucket policy at all: plain HTTP is allowed.
    expect(run.results(tlsOnly)).toEqual([[GOOD, 'pass', 'enforced'], [BAD, 'fail', 'no-policy'], ['access-logs', 'fail', 'no-policy']]);
    expect(run.results(lifecycle)).toEqual([[GOOD, 'pass', 'transitions'], [BAD, 'fail', 'prefix-only']]);
    expect(run.results(accessLogging)).toEqual([[GOOD, 'pass', 'enabled'], [BAD, 'fail', 'disabled']]);
  });

  it('records lifecycle and CORS rules in the shape other checks read (app.data-retention, domain.cors.production-origin)', async () => {
    const recorded = (prefix: string) => ({ filter: { prefix, tags: [], objectSizeGreaterThan: null, objectSizeLessThan: null }, expirationDate: null, expiredObjectDeleteMarker: false, noncurrentExpirationDays: null });
    await createBuckets();
    const run = await collectAws(moto, FACTS, config);
    expect(run.outcomes.get(s3Lifecycle.id)).toEqual({
      ok: true,
      value: [
        { bucket: GOOD, rules: [{ id: 'archive', enabled: true, prefix: '', transitions: [{ days: 90, storageClass: 'GLACIER' }], expirationDays: 2555, ...recorded('') }] },
        { bucket: BAD, rules: [{ id: 'late', enabled: true, prefix: 'uploads/', transitions: [{ days: 365, storageClass: 'DEEP_ARCHIVE' }], expirationDays: null, ...recorded('uploads/') }] },
      ],
    });
    expect(run.outcomes.get(s3Cors.id)).toEqual({
      ok: true,
      value: [
        { bucket: GOOD, rules: [{ allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'] }] },
        { bucket: BAD, rules: [] },
      ],
    });
  });

  describe('app.data-retention reads the PHI buckets only', () => {
    const expire = (bucket: string, days: number, id = 'expire') =>
      s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [{ ID: id, Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: days } }] } }));
    const RETENTION_FACTS = [s3Lifecycle, s3AccessLogging, attestations];

    it('30-day expiry on the access-log bucket is no evidence (listed as phi: false, or unlisted but a log target)', async () => {
      for (const bucket of [GOOD, 'access-logs']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const logDelivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';
      await s3.send(new PutBucketAclCommand({ Bucket: 'access-logs', GrantWrite: logDelivery, GrantReadACP: logDelivery }));
      await s3.send(new PutBucketLoggingCommand({ Bucket: GOOD, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'access-logs', TargetPrefix: 'phi-good/' } } }));
      await expire('access-logs', 30);
      const listed = await collectAws(moto, RETENTION_FACTS, { aws: { s3: { buckets: [{ name: GOOD }, { name: 'access-logs', phi: false }] } } });
      expect(listed.results(dataRetention)).toEqual([['data-retention', 'fail', 'attestation-missing']]);
      const unlisted = await collectAws(moto, RETENTION_FACTS);
      expect(unlisted.results(dataRetention)).toEqual([['data-retention', 'fail', 'attestation-missing']]);
    });

    it('PHI expiring after 30 days fails; after 7 years passes', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: GOOD }));
      await expire(GOOD, 30);
      const scope = { aws: { s3: { buckets: [{ name: GOOD }] } } };
      expect((await collectAws(moto, RETENTION_FACTS, scope)).results(dataRetention)).toEqual([[GOOD, 'fail', 'phi-expires-early']]);
      await expire(GOOD, 2555, 'retention');
      expect((await collectAws(moto, RETENTION_FACTS, scope)).results(dataRetention)).toEqual([[GOOD, 'pass', 'lifecycle-expiration']]);
    });
  });

  it('a TLS deny that covers only the objects fails as partial', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: BAD }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BAD, Policy: tlsDenyPolicy(BAD, [`arn:aws:s3:::${BAD}/*`]) }));
    const run = await collectAws(moto, FACTS, { aws: { s3: { buckets: [{ name: BAD }] } } });
    expect(run.results(tlsOnly)).toEqual([[BAD, 'fail', 'partial']]);
  });

  it('reads the account-level block through S3 Control (signed request, no account-id host prefix with an endpoint override)', async () => {
    // moto serves S3 Control at the endpoint's root. The SDK would send it to 123456789012.127.0.0.1, which does
    // not resolve: the collector signs its own request and, with an endpoint override, drops the host prefix.
    await createBuckets();
    const unset = await collectAws(moto, FACTS, config);
    expect(unset.outcomes.get(s3AccountPublicAccessBlock.id)).toEqual({ ok: true, value: { account: '123456789012', settings: null } });
    expect(unset.results(accountPublicAccessBlock)).toEqual([['123456789012', 'fail', 'not-set']]);

    await putAccountPublicAccessBlock(false);
    expect((await collectAws(moto, FACTS, config)).results(accountPublicAccessBlock)).toEqual([['123456789012', 'fail', 'not-blocked']]);

    await putAccountPublicAccessBlock(true);
    const run = await collectAws(moto, FACTS, config);
    expect(run.outcomes.get(s3AccountPublicAccessBlock.id)).toEqual({
      ok: true,
      value: { account: '123456789012', settings: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true } },
    });
    expect(run.results(accountPublicAccessBlock)).toEqual([['123456789012', 'pass', 'blocked']]);
    // BAD lacks RestrictPublicBuckets itself, access-logs (unlisted) every setting; the account setting covers them.
    expect(run.results(publicAccessBlock)).toEqual([[GOOD, 'pass', 'blocked'], [BAD, 'pass', 'blocked'], ['access-logs', 'pass', 'blocked']]);
  });

  it('names the buckets a bucket list leaves out (not scored: the scope is never narrowed silently)', async () => {
    await createBuckets();
    await s3.send(new CreateBucketCommand({ Bucket: 'forgotten-exports' }));
    const listed = await collectAws(moto, [s3AccountBuckets], { aws: { s3: { buckets: [{ name: GOOD }] } } });
    expect(listed.results(unlistedBuckets)).toEqual([['s3', 'not_applicable', 'left-out']]);
    expect(listed.outcomes.get(s3AccountBuckets.id)).toEqual({ ok: true, value: expect.arrayContaining([GOOD, BAD, 'forgotten-exports']) });
    const every = (listed.outcomes.get(s3AccountBuckets.id) as { value: string[] }).value;
    const all = await collectAws(moto, [s3AccountBuckets], { aws: { s3: { buckets: every.map((name) => ({ name })) } } });
    expect(all.results(unlistedBuckets)).toEqual([['s3', 'pass', 'all-listed']]);
  });

  it('a public bucket the list leaves out is a finding: encryption, public access and TLS-only judge every bucket of the account', async () => {
    await createBuckets();
    // Left out of the list: a bucket anyone can read (public ACL, no Block Public Access, no policy).
    await s3.send(new CreateBucketCommand({ Bucket: 'forgotten-exports' }));
    await s3.send(new PutBucketAclCommand({ Bucket: 'forgotten-exports', ACL: 'public-read' }));
    const facts = [...FACTS, s3Encryption, s3Versioning];
    const run = await collectAws(moto, facts, { aws: { s3: { buckets: [{ name: GOOD, versioning: 'required' }] } } });
    const unlisted = (run.outcomes.get(s3UnlistedBucketSettings.id) as { value: { bucket: string }[] }).value.map((b) => b.bucket);
    // The listed bucket is never read again as an unlisted one.
    expect(unlisted.sort()).toEqual(['access-logs', BAD, 'forgotten-exports'].sort());
    expect(run.results(publicAccessBlock)).toContainEqual(['forgotten-exports', 'fail', 'not-blocked']);
    expect(run.results(publicAccessBlock)).toContainEqual([GOOD, 'pass', 'blocked']);
    expect(run.results(tlsOnly)).toContainEqual(['forgotten-exports', 'fail', 'no-policy']);
    // moto reports no default encryption on a new bucket (AWS would say SSE-S3): the listed and the unlisted are judged alike.
    expect(run.results(encryption).filter(([bucket]) => bucket === GOOD || bucket === 'forgotten-exports')).toEqual([[GOOD, 'fail', 'unencrypted'], ['forgotten-exports', 'fail', 'unencrypted']]);
    // Versioning stays a listed-only check.
    expect(run.results(versioning).map(([bucket]) => bucket)).toEqual([GOOD]);
  });

  it('a listed bucket holds PHI unless marked: versioning never enabled or suspended fails without `versioning: required`', async () => {
    await createBuckets();
    await s3.send(new PutBucketVersioningCommand({ Bucket: GOOD, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BAD, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BAD, VersioningConfiguration: { Status: 'Suspended' } }));
    const buckets = [{ name: GOOD }, { name: BAD }, { name: 'access-logs' }, { name: 'forgotten-exports', phi: false }];
    await s3.send(new CreateBucketCommand({ Bucket: 'forgotten-exports' }));
    const run = await collectAws(moto, [awsIdentity, s3Buckets, s3Versioning], { aws: { s3: { buckets } } });
    expect(run.results(versioning)).toEqual([
      [GOOD, 'pass', 'enabled'],
      [BAD, 'fail', 'not-enabled'],
      ['access-logs', 'fail', 'not-enabled'],
      ['forgotten-exports', 'not_applicable', 'not-required'],
    ]);
  });

  it('unlisted buckets that cannot be listed leave one unverified result, and the listed buckets keep their verdicts', async () => {
    await createBuckets();
    const config = { aws: { s3: { buckets: [{ name: GOOD }] } } };
    const run = await collectAws(moto, FACTS, config);
    const outcomes = new Map(run.outcomes).set(s3UnlistedBucketSettings.id, { ok: false, failure: { kind: 'AccessDenied', message: 'not authorized to perform s3:ListAllMyBuckets' } });
    const results = evaluateCheck(publicAccessBlock, outcomes, { config: makeConfig({ aws: { region: 'us-east-1', ...config.aws } }), now: new Date() }).map((r) => [r.resource, r.status, r.code]);
    expect(results).toEqual([[GOOD, 'pass', 'blocked'], ['s3 (unlisted buckets)', 'unverified', 'fact-unavailable']]);
  });

  it('without a bucket list, nothing is read twice: the unlisted-bucket fact is empty', async () => {
    await createBuckets();
    const run = await collectAws(moto, [s3UnlistedBucketSettings], {});
    expect(run.outcomes.get(s3UnlistedBucketSettings.id)).toEqual({ ok: true, value: [] });
  });

  it('a configured bucket that does not exist fails every bucket check', async () => {
    const run = await collectAws(moto, FACTS, { aws: { s3: { buckets: [{ name: 'no-such-bucket', glacierAfterDays: 30 }] } } });
    for (const check of [publicAccessBlock, tlsOnly, lifecycle, accessLogging]) expect(run.results(check)).toEqual([['no-such-bucket', 'fail', 'bucket-missing']]);
  });
});
