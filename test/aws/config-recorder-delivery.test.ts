import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import configRecorder from '../../checks/aws/aws.config.recorder.js';
import { configRecorders } from '../../src/facts/aws-detection.js';
import { collectAws, sentActions, useMotoCredentials } from '../support/aws-collect.js';
import { isReadOnly } from '../support/iam-actions.js';
import { startMoto, type Moto } from '../support/moto.js';
import { jsonAnswer, startRewritingProxy, type Rewrite } from '../support/rewriting-proxy.js';

// Extended: plain moto has no DescribeDeliveryChannelStatus, so a recorder there is never known to deliver.
let moto: Moto;
let config: ConfigServiceClient;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto({}, { extended: true });
  useMotoCredentials(moto);
  config = new ConfigServiceClient({ region: 'us-east-1', endpoint: moto.endpoint });
  s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
});
afterAll(async () => {
  for (const c of [config, s3]) c?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const recorder = (includeGlobalResourceTypes = true) =>
  config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: 'arn:aws:iam::123456789012:role/config', recordingGroup: { allSupported: true, includeGlobalResourceTypes } } }));

async function channelAndStart(): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: 'config-history' }));
  await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-history' } }));
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
}

async function throughProxy(rewrite: Rewrite) {
  const proxy = await startRewritingProxy(moto.endpoint, { 'config:DescribeDeliveryChannelStatus': rewrite });
  return (await collectAws(proxy, [configRecorders]).finally(() => proxy.close())).results(configRecorder);
}

describe('aws.config.recorder against moto', () => {
  it('no recorder fails; a stopped one fails; recording all resources and delivering them passes', async () => {
    expect((await collectAws(moto, [configRecorders])).results(configRecorder)).toEqual([['us-east-1', 'fail', 'no-recorder']]);
    await recorder();
    expect((await collectAws(moto, [configRecorders])).results(configRecorder)).toEqual([['us-east-1', 'fail', 'not-recording']]);
    await channelAndStart();
    expect((await collectAws(moto, [configRecorders])).results(configRecorder)).toEqual([['us-east-1', 'pass', 'recording']]);
  });

  it('a recorder of every regional type that leaves out IAM’s global ones fails; with them it passes', async () => {
    await recorder(false);
    await channelAndStart();
    expect((await collectAws(moto, [configRecorders])).results(configRecorder)).toEqual([['us-east-1', 'fail', 'no-global-types']]);
    await recorder(true);
    expect((await collectAws(moto, [configRecorders])).results(configRecorder)).toEqual([['us-east-1', 'pass', 'recording']]);
  });
});

// AWS Config records but writes no history to a bucket it may not write to (its policy, its KMS key): the auditor reads nothing.
describe('aws.config.recorder: delivery of the history to the bucket, against moto', () => {
  it('hole: a recorder whose last history delivery failed fails, naming the error', async () => {
    await recorder();
    await channelAndStart();
    const failed = (body: string) => {
      const answer = JSON.parse(body) as { DeliveryChannelsStatus: Record<string, unknown>[] };
      const configHistoryDeliveryInfo = { lastStatus: 'Failure', lastErrorCode: 'AccessDenied', lastErrorMessage: 'Access Denied', lastAttemptTime: Date.now() / 1000 - 60, lastSuccessfulTime: Date.now() / 1000 - 86_400 };
      return { DeliveryChannelsStatus: answer.DeliveryChannelsStatus.map((s) => ({ ...s, configHistoryDeliveryInfo })) };
    };
    expect(await throughProxy({ answer: (answer) => jsonAnswer(200, failed(answer.body)) })).toEqual([['us-east-1', 'fail', 'delivery-failed']]);
  });

  it('hole: a recorder whose delivery status could not be read is unverified', async () => {
    await recorder();
    await channelAndStart();
    const denied = { reply: () => jsonAnswer(400, { __type: 'AccessDeniedException', message: 'not authorized to perform: config:DescribeDeliveryChannelStatus' }) };
    expect(await throughProxy(denied)).toEqual([['us-east-1', 'unverified', 'delivery-not-read']]);
  });

  // iam/readiness-policy.json grants the fact's permissions (test/aws/read-only-policy.test.ts).
  it('reads only, each call named in the fact’s permissions', () => {
    expect(sentActions).toContain('config:DescribeDeliveryChannelStatus');
    expect([...sentActions].filter((a) => !isReadOnly(a) || !configRecorders.permissions.includes(a))).toEqual([]);
  });
});
