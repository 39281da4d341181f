import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, type AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import dataEvents from '../../checks/aws/aws.cloudtrail.data-events.js';
import cloudtrailEnabled from '../../checks/aws/aws.cloudtrail.enabled.js';
import { s3Buckets } from '../../src/facts/aws.js';
import { cloudtrailTrails } from '../../src/facts/aws-account.js';
import { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';

const aws = motoForFile();

const AUDIT = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/audit';

async function trail(selectors: AdvancedEventSelector[]) {
  await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
  const cloudtrail = aws.client(CloudTrailClient);
  await cloudtrail.send(new CreateTrailCommand({ Name: 'audit', S3BucketName: 'trail-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
  await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: 'audit', AdvancedEventSelectors: selectors }));
  await cloudtrail.send(new StartLoggingCommand({ Name: 'audit' }));
}

const management = (...fields: AdvancedEventSelector['FieldSelectors'] & object) => ({ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...fields] });

describe('aws.cloudtrail.enabled: sources left out of reads or of writes (advanced selectors, moto)', () => {
  it('KMS left out of the read selector only fails: Decrypt and GenerateDataKey are reads', async () => {
    await trail([
      management({ Field: 'readOnly', Equals: ['true'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }),
      management({ Field: 'readOnly', Equals: ['false'] }),
    ]);
    const run = await collectAws(aws.moto, [cloudtrailTrails]);
    expect(run.results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'excluded-sources']]);
    const outcome = run.outcomes.get(cloudtrailTrails.id);
    expect(outcome).toMatchObject({ ok: true, value: [{ managementEvents: { read: true, write: true, excludedSources: ['kms.amazonaws.com'] } }] });
  });

  it('KMS left out of the writes only fails too', async () => {
    await trail([
      management({ Field: 'readOnly', Equals: ['true'] }),
      management({ Field: 'readOnly', Equals: ['false'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }),
    ]);
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'excluded-sources']]);
  });

  it('a source one selector leaves out and another records, for reads and writes alike, passes', async () => {
    await trail([management({ Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }), management()]);
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'pass', 'compliant']]);
  });

  it('a management selector narrowed by a field it does not understand (eventName) fails closed', async () => {
    await trail([management({ Field: 'eventName', Equals: ['CreateBucket'] })]);
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'excluded-sources']]);
  });
});

describe('aws.cloudtrail.data-events: advanced selectors that record only some object events (moto)', () => {
  const s3Data = (...fields: AdvancedEventSelector['FieldSelectors'] & object) => ({
    Name: 's3',
    FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, ...fields],
  });
  const config = { aws: { s3: { buckets: [{ name: 'phi-files' }] } } };
  async function run(selectors: AdvancedEventSelector[]) {
    await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: 'phi-files' }));
    await trail([management(), ...selectors]);
    return (await collectAws(aws.moto, [cloudtrailTrailSettings, s3Buckets], config)).results(dataEvents);
  }

  it('every object event passes', async () => {
    expect(await run([s3Data()])).toEqual([['phi-files', 'pass', 'recorded']]);
  });

  it('only DeleteObject (eventName Equals) does not pass', async () => {
    expect(await run([s3Data({ Field: 'eventName', Equals: ['DeleteObject'] })])).toEqual([['phi-files', 'fail', 'not-recorded']]);
  });

  it('all but the app role (userIdentity.arn NotStartsWith) does not pass', async () => {
    expect(await run([s3Data({ Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:iam::1:role/app'] })])).toEqual([['phi-files', 'fail', 'not-recorded']]);
  });

  it('a narrowed selector beside a write-only one leaves reads unrecorded', async () => {
    expect(await run([s3Data({ Field: 'readOnly', Equals: ['false'] }), s3Data({ Field: 'eventName', Equals: ['GetObject'] })])).toEqual([['phi-files', 'fail', 'partial']]);
  });

  it('readOnly NotEquals true records writes only', async () => {
    expect(await run([s3Data({ Field: 'readOnly', NotEquals: ['true'] })])).toEqual([['phi-files', 'fail', 'partial']]);
  });

  it('resources.ARN Equals names single objects, not the bucket', async () => {
    expect(await run([s3Data({ Field: 'resources.ARN', Equals: ['arn:aws:s3:::phi-files/'] })])).toEqual([['phi-files', 'fail', 'not-recorded']]);
  });

  it('resources.ARN StartsWith the bucket passes', async () => {
    expect(await run([s3Data({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::phi-files/'] })])).toEqual([['phi-files', 'pass', 'recorded']]);
  });
});
