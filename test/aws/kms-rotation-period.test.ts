import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kmsRotation from '../../checks/aws/aws.kms.rotation.js';
import { rdsClusters, rdsInstances, s3Encryption } from '../../src/facts/aws.js';
import { kmsKeys } from '../../src/facts/aws-network.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { jsonAnswer, startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy.js';

const aws = motoForFile();

/**
 * moto 5.2 ignores EnableKeyRotation's RotationPeriodInDays and GetKeyRotationStatus never returns one. This proxy
 * in front of it plays AWS's part: it remembers the period a key was enabled with and puts it in the key's
 * GetKeyRotationStatus answer (a key enabled without one gets none, as moto answers, and AWS's default is 365 days).
 */
const periods = new Map<string, number>();
const keyOf = (body: string) => JSON.parse(body) as { KeyId?: string; RotationPeriodInDays?: number };
let proxy: RewritingProxy;
beforeAll(async () => {
  proxy = await startRewritingProxy(aws.moto.endpoint, {
    'kms:EnableKeyRotation': {
      request: (body) => {
        const { KeyId, RotationPeriodInDays } = keyOf(body);
        if (KeyId && RotationPeriodInDays !== undefined) periods.set(KeyId, RotationPeriodInDays);
        return body;
      },
    },
    'kms:GetKeyRotationStatus': {
      answer: (answer, request) => {
        const period = periods.get(keyOf(request).KeyId ?? '');
        const status = answer.status === 200 ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
        return period !== undefined && status.KeyRotationEnabled === true ? jsonAnswer(200, { ...status, RotationPeriodInDays: period }) : answer;
      },
    },
  });
});
afterAll(async () => {
  await proxy?.close();
});

describe('aws.kms.rotation against moto: the rotation period', () => {
  const facts = [kmsKeys, rdsClusters, rdsInstances, s3Encryption];
  const seed = async () => {
    const kms = new KMSClient({ region: 'us-east-1', endpoint: proxy.endpoint });
    const key = (await kms.send(new CreateKeyCommand({ Description: 'phi' }))).KeyMetadata!;
    const s3 = aws.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'phi-records' }));
    await s3.send(new PutBucketEncryptionCommand({ Bucket: 'phi-records', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.Arn } }] } }));
    return { kms, key };
  };

  it('a key that rotates only every 2560 days (7 years) fails; enabled again with a yearly period it passes', async () => {
    const { kms, key } = await seed();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 2560 }));
    const slow = await collectAws(proxy, facts);
    expect(slow.outcomes.get(kmsKeys.id)).toMatchObject({ ok: true, value: [{ id: key.KeyId, rotationEnabled: true, rotationPeriodDays: 2560 }] });
    expect(slow.results(kmsRotation)).toEqual([[key.Arn!, 'fail', 'rotation-too-slow']]);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 365 }));
    expect((await collectAws(proxy, facts)).results(kmsRotation)).toEqual([[key.Arn!, 'pass', 'rotating']]);
    kms.destroy();
  });

  it('an answer with no period (moto, or AWS before custom periods) is the documented default of 365 days', async () => {
    const { kms, key } = await seed();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    const run = await collectAws(proxy, facts);
    expect(run.outcomes.get(kmsKeys.id)).toMatchObject({ ok: true, value: [{ id: key.KeyId, rotationEnabled: true, rotationPeriodDays: null }] });
    expect(run.results(kmsRotation)).toEqual([[key.Arn!, 'pass', 'rotating']]);
    kms.destroy();
  });
});
