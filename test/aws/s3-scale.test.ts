import { CreateBucketCommand, PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import encryption from '../../checks/aws/aws.s3.encryption.js';
import versioning from '../../checks/aws/aws.s3.versioning.js';
import { AwsSession } from '../../src/collectors/aws/session.js';
import { collectors } from '../../src/collectors/index.js';
import { collectFacts } from '../../src/engine/collect.js';
import { buildReport } from '../../src/engine/run.js';
import { s3Buckets, s3Encryption, s3Versioning } from '../../src/facts/aws.js';
import { startLatencyProxy, type LatencyProxy } from '../support/latency-proxy.js';
import { loaded } from '../support/engine-fakes.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
const BUCKETS = Array.from({ length: 60 }, (_, i) => (i % 20 === 7 ? `slow-${i}` : `bucket-${i}`));
const SLOW = BUCKETS.filter((name) => name.startsWith('slow-'));

beforeAll(async () => {
  moto = await startMoto();
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await Promise.all(BUCKETS.map((Bucket) => s3.send(new CreateBucketCommand({ Bucket }))));
  const sse = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' as const } }] };
  await Promise.all(BUCKETS.filter((_, i) => i % 2 === 0).map((Bucket) => s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: sse }))));
  s3.destroy();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

/** Resources read so far, by what the collectors count (their progress). */
const read = new Map<string, number>();
const progress = { read: (what: string, count = 1) => read.set(what, (read.get(what) ?? 0) + count) };

/** Collects the S3 facts through `proxy` until the run is cut off (once `cutOff` holds), and reports the two checks. */
async function collectThrough(proxy: LatencyProxy, cutOff: () => boolean) {
  read.clear();
  const { config } = loaded({ aws: { region: 'us-east-1', endpoint: proxy.endpoint } });
  const env = { ...motoEnv(moto), AWS_ENDPOINT_URL: proxy.endpoint };
  const aws = new AwsSession({ config: config.aws, env });
  try {
    const outcomes = await collectFacts([s3Buckets, s3Encryption, s3Versioning], {
      collectors,
      context: { config, now: new Date(), env, baseDir: '/tmp', aws, progress },
      runSignal: whenTrue(cutOff),
    });
    return { outcomes, report: buildReport({ loaded: loaded(), checks: [encryption, versioning], outcomes, now: new Date(), source: { kind: 'live' } }) };
  } finally {
    aws.destroy();
  }
}

/** Aborts once `condition` holds (the machine's speed decides nothing), or after a minute. */
function whenTrue(condition: () => boolean): AbortSignal {
  const controller = new AbortController();
  const deadline = Date.now() + 60_000;
  const timer = setInterval(() => {
    if (!condition() && Date.now() < deadline) return;
    clearInterval(timer);
    controller.abort(new DOMException('the run reached its --timeout', 'TimeoutError'));
  }, 20);
  return controller.signal;
}

describe('S3 at scale: a run cut off by --timeout', () => {
  it('keeps the verdict of every bucket it read and names each bucket it could not read', { timeout: 90_000 }, async () => {
    Object.assign(process.env, motoEnv(moto));
    // GetBucketEncryption of the slow buckets never answers; everything else answers after 20 ms.
    const proxy = await startLatencyProxy(moto.endpoint, 20, { hang: (req) => /^\/slow-\d+\/?\?encryption/.test(req.url ?? '') });
    try {
      // Cut off once everything but the hung reads is in: a location and a versioning per bucket, the other encryptions.
      const { outcomes, report } = await collectThrough(proxy, () => read.get('s3 buckets') === BUCKETS.length && read.get('s3 bucket settings') === 2 * BUCKETS.length - SLOW.length);
      const outcome = outcomes.get(s3Encryption.id)!;
      expect(outcome).toMatchObject({ ok: true, partial: { kind: 'Timeout', read: BUCKETS.length - SLOW.length } });
      expect(outcome.ok && outcome.partial?.unread.sort()).toEqual([...SLOW].sort());
      const byCheck = (id: string) => report.results.filter((r) => r.checkId === id);
      const encrypted = byCheck('aws.s3.encryption');
      // One result per bucket, never one "project" result for the whole fact.
      expect(encrypted.map((r) => r.resource).sort()).toEqual([...BUCKETS].sort());
      expect(encrypted.filter((r) => r.status === 'unverified').map((r) => r.resource).sort()).toEqual([...SLOW].sort());
      expect(encrypted.filter((r) => r.status === 'pass').map((r) => r.resource).sort()).toEqual(BUCKETS.filter((b, i) => i % 2 === 0 && !SLOW.includes(b)).sort());
      expect(encrypted.filter((r) => r.status === 'fail').length).toBe(BUCKETS.filter((b, i) => i % 2 === 1 && !SLOW.includes(b)).length);
      for (const r of encrypted.filter((r) => r.status === 'unverified')) expect(r.message).toContain('--timeout');
      // Versioning was read in full: all its verdicts stand.
      expect(byCheck('aws.s3.versioning').map((r) => r.status)).not.toContain('unverified');
    } finally {
      await proxy.close();
    }
  });

  it('reads buckets many at a time (one shared S3 pool), not six per fact', { timeout: 90_000 }, async () => {
    let inFlight = 0;
    let peak = 0;
    const proxy = await startLatencyProxy(moto.endpoint, 0, {
      hang: (req) => {
        if (!/\?encryption/.test(req.url ?? '')) return false;
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        return true;
      },
    });
    try {
      const { report } = await collectThrough(proxy, () => inFlight >= 48 || read.get('s3 bucket settings') === BUCKETS.length);
      expect(peak).toBeGreaterThanOrEqual(40);
      expect(report.results.filter((r) => r.checkId === 'aws.s3.encryption' && r.status === 'unverified')).toHaveLength(BUCKETS.length);
    } finally {
      await proxy.close();
    }
  });
});

describe('AWS clients at scale', () => {
  it('retry in adaptive mode (a throttled account slows down instead of failing) with sockets for the whole pool', async () => {
    const session = new AwsSession({ config: undefined, env: {} });
    try {
      const client = await session.client('s3');
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
      const handler = client.config.requestHandler as unknown as { configProvider: Promise<{ httpsAgent: { maxSockets: number }; httpAgentProvider(): Promise<{ maxSockets: number }> }> };
      const config = await handler.configProvider;
      expect(config.httpsAgent.maxSockets).toBeGreaterThanOrEqual(48);
      expect((await config.httpAgentProvider()).maxSockets).toBeGreaterThanOrEqual(48);
    } finally {
      session.destroy();
    }
  });
});
