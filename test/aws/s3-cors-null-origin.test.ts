import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import corsCheck from '../../checks/domain/domain.cors.production-origin.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { s3Cors } from '../../src/facts/aws.js';
import { corsPreflights, FOREIGN_CORS_ORIGIN } from '../../src/facts/probes.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { makeConfig } from '../support/check-tester.js';

const aws = motoForFile();
const APP = 'https://app.example.test';
const refused = (origin: string) => ({ origin, connected: true, error: null, status: 403, allowOrigin: null, allowCredentials: null });
// The API itself is sound: only the buckets' rules are judged here.
const cors = {
  url: 'https://api.example.test/',
  preflights: [{ origin: APP, connected: true, error: null, status: 204, allowOrigin: APP, allowMethods: 'GET,POST' }],
  foreign: refused(FOREIGN_CORS_ORIGIN),
  nullOrigin: refused('null'),
};

describe('domain.cors.production-origin: S3 CORS rules allowing the origin `null`, against moto', () => {
  it('a bucket whose AllowedOrigins holds "null" fails, PHI or not; one allowing only the app passes', async () => {
    const s3 = aws.client(S3Client);
    const rule = (origins: string[]) => ({ CORSRules: [{ AllowedOrigins: origins, AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'] }] });
    for (const bucket of ['phi-files', 'assets', 'clean']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketCorsCommand({ Bucket: 'phi-files', CORSConfiguration: rule([APP, 'null']) }));
    await s3.send(new PutBucketCorsCommand({ Bucket: 'assets', CORSConfiguration: rule([APP, 'null']) }));
    await s3.send(new PutBucketCorsCommand({ Bucket: 'clean', CORSConfiguration: rule([APP]) }));
    const config: Partial<ConfigInput> = {
      domain: { name: 'example.test', hosts: { api: 'api.example.test' }, productionOrigins: [APP] },
      aws: { s3: { buckets: [{ name: 'phi-files' }, { name: 'assets', phi: false }, { name: 'clean' }] } },
    };
    const run = await collectAws(aws.moto, [s3Cors], config);
    expect(run.outcomes.get(s3Cors.id)).toMatchObject({ ok: true, value: [{ bucket: 'phi-files', rules: [{ allowedOrigins: [APP, 'null'] }] }, { bucket: 'assets' }, { bucket: 'clean' }] });
    run.outcomes.set(corsPreflights.id, { ok: true, value: cors });
    const results = evaluateCheck(corsCheck, run.outcomes, { config: makeConfig(config), now: new Date() });
    expect(results.filter((r) => !r.resource.startsWith('https://')).map((r) => [r.resource, r.status, r.code])).toEqual([
      ['phi-files', 'fail', 'bucket-null-origin'],
      ['assets', 'fail', 'bucket-null-origin'],
      ['clean', 'pass', 'bucket-allowed'],
    ]);
    expect(results[results.length - 3]!.message).toContain('phi-files');
  });
});
