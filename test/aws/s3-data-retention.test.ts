import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand, S3Client, type LifecycleRule } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import dataRetention from '../../checks/application/app.data-retention.js';
import { toLifecycleRule } from '../../src/collectors/aws/s3-config.js';
import { s3AccessLogging, s3Lifecycle } from '../../src/facts/aws.js';
import { attestations } from '../../src/facts/config.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { renderedMessages, runCase } from '../support/check-tester.js';

const aws = motoForFile();

const PHI = 'phi-records';
const FACTS = [s3Lifecycle, s3AccessLogging, attestations];
const scope = { aws: { s3: { buckets: [{ name: PHI }] } } };
// The evidence is a local file: a URL would be fetched.
const evidenceDir = mkdtempSync(join(tmpdir(), 'readiness-retention-'));
writeFileSync(join(evidenceDir, 'retention-policy.md'), '# Retention\nPHI is kept seven years.\n');
afterAll(() => rmSync(evidenceDir, { recursive: true, force: true }));
const attested = { ...scope, attestations: { 'data-retention': { date: '2025-09-01', by: 'CISO', evidence: join(evidenceDir, 'retention-policy.md') } } };

async function lifecycleOf(rules: LifecycleRule[]): Promise<void> {
  const s3 = aws.client(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: PHI }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: PHI, LifecycleConfiguration: { Rules: rules } }));
}
const retention: LifecycleRule = { ID: 'retention', Status: 'Enabled', Filter: {}, Expiration: { Days: 2555 } };

describe('app.data-retention against moto: lifecycle rules that delete PHI early', () => {
  it('an expiration by date deletes every object older than the date: fails, attested or not', async () => {
    await lifecycleOf([retention, { ID: 'purge-2025', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2025-01-01T00:00:00Z') } }]);
    expect((await collectAws(aws.moto, FACTS, attested)).results(dataRetention)).toEqual([[PHI, 'fail', 'phi-expires-on-date']]);
    expect((await collectAws(aws.moto, FACTS, scope)).results(dataRetention)).toEqual([[PHI, 'fail', 'phi-expires-on-date']]);
  });

  it('noncurrent versions deleted 30 days after they are replaced: fails, attested or not', async () => {
    await lifecycleOf([retention, { ID: 'old-versions', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }]);
    expect((await collectAws(aws.moto, FACTS, attested)).results(dataRetention)).toEqual([[PHI, 'fail', 'phi-noncurrent-expires-early']]);
  });

  it('names the bucket, the rule and what it deletes when', async () => {
    await lifecycleOf([
      { ID: 'purge-2025', Status: 'Enabled', Filter: { Tag: { Key: 'class', Value: 'scratch' } }, Expiration: { Date: new Date('2025-01-01T00:00:00Z') } },
      { ID: 'old-versions', Status: 'Enabled', Filter: { Prefix: 'notes/' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
    ]);
    const run = await collectAws(aws.moto, FACTS, attested);
    const outcome = run.outcomes.get(s3Lifecycle.id) as { value: unknown };
    expect(renderedMessages(dataRetention, { attestations: {}, lifecycle: outcome.value, logging: [] }, scope)).toEqual([
      "PHI bucket phi-records deletes every current object tagged class=scratch from 2025-01-01 on, whatever its age (rule purge-2025), before the 2190-day retention period",
      'PHI bucket phi-records deletes noncurrent object versions under notes/ 30 days after they are replaced (rule old-versions), before the 2190-day retention period',
    ]);
  });

  it('disabled rules delete nothing: the attestation passes', async () => {
    await lifecycleOf([
      { ID: 'purge-2025', Status: 'Disabled', Filter: {}, Expiration: { Date: new Date('2025-01-01T00:00:00Z') } },
      { ID: 'old-versions', Status: 'Disabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Expiration: { Days: 30 } },
    ]);
    expect((await collectAws(aws.moto, FACTS, attested)).results(dataRetention)).toEqual([['data-retention', 'pass', 'attested']]);
  });

  it('a tag-filtered seven-year expiration covers only the tagged objects: no evidence for the bucket', async () => {
    await lifecycleOf([{ ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'retain', Value: '7y' } }, Expiration: { Days: 2555 } }]);
    expect((await collectAws(aws.moto, FACTS, scope)).results(dataRetention)).toEqual([['data-retention', 'fail', 'attestation-missing']]);
  });

  it('an And of tags (no prefix) covers only part of the bucket: no evidence', async () => {
    await lifecycleOf([{ ID: 'tagged', Status: 'Enabled', Filter: { And: { Tags: [{ Key: 'retain', Value: '7y' }, { Key: 'phi', Value: 'yes' }] } }, Expiration: { Days: 2555 } }]);
    expect((await collectAws(aws.moto, FACTS, scope)).results(dataRetention)).toEqual([['data-retention', 'fail', 'attestation-missing']]);
  });

  it('a whole-bucket seven-year expiration, with noncurrent versions kept as long, passes', async () => {
    await lifecycleOf([{ ...retention, Expiration: { Days: 2555 }, NoncurrentVersionExpiration: { NoncurrentDays: 2555 } }, { ID: 'markers', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } }]);
    const run = await collectAws(aws.moto, FACTS, scope);
    expect(run.results(dataRetention)).toEqual([[PHI, 'pass', 'lifecycle-expiration']]);
    expect(run.outcomes.get(s3Lifecycle.id)).toEqual({
      ok: true,
      value: [
        {
          bucket: PHI,
          rules: [
            {
              id: 'retention', enabled: true, prefix: null, transitions: [], expirationDays: 2555,
              filter: { prefix: null, tags: [], objectSizeGreaterThan: null, objectSizeLessThan: null },
              expirationDate: null, expiredObjectDeleteMarker: false, noncurrentExpirationDays: 2555,
            },
            {
              id: 'markers', enabled: true, prefix: null, transitions: [], expirationDays: null,
              filter: { prefix: null, tags: [], objectSizeGreaterThan: null, objectSizeLessThan: null },
              expirationDate: null, expiredObjectDeleteMarker: true, noncurrentExpirationDays: null,
            },
          ],
        },
      ],
    });
  });
});

describe('the lifecycle collector records what a rule applies to', () => {
  // moto 5.2 drops ObjectSizeGreaterThan/LessThan from the filters it stores: mapped here from the SDK's shape.
  it('size bounds, alone or in an And, and the legacy top-level Prefix', () => {
    expect(toLifecycleRule({ ID: 'big', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 1024 }, Expiration: { Days: 2555 } })).toMatchObject({ filter: { prefix: null, tags: [], objectSizeGreaterThan: 1024, objectSizeLessThan: null } });
    expect(toLifecycleRule({ ID: 'and', Status: 'Enabled', Filter: { And: { Prefix: 'a/', Tags: [{ Key: 'k', Value: 'v' }], ObjectSizeLessThan: 10 } } })).toMatchObject({ prefix: 'a/', filter: { prefix: 'a/', tags: [{ key: 'k', value: 'v' }], objectSizeGreaterThan: null, objectSizeLessThan: 10 } });
    expect(toLifecycleRule({ ID: 'legacy', Status: 'Enabled', Prefix: 'old/', Expiration: { Days: 1 } })).toMatchObject({ prefix: 'old/', filter: { prefix: 'old/', tags: [] } });
  });
});

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'r1', enabled: true, prefix: null, transitions: [], expirationDays: 2555,
  filter: { prefix: null, tags: [], objectSizeGreaterThan: null, objectSizeLessThan: null }, expirationDate: null, expiredObjectDeleteMarker: false, noncurrentExpirationDays: null,
  ...over,
});
const facts = (rules: unknown[], withAttestation = false) => ({
  attestations: withAttestation ? { 'data-retention': { date: '2025-09-01', by: 'CISO', evidence: 'docs/retention.md', expires: null, evidenceSha256: 'ab', evidenceFound: true } } : {},
  lifecycle: { ok: true, value: [{ bucket: 'files', rules }] },
  logging: { ok: true, value: [] },
});
const config = { aws: { s3: { buckets: [{ name: 'files' }] } } };
const NOW = '2025-10-11T22:30:00Z';

