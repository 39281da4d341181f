import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import configRecorder from '../../checks/aws/aws.config.recorder.js';
import { configRecorders } from '../../src/facts/aws-detection.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
import { startMoto, type Moto } from '../support/moto.js';

// Extended: plain moto has no DescribeDeliveryChannelStatus, so a recorder there is never known to deliver.
const aws = { moto: undefined as unknown as Moto };
const clients: { destroy(): void }[] = [];
beforeAll(async () => {
  aws.moto = await startMoto({}, { extended: true });
  useMotoCredentials(aws.moto);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await aws.moto?.stop();
});
beforeEach(() => aws.moto.reset());

/** A recorder of every supported type, with its delivery channel, started in the region. */
async function recording(region: string, includeGlobalResourceTypes: boolean): Promise<void> {
  const config = new ConfigServiceClient({ region, endpoint: aws.moto.endpoint });
  const s3 = new S3Client({ region, endpoint: aws.moto.endpoint, forcePathStyle: true });
  clients.push(config, s3);
  await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: 'arn:aws:iam::123456789012:role/config', recordingGroup: { allSupported: true, includeGlobalResourceTypes } } }));
  await s3.send(new CreateBucketCommand({ Bucket: `config-history-${region}`, CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as never } }));
  await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: `config-history-${region}` } }));
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
}

// AWS Config records IAM's users, roles and policies only in Regions it served before February 2022: set on in
// Zurich (eu-central-2) or Tel Aviv (il-central-1), includeGlobalResourceTypes records nothing of them.
describe('aws.config.recorder: IAM’s global types set on only where AWS Config cannot record them, against moto', () => {
  it('us-east-1 leaves them out and eu-central-2 asks for them: no region records them, us-east-1 fails', async () => {
    await recording('us-east-1', false);
    await recording('eu-central-2', true);
    const run = await collectAws(aws.moto, [configRecorders], { aws: { regions: ['us-east-1', 'eu-central-2'] } });
    expect(run.results(configRecorder)).toEqual([['us-east-1', 'fail', 'no-global-types'], ['eu-central-2', 'pass', 'recording']]);
  });

  it('the only assessed region, il-central-1, asks for them: it fails', async () => {
    await recording('il-central-1', true);
    const run = await collectAws(aws.moto, [configRecorders], { aws: { regions: ['il-central-1'] } });
    expect(run.results(configRecorder)).toEqual([['il-central-1', 'fail', 'global-types-unrecordable']]);
  });
});
