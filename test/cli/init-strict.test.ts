import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Report } from '../../src/model.js';
import { runCli } from '../support/cli.js';
import { buildMixedAccount, type MixedAccount } from '../support/mixed-account.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

// An unedited `init` config must demand what HIPAA demands: on an account with a good and a bad
// resource of every kind, it gives the same verdicts as a strict config written by hand.
const DAY_MS = 86_400_000;
const NOW = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);

let moto: Moto;
let account: MixedAccount;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  account = await buildMixedAccount(moto, NOW);
  env = { ...(motoEnv(moto) as Record<string, string>), AWS_PROFILE: '' };
  dir = await mkdtemp(join(tmpdir(), 'readiness-init-strict-'));
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What a careful engineer writes for this account: every bucket holding PHI is versioned and archived; logs are not PHI. */
function strictConfig(a: MixedAccount, clusters: string[]): string {
  return [
    'project: strict',
    'aws:',
    '  region: us-east-1',
    '  rds:',
    `    clusters: [${clusters.join(', ')}]`,
    '    minBackupRetentionDays: 30',
    '  s3:',
    '    buckets:',
    `      - { name: ${a.buckets.good}, versioning: required, phi: true, glacierAfterDays: 90 }`,
    `      - { name: ${a.buckets.bad}, versioning: required, phi: true, glacierAfterDays: 90 }`,
    `      - { name: ${a.buckets.logs}, versioning: optional, phi: false }`,
    '      - { name: org-trail-logs, versioning: optional, phi: false }',
    '  cloudwatch:',
    '    requiredAlarms:',
    ...clusters.map((c) => `      - { namespace: AWS/RDS, metric: CPUUtilization, maxThreshold: 80, dimensions: { DBClusterIdentifier: ${c} } }`),
    '      - { namespace: AWS/ApiGateway, metric: 5XXError }',
    '  cognito:',
    `    userPools: [${a.userPools.good}, ${a.userPools.bad}]`,
    `    identityPools: [${a.identityPools.good}, ${a.identityPools.bad}]`,
    '    patientPools: []',
    'domain:',
    `  name: ${a.domain}`,
    `  hosts: { app: ${a.appHost} }`,
    '',
  ].join('\n');
}

async function verdicts(config: string): Promise<string[]> {
  const { stdout } = await runCli(['check', '--config', config, '--section', 'aws,monitoring', '--format', 'json', '--now', NOW.toISOString()], env);
  const report = JSON.parse(stdout) as Report;
  return report.results.map((r) => `${r.checkId} ${r.resource} ${r.status} ${r.code}`).toSorted();
}

describe('readiness init writes a config as strict as HIPAA asks', () => {
  it('takes every bucket as PHI unless it is recognisably a log bucket, and says why in a comment', async () => {
    const file = join(dir, 'init.yaml');
    const { code } = await runCli(['init', '--out', file, '--project', 'strict'], env);
    expect(code).toBe(0);
    const text = await readFile(file, 'utf8');
    const written = parse(text) as { aws: { accountId: string; s3: { buckets: { name: string; versioning: string; phi: boolean; glacierAfterDays?: number }[] } }; domain?: { name: string; hosts: Record<string, string> } };
    const byName = Object.fromEntries(written.aws.s3.buckets.map((b) => [b.name, b]));
    expect(byName[account.buckets.bad]).toEqual({ name: account.buckets.bad, versioning: 'required', phi: true, glacierAfterDays: 90 });
    expect(byName[account.buckets.logs]).toEqual({ name: account.buckets.logs, versioning: 'optional', phi: false });
    expect(byName['org-trail-logs']).toEqual({ name: 'org-trail-logs', versioning: 'optional', phi: false });
    expect(text).toContain(`# not PHI: server access log target of ${account.buckets.good}`);
    expect(text).toContain('# not PHI: CloudTrail bucket of trail org-trail');
    // Nothing account-specific pinned: the same file serves staging and production.
    expect(written.aws.accountId).toBe('${AWS_ACCOUNT_ID}');
    expect(text).toMatch(/# discovered: \d{12}/);
    expect(written.domain).toEqual({ name: account.domain, hosts: { app: account.appHost } });
  }, 120_000);

  it('gives the same verdict as the hand-written strict config on every resource it found', async () => {
    const file = join(dir, 'init.yaml');
    const clusters = (parse(await readFile(file, 'utf8')) as { aws: { rds: { clusters: string[] } } }).aws.rds.clusters;
    const strict = join(dir, 'strict.yaml');
    await writeFile(strict, strictConfig(account, clusters));
    const [fromInit, fromHand] = [await verdicts(file), await verdicts(strict)];
    expect(fromInit.length).toBeGreaterThan(40);
    expect(fromInit).toEqual(fromHand);
  }, 180_000);
});
