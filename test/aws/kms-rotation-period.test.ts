import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kmsRotation from '../../checks/aws/aws.kms.rotation.js';
import { rdsClusters, rdsInstances, s3Encryption } from '../../src/facts/aws.js';
import { kmsKeys } from '../../src/facts/aws-network.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';

const aws = motoForFile();

/**
 * moto 5.2 ignores EnableKeyRotation's RotationPeriodInDays and GetKeyRotationStatus never returns one. This proxy
 * in front of it plays AWS's part: it remembers the period a key was enabled with and puts it in the key's
 * GetKeyRotationStatus answer (a key enabled without one gets none, as moto answers, and AWS's default is 365 days).
 */
async function startPeriodProxy(upstream: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const periods = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const target = String(request.headers['x-amz-target'] ?? '');
      const sent = target.startsWith('TrentService.') && body.length ? (JSON.parse(body.toString()) as { KeyId?: string; RotationPeriodInDays?: number }) : {};
      if (target === 'TrentService.EnableKeyRotation' && sent.KeyId && sent.RotationPeriodInDays !== undefined) periods.set(sent.KeyId, sent.RotationPeriodInDays);
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
      const answer = await fetch(upstream + request.url, { method: request.method, headers, body: request.method === 'GET' ? undefined : body });
      let text = await answer.text();
      if (target === 'TrentService.GetKeyRotationStatus' && answer.ok && sent.KeyId && periods.has(sent.KeyId)) {
        const status = JSON.parse(text) as Record<string, unknown>;
        if (status.KeyRotationEnabled === true) text = JSON.stringify({ ...status, RotationPeriodInDays: periods.get(sent.KeyId) });
      }
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.1' });
      response.end(text);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let proxy: Awaited<ReturnType<typeof startPeriodProxy>>;
beforeAll(async () => {
  proxy = await startPeriodProxy(aws.moto.endpoint);
});
afterAll(async () => {
  await proxy?.stop();
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
