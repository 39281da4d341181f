import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import encryption from '../../checks/aws/aws.s3.encryption.js';
import { loadConfig } from '../../src/config/load.js';
import { buildReport, collectLive, planFacts } from '../../src/engine/run.js';
import type { AnyCheck } from '../../src/model.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { useMotoCredentials } from '../support/aws-collect.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

// aws.organization: true lists the member accounts (organizations:ListAccounts, in moto's management account
// 123456789012) and assumes roleName in each; moto keeps each account's resources apart.

const NOW = new Date('2026-11-30T00:00:00Z');
const checks: AnyCheck[] = [encryption];
let moto: Moto;
let dir: string;
let member: string;

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  dir = await mkdtemp(join(tmpdir(), 'readiness-org-'));
  const base = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const organizations = new OrganizationsClient(base);
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const created = await organizations.send(new CreateAccountCommand({ AccountName: 'clinic', Email: 'ops@example.com' }));
  member = created.CreateAccountStatus!.AccountId!;
  const assumed = await new STSClient(base).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${member}:role/readiness-read-only`, RoleSessionName: 'setup' }));
  const credentials = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
  await new S3Client({ ...base, credentials, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'clinic-phi' }));
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function assess(endpoint: string) {
  const file = join(dir, 'readiness.config.yaml');
  await writeFile(file, `project: org\naws:\n  region: us-east-1\n  endpoint: ${endpoint}\n  organization: true\n  roleName: readiness-read-only\n`);
  const loaded = await loadConfig(file, {});
  const env = { ...motoEnv(moto), AWS_ENDPOINT_URL: endpoint };
  const outcomes = await collectLive({ loaded, facts: planFacts(checks, loaded.config), now: NOW, env, timeoutMs: 60_000 });
  return buildReport({ loaded, checks, outcomes, now: NOW, source: { kind: 'live' } });
}

describe('aws.organization', () => {
  it('assesses every active member account through its role, each result under its account', async () => {
    const report = await assess(moto.endpoint);
    const accounts = (report.accounts ?? []).map((a) => [a.id, a.name]);
    expect(accounts).toEqual(expect.arrayContaining([[member, 'clinic'], ['123456789012', expect.any(String)]]));
    expect(report.results.map((r) => [r.resource, r.status, r.account])).toContainEqual([`${member}/clinic-phi`, 'fail', member]);
    // The management account has no bucket: it does not see the member's.
    expect(report.results.filter((r) => r.account === '123456789012').map((r) => r.resource)).not.toContain('123456789012/clinic-phi');
  }, 60_000);

  it('a listing that is refused makes the AWS checks unverified with its reason, never "no accounts"', async () => {
    const proxy = await startFaultProxy(moto.endpoint, { action: 'organizations:ListAccounts', fault: 'http-403' });
    try {
      const report = await assess(proxy.endpoint);
      expect(report.results.map((r) => [r.checkId, r.resource, r.status, r.evidence.failure])).toEqual([['aws.s3.encryption', 'project', 'unverified', 'AccessDenied']]);
      expect(report.exitReason.code).toBe(3);
    } finally {
      await proxy.stop();
    }
  }, 60_000);
});
