import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import unlistedBuckets from '../../../checks/aws/aws.s3.unlisted-buckets.js';
import { s3AccountBuckets } from '../../../src/facts/aws-network.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import type { Answer } from '../../support/fault-proxy.js';
import { startRewritingProxy } from '../../support/rewriting-proxy.js';

// The real collector (ListBuckets) against moto_server; AWS's paginated answers and denials, which moto does not
// give (it truncates at MaxBuckets without a ContinuationToken), come from the rewriting proxy in moto's place.

const env = motoForFile();
const FACTS = [s3AccountBuckets];
const listed = (...names: string[]) => ({ aws: { s3: { buckets: names.map((name) => ({ name })) } } });

const xml = (status: number, body: string): Answer => ({ status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>${body}` });
const page = (names: string[], token?: string) =>
  xml(200, `<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets>${names.map((n) => `<Bucket><Name>${n}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>`).join('')}</Buckets>${token ? `<ContinuationToken>${token}</ContinuationToken>` : ''}</ListAllMyBucketsResult>`);

async function collectAnswered(answers: Answer[], config: object) {
  let call = 0;
  const proxy = await startRewritingProxy(env.moto.endpoint, { 's3:ListBuckets': { reply: () => answers[Math.min(call++, answers.length - 1)]! } });
  try {
    return { run: await collectAws({ endpoint: proxy.endpoint }, FACTS, config), calls: () => call };
  } finally {
    await proxy.close();
  }
}

describe('aws.s3.unlisted-buckets against moto', () => {
  it('a bucket in another region is left out by name, not missed', async () => {
    const s3 = env.client(S3Client);
    const eu = env.client(S3Client, 'eu-west-1');
    await s3.send(new CreateBucketCommand({ Bucket: 'phi-records' }));
    await eu.send(new CreateBucketCommand({ Bucket: 'phi-records-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const run = await collectAws(env.moto, FACTS, listed('phi-records'));
    expect(run.outcomes.get(s3AccountBuckets.id)).toEqual({ ok: true, value: ['phi-records', 'phi-records-eu'] });
    expect(run.results(unlistedBuckets)).toEqual([['s3', 'not_applicable', 'left-out']]);
  });

  it('a bucket whose name differs only by case from a listed one is a different bucket, left out', async () => {
    const s3 = env.client(S3Client);
    // Legacy us-east-1 names may hold capitals; S3 (and moto) keep `Phi-Records` and `phi-records` apart.
    await s3.send(new CreateBucketCommand({ Bucket: 'phi-records' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'Phi-Records' }));
    const [finding] = (await collectAws(env.moto, FACTS, listed('phi-records'))).results(unlistedBuckets);
    expect(finding).toEqual(['s3', 'not_applicable', 'left-out']);
    const run = await collectAws(env.moto, FACTS, listed('PHI-RECORDS', 'Phi-Records'));
    expect(run.results(unlistedBuckets)).toEqual([['s3', 'not_applicable', 'left-out']]);
  });

  it('every page of a paginated ListBuckets is read: a bucket on the second page is left out, not passed', async () => {
    const { run, calls } = await collectAnswered([page(['phi-records', 'phi-exports'], 'next-page'), page(['forgotten-backups'])], listed('phi-records', 'phi-exports'));
    expect(calls()).toBe(2);
    expect(run.outcomes.get(s3AccountBuckets.id)).toEqual({ ok: true, value: ['phi-records', 'phi-exports', 'forgotten-backups'] });
    expect(run.results(unlistedBuckets)).toEqual([['s3', 'not_applicable', 'left-out']]);
  });

  it('a ListBuckets that cannot be read (denied, or a page missing its list) is unverified, not "all listed"', async () => {
    const denied = await collectAnswered([xml(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>')], listed('phi-records'));
    expect(denied.run.results(unlistedBuckets)).toEqual([['project', 'unverified', 'fact-unavailable']]);
    const halfRead = await collectAnswered([page(['phi-records'], 'next-page'), xml(200, '<ListAllMyBucketsResult><Owner><ID>o</ID></Owner></ListAllMyBucketsResult>')], listed('phi-records'));
    expect(halfRead.run.results(unlistedBuckets)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });
});