describe('app.data-retention on recorded facts', () => {
  it.each([
    { name: 'a size-bounded seven-year expiration is no whole-bucket evidence', rules: [rule({ filter: { prefix: null, tags: [], objectSizeGreaterThan: 1024, objectSizeLessThan: null } })], expected: [['data-retention', 'fail', 'attestation-missing']] },
    { name: 'a whole-bucket seven-year expiration passes', rules: [rule()], expected: [['files', 'pass', 'lifecycle-expiration']] },
    { name: 'a snapshot from before the filters were recorded is no evidence: unverified', rules: [{ id: 'r1', enabled: true, prefix: null, transitions: [], expirationDays: 2555 }], expected: [['files', 'unverified', 'lifecycle-not-recorded']] },
    { name: 'attested, a snapshot from before expiration dates were recorded: unverified', rules: [{ id: 'r1', enabled: true, prefix: null, transitions: [{ days: 90, storageClass: 'GLACIER' }], expirationDays: null }], attested: true, expected: [['files', 'unverified', 'lifecycle-not-recorded']] },
    { name: 'an old snapshot with a short expiration still fails', rules: [{ id: 'r1', enabled: true, prefix: null, transitions: [], expirationDays: 30 }], attested: true, expected: [['files', 'fail', 'phi-expires-early']] },
    { name: 'a disabled rule of an old snapshot is ignored', rules: [{ id: 'r1', enabled: false, prefix: null, transitions: [], expirationDays: 30 }], attested: true, expected: [['data-retention', 'pass', 'attested']] },
  ])('$name', (c) => expect(runCase(dataRetention, { name: c.name, facts: facts(c.rules, c.attested), config, now: NOW, expected: c.expected as never })).toEqual(c.expected));
});
