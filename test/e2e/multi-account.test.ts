import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { parseJsonReport } from '../../src/report-parse.js';
import { reportSchema } from '../../src/report-schema.js';
import { spawnCli, type CliRun } from '../support/cli.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

// Two moto accounts reached by sts:AssumeRole (moto takes the account id from the role ARN and keeps each
// account's resources apart), a third account whose role cannot be assumed (the proxy in front of moto answers
// 403 to AssumeRole for it: moto itself lets any role be assumed), and two Supabase projects on the local
// Management API stand-in: one report, one section per account and project, in every format.

const NOW = '2026-11-30T12:00:00.000Z';
const FORMATS = 'terminal,md,json,html,sarif,junit,github';
const PROD = '111111111111';
const STAGING = '222222222222';
const LOCKED = '333333333333';
const PROD_REF = 'prodprodprodprodprod';
const STAGING_REF = 'stagingstagingstagin';
const ONLY = 'aws.s3.encryption,aws.s3.versioning,aws.rds.deletion-protection,aws.rds.storage-encrypted,supabase.ssl-enforcement,supabase.network-restrictions';

let moto: Moto;
let proxy: FaultProxy;
let api: ManagementApiServer;
let dir: string;
let live: CliRun;
let report: Report;

const role = (account: string) => `arn:aws:iam::${account}:role/readiness-read-only`;

/** Creates resources inside `account` with the credentials of a role assumed there, as an operator would. */
async function inAccount(account: string): Promise<{ s3: S3Client; rds: RDSClient }> {
  const base = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const assumed = await new STSClient(base).send(new AssumeRoleCommand({ RoleArn: role(account), RoleSessionName: 'setup' }));
  const credentials = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
  return { s3: new S3Client({ ...base, credentials, forcePathStyle: true }), rds: new RDSClient({ ...base, credentials }) };
}

async function buildAccounts(): Promise<void> {
  const prod = await inAccount(PROD);
  await prod.s3.send(new CreateBucketCommand({ Bucket: 'phi-prod' }));
  await prod.s3.send(new PutBucketEncryptionCommand({ Bucket: 'phi-prod', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }));
  await prod.s3.send(new PutBucketVersioningCommand({ Bucket: 'phi-prod', VersioningConfiguration: { Status: 'Enabled' } }));
  const login = { MasterUsername: 'app', MasterUserPassword: 'not-a-real-password-1' };
  await prod.rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr-prod', Engine: 'aurora-postgresql', DeletionProtection: true, StorageEncrypted: true, ...login }));
  const staging = await inAccount(STAGING);
  await staging.s3.send(new CreateBucketCommand({ Bucket: 'phi-staging' }));
  await staging.rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr-staging', Engine: 'aurora-postgresql', DeletionProtection: false, StorageEncrypted: false, ...login }));
}

function configText(accounts: string[], withSupabase = true): string {
  const lines = ['project: multi', 'aws:', '  region: us-east-1', `  endpoint: ${proxy.endpoint}`, '  accounts:'];
  const names: Record<string, string> = { [PROD]: 'prod', [STAGING]: 'staging', [LOCKED]: 'locked' };
  for (const id of accounts) lines.push(`    - { id: "${id}", roleArn: "${role(id)}", name: ${names[id]} }`);
  if (withSupabase) {
    lines.push('supabase:', '  accessToken: test-token', `  apiUrl: ${api.url}`, '  projects:', `    - { ref: ${PROD_REF}, name: prod }`, `    - { ref: ${STAGING_REF}, name: staging }`);
  }
  return `${lines.join('\n')}\n`;
}

function cli(argv: string[]): Promise<CliRun> {
  return spawnCli(argv, { env: { ...motoEnv(moto), AWS_ENDPOINT_URL: proxy.endpoint, AWS_PROFILE: undefined } });
}

const config = () => join(dir, 'readiness.config.yaml');
const read = (file: string) => readFile(join(dir, file), 'utf8');

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint, { action: 'sts:AssumeRole', fault: 'http-403', when: (body) => body.includes(LOCKED) });
  api = await startManagementApi({
    ...projectRoutes({}, PROD_REF),
    ...projectRoutes({ ssl: { currentConfig: { database: false }, appliedSuccessfully: true }, network: { entitlement: 'allowed', config: { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: [] }, status: 'applied' } }, STAGING_REF),
  });
  await buildAccounts();
  dir = await mkdtemp(join(tmpdir(), 'readiness-multi-'));
  await writeFile(config(), configText([PROD, STAGING, LOCKED]));
  live = await cli(['check', '--config', config(), '--only', ONLY, '--format', FORMATS, '--out', join(dir, 'live'), '--now', NOW]);
  const parsed = parseJsonReport(JSON.parse(await read('live/readiness-report.json')));
  if (!parsed.ok) throw new Error(`${parsed.path}: ${parsed.message}`);
  report = parsed.report;
}, 240_000);

