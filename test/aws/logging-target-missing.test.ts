import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketAclCommand, PutBucketLoggingCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import cloudfrontLogging from '../../checks/aws/aws.cloudfront.logging.js';
import accessLogging from '../../checks/aws/aws.s3.access-logging.js';
import { s3AccountBuckets } from '../../src/facts/aws-network.js';
import { cloudfrontDistributions, s3AccessLogging, s3Buckets } from '../../src/facts/aws.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
import { startMoto, type Moto } from '../support/moto.js';

// A logging target that was deleted: S3 (and CloudFront) keep the logging config and silently drop the logs.
let moto: Moto;
let s3: S3Client;
let cloudfront: CloudFrontClient;

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
  cloudfront = new CloudFrontClient({ region: 'us-east-1', endpoint: moto.endpoint });
});
afterAll(async () => {
  s3?.destroy();
  cloudfront?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const PHI = 'phi-files';
const LOGS = 'acme-logs';

async function logTo(target: string): Promise<void> {
  for (const bucket of [PHI, target]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // moto, as AWS, accepts a logging target only when the log delivery group may write to it.
  const logDelivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';
  await s3.send(new PutBucketAclCommand({ Bucket: target, GrantWrite: logDelivery, GrantReadACP: logDelivery }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: PHI, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${PHI}/` } } }));
}

async function distributionLoggingTo(bucket: string): Promise<string> {
  const answer = await cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: 'app',
        Comment: 'app',
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: 'origin', DomainName: 'origin.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
        DefaultCacheBehavior: { TargetOriginId: 'origin', ViewerProtocolPolicy: 'https-only', ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } },
        ViewerCertificate: { CloudFrontDefaultCertificate: true },
        Logging: { Enabled: true, IncludeCookies: false, Bucket: `${bucket}.s3.amazonaws.com`, Prefix: 'cloudfront/' },
      },
    }),
  );
  return answer.Distribution!.Id!;
}

describe('logging to a bucket that is gone (real collectors on moto)', () => {
  it('S3 access logging into a target bucket deleted afterwards fails target-missing', async () => {
    await logTo(LOGS);
    await s3.send(new DeleteBucketCommand({ Bucket: LOGS }));
    const run = await collectAws(moto, [s3Buckets, s3AccessLogging, s3AccountBuckets], { aws: { s3: { buckets: [{ name: PHI }] } } });
    // moto keeps the logging config of the source after its target is deleted, as AWS does.
    expect(run.outcomes.get(s3AccessLogging.id)).toEqual({ ok: true, value: [{ bucket: PHI, targetBucket: LOGS, targetPrefix: `${PHI}/` }] });
    expect(run.results(accessLogging)).toEqual([[PHI, 'fail', 'target-missing']]);
  });

  it('S3 access logging into a live target of the account passes', async () => {
    await logTo(LOGS);
    const run = await collectAws(moto, [s3Buckets, s3AccessLogging, s3AccountBuckets], { aws: { s3: { buckets: [{ name: PHI }] } } });
    expect(run.results(accessLogging)).toEqual([[PHI, 'pass', 'enabled']]);
  });

  it('CloudFront logging into a bucket the account no longer has is unverified (it may be in another account), never pass', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: LOGS }));
    const id = await distributionLoggingTo(LOGS);
    await s3.send(new DeleteBucketCommand({ Bucket: LOGS }));
    const run = await collectAws(moto, [cloudfrontDistributions, s3AccountBuckets]);
    expect(run.results(cloudfrontLogging)).toEqual([[id, 'unverified', 'log-bucket-elsewhere']]);
  });

  it('CloudFront logging into a bucket of the account passes', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: LOGS }));
    const id = await distributionLoggingTo(LOGS);
    const run = await collectAws(moto, [cloudfrontDistributions, s3AccountBuckets]);
    expect(run.results(cloudfrontLogging)).toEqual([[id, 'pass', 'enabled']]);
  });
});
