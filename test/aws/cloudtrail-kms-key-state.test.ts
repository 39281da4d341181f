import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DisableKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import cloudwatchLogsDelivery from '../../checks/aws/aws.cloudtrail.cloudwatch-logs.js';
import kmsEncryption from '../../checks/aws/aws.cloudtrail.kms-encryption.js';
import { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { startFaultProxy } from '../support/fault-proxy.js';

const aws = motoForFile();

/** A logging trail encrypted with `key`. */
async function trail(name: string, key: string): Promise<string> {
  await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
  const cloudtrail = aws.client(CloudTrailClient);
  const created = await cloudtrail.send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs`, IsMultiRegionTrail: true, KmsKeyId: key }));
  await cloudtrail.send(new StartLoggingCommand({ Name: name }));
  return created.TrailARN!;
}

const createKey = async (region = 'us-east-1') => (await aws.client(KMSClient, region).send(new CreateKeyCommand({}))).KeyMetadata!;

describe('aws.cloudtrail.kms-encryption: the state of the trail key, against moto', () => {
  it('a trail whose key is disabled fails: CloudTrail cannot write its log files', async () => {
    const key = await createKey();
    const arn = await trail('audit', key.Arn!);
    // moto's DisableKey takes the key id, not its ARN.
    await aws.client(KMSClient).send(new DisableKeyCommand({ KeyId: key.KeyId! }));
    const run = await collectAws(aws.moto, [cloudtrailTrailSettings]);
    expect(run.results(kmsEncryption)).toEqual([[arn, 'fail', 'key-not-enabled']]);
  });

  it('a trail whose key is pending deletion fails', async () => {
    const key = await createKey();
    const arn = await trail('audit', key.Arn!);
    await aws.client(KMSClient).send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
    expect((await collectAws(aws.moto, [cloudtrailTrailSettings])).results(kmsEncryption)).toEqual([[arn, 'fail', 'key-not-enabled']]);
  });

  it('a trail whose key is enabled passes', async () => {
    const arn = await trail('audit', (await createKey()).Arn!);
    expect((await collectAws(aws.moto, [cloudtrailTrailSettings])).results(kmsEncryption)).toEqual([[arn, 'pass', 'encrypted']]);
  });

  it('a trail naming a key that does not exist fails', async () => {
    const arn = await trail('audit', 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000');
    expect((await collectAws(aws.moto, [cloudtrailTrailSettings])).results(kmsEncryption)).toEqual([[arn, 'fail', 'key-missing']]);
  });

  it('the key is described in the region its ARN names, outside the selected regions too', async () => {
    const key = await createKey('eu-west-1');
    const arn = await trail('audit', key.Arn!);
    await aws.client(KMSClient, 'eu-west-1').send(new DisableKeyCommand({ KeyId: key.KeyId! }));
    expect((await collectAws(aws.moto, [cloudtrailTrailSettings])).results(kmsEncryption)).toEqual([[arn, 'fail', 'key-not-enabled']]);
  });

  it('trails sharing a key describe it once', async () => {
    const key = (await createKey()).Arn!;
    await trail('audit', key);
    await trail('audit-2', key);
    const proxy = await startFaultProxy(aws.moto.endpoint);
    try {
      const run = await collectAws({ endpoint: proxy.endpoint }, [cloudtrailTrailSettings]);
      expect(run.results(kmsEncryption).map(([, status, code]) => `${status} ${code}`)).toEqual(['pass encrypted', 'pass encrypted']);
      expect(proxy.seen.get('kms:DescribeKey')).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('DescribeKey refused: the trail is unverified, and the trail fact still serves the other checks', async () => {
    const arn = await trail('audit', (await createKey()).Arn!);
    const proxy = await startFaultProxy(aws.moto.endpoint, { action: 'kms:DescribeKey', fault: 'http-403' });
    try {
      const run = await collectAws({ endpoint: proxy.endpoint }, [cloudtrailTrailSettings]);
      expect(run.results(kmsEncryption)).toEqual([[arn, 'unverified', 'key-state-unknown']]);
      expect(run.results(cloudwatchLogsDelivery)).toEqual([[arn, 'fail', 'not-delivered']]);
      const [settings] = (run.outcomes.get(cloudtrailTrailSettings.id) as { ok: true; value: { kmsKeyStateError: string | null }[] }).value;
      expect(settings!.kmsKeyStateError).toMatch(/kms:DescribeKey/);
    } finally {
      await proxy.stop();
    }
  });
});