afterAll(async () => {
  await proxy?.stop();
  await api?.stop();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rows = (r: Report) => r.results.map((x) => [x.checkId, x.resource, x.status, x.code, x.account]);

describe('two AWS accounts, an account whose role cannot be assumed, two Supabase projects: one report', () => {
  it('evaluates each check once per account, against that account, and names the account in each result', () => {
    expect(live.stderr).not.toMatch(/Error|at .*\.ts/);
    expect(rows(report)).toEqual(
      expect.arrayContaining([
        ['aws.s3.encryption', `${PROD}/phi-prod`, 'pass', 'encrypted', PROD],
        ['aws.s3.versioning', `${PROD}/phi-prod`, 'pass', 'enabled', PROD],
        ['aws.s3.encryption', `${STAGING}/phi-staging`, 'fail', 'unencrypted', STAGING],
        ['aws.s3.versioning', `${STAGING}/phi-staging`, 'fail', 'not-enabled', STAGING],
        ['aws.rds.deletion-protection', `${PROD}/ehr-prod`, 'pass', 'enabled', PROD],
        ['aws.rds.deletion-protection', `${STAGING}/ehr-staging`, 'fail', 'disabled', STAGING],
        ['aws.rds.storage-encrypted', `${STAGING}/ehr-staging`, 'fail', 'unencrypted', STAGING],
        ['supabase.ssl-enforcement', `${PROD_REF}/${PROD_REF}`, 'pass', expect.any(String), PROD_REF],
        ['supabase.ssl-enforcement', `${STAGING_REF}/${STAGING_REF}`, 'fail', expect.any(String), STAGING_REF],
      ]),
    );
    // Neither account sees the other's resources.
    expect(report.results.filter((r) => r.account === PROD).map((r) => r.resource)).not.toContain(`${PROD}/phi-staging`);
    expect(report.results.some((r) => r.resource.includes('phi-staging') && r.account !== STAGING)).toBe(false);
  });

  it('a role that cannot be assumed makes only its own account unverified, with the reason and the fix', () => {
    const locked = report.results.filter((r) => r.account === LOCKED);
    expect(locked.length).toBe(4);
    for (const r of locked) {
      expect([r.status, r.code, r.resource, r.evidence.failure]).toEqual(['unverified', 'fact-unavailable', LOCKED, 'AccessDenied']);
      expect(r.evidence.reason).toContain(`cannot assume ${role(LOCKED)}`);
      expect(r.evidence.fix).toMatch(/trust policy/);
    }
    expect(proxy.seen.get('sts:AssumeRole')).toBeGreaterThanOrEqual(3);
  });

  it('scores each account and project on its own; one verdict for the whole (a real failure: exit 1)', () => {
    expect(live.code).toBe(1);
    expect(report.verdict).toBe('NOT_READY');
    const accounts = Object.fromEntries((report.accounts ?? []).map((a) => [a.id, a]));
    expect(Object.keys(accounts)).toEqual([PROD, STAGING, LOCKED, PROD_REF, STAGING_REF]);
    expect([accounts[PROD]!.score, accounts[PROD]!.band, accounts[PROD]!.name]).toEqual([100, 'green', 'prod']);
    expect(accounts[STAGING]!.score).toBe(0);
    expect(accounts[LOCKED]!.summary.unverified).toBe(4);
    expect(accounts[PROD_REF]!.score).toBe(100);
    expect(accounts[STAGING_REF]!.summary.fail).toBeGreaterThan(0);
    expect(accounts[PROD]!.sections.map((s) => s.id)).toEqual(['aws']);
    expect(accounts[PROD_REF]!.sections.map((s) => s.id)).toEqual(['supabase']);
  });

  it('writes a JSON report that its schema accepts, each result with its account', async () => {
    const json = JSON.parse(await read('live/readiness-report.json')) as { results: { account?: string }[] };
    expect(reportSchema.safeParse(json).error).toBeUndefined();
    expect(json.results.every((r) => r.account !== undefined)).toBe(true);
  });

  it('renders the accounts and projects in every format', async () => {
    const files = {
      stdout: live.stdout,
      terminal: await read('live/readiness-report.txt'),
      md: await read('live/readiness-report.md'),
      html: await read('live/readiness-report.html'),
      junit: await read('live/readiness-report.junit.xml'),
      github: await read('live/readiness-report.github.txt'),
    };
    for (const [format, text] of Object.entries(files)) {
      for (const label of [`AWS account ${PROD} (prod)`, `AWS account ${LOCKED} (locked)`, `Supabase project ${STAGING_REF} (staging)`]) expect(text, format).toContain(label);
    }
    expect(files.html).toContain('<table id="accounts">');
    const sarif = JSON.parse(await read('live/readiness-report.sarif')) as { runs: { properties: { accounts: { id: string }[] }; results: { properties?: { account?: string } }[] }[] };
    expect(sarif.runs[0]!.properties.accounts.map((a) => a.id)).toEqual([PROD, STAGING, LOCKED, PROD_REF, STAGING_REF]);
    expect(sarif.runs[0]!.results.map((r) => r.properties?.account)).toContain(STAGING);
  });

  it('collect --account per account, merged, is the one-run collection, and gives the same report', async () => {
    const collect = (name: string, extra: string[] = []) => cli(['collect', '--config', config(), '--only', ONLY, '--now', NOW, '--out', join(dir, name), ...extra]);
    expect((await collect('one.json')).code).toBe(0);
    const parts = [[PROD], [STAGING], [LOCKED], [PROD_REF, STAGING_REF], ['shared']].map((ids, i) => ({ ids, file: join(dir, `part-${i}.json`) }));
    for (const { ids, file } of parts) {
      const run = await cli(['collect', '--config', config(), '--only', ONLY, '--now', NOW, '--out', file, '--account', ids.join(',')]);
      expect(run.code, run.stderr).toBe(0);
    }
    const merge = await cli(['merge', ...parts.map((p) => p.file), '--out', join(dir, 'merged.json')]);
    expect(merge.code, merge.stderr).toBe(0);
    const one = JSON.parse(await read('one.json'));
    const merged = JSON.parse(await read('merged.json'));
    expect(merged).toEqual(one);
    expect(one.aws.accounts).toEqual([PROD, STAGING, LOCKED]);
    expect(Object.keys(one.facts)).toContain(`aws.s3.buckets@${PROD}`);

    const check = async (snapshot: string) => {
      const run = await cli(['check', '--config', config(), '--only', ONLY, '--snapshot', join(dir, snapshot), '--format', 'json', '--now', NOW]);
      const { source: _source, ...rest } = JSON.parse(run.stdout) as Record<string, unknown>;
      return { code: run.code, rest };
    };
    const fromOne = await check('one.json');
    expect(fromOne).toEqual(await check('merged.json'));
    // Replayed, the report is the live one.
    const { source: _source, ...liveRest } = JSON.parse(await read('live/readiness-report.json')) as Record<string, unknown>;
    expect(fromOne.rest).toEqual(liveRest);
  }, 240_000);

  it('one account left out of the merge stays unverified, never passes', async () => {
    const merge = await cli(['merge', join(dir, 'part-1.json'), join(dir, 'part-2.json'), '--out', join(dir, 'partial.json')]);
    expect(merge.code, merge.stderr).toBe(0);
    const run = await cli(['check', '--config', config(), '--only', ONLY, '--snapshot', join(dir, 'partial.json'), '--format', 'json', '--now', NOW]);
    const parsed = parseJsonReport(JSON.parse(run.stdout));
    if (!parsed.ok) throw new Error(parsed.message);
    const prod = parsed.report.results.filter((r) => r.account === PROD);
    expect(prod.length).toBeGreaterThan(0);
    expect(prod.every((r) => r.status === 'unverified' && r.evidence.failure === 'NotFound')).toBe(true);
  }, 60_000);

  it('an account the tool could not see, beside a ready one, exits 3 (fix the pipeline), naming the role', async () => {
    const file = join(dir, 'blind.yaml');
    await writeFile(file, configText([PROD, LOCKED], false));
    const run = await cli(['check', '--config', file, '--only', 'aws.s3.encryption,aws.rds.deletion-protection', '--now', NOW]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`cannot assume ${role(LOCKED)}`);
  }, 60_000);

  it('collect --account refuses an account the config does not name (exit 2, one line)', async () => {
    const run = await cli(['collect', '--config', config(), '--out', join(dir, 'x.json'), '--account', '444444444444']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
