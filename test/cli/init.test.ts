import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, GetBucketLocationCommand, GetBucketLoggingCommand, GetBucketVersioningCommand, ListBucketsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { Report } from '../../src/model.js';
import { isOneLineError, runCli, spawnCli } from '../support/cli.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';
import { sdkError, useSdkMocks } from '../support/sdk-mocks.js';

const RECORDER = join(import.meta.dirname, '..', 'support', 'record-aws-imports.mjs');

let moto: Moto;
let dir: string;
let env: Record<string, string>;
let userPoolId: string;

interface Written {
  project: string;
  aws: {
    accountId?: string;
    rds: { clusters?: string[] };
    s3: { buckets?: { name: string; versioning: string; phi: boolean; glacierAfterDays?: number }[] };
    cloudwatch: { requiredAlarms: { namespace: string; metric: string; maxThreshold?: number; dimensions?: Record<string, string> }[] };
    cognito?: { userPools?: string[]; identityPools?: string[] };
  };
}

beforeAll(async () => {
  moto = await startMoto();
  env = motoEnv(moto) as Record<string, string>;
  const aws = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const rds = new RDSClient(aws);
  for (const id of ['ehr-db', 'analytics-db']) {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-postgresql', MasterUsername: 'admin1', MasterUserPassword: 'not-a-real-password-1' }));
  }
  rds.destroy();
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'ehr-files' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'ehr-exports' }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'ehr-files', VersioningConfiguration: { Status: 'Enabled' } }));
  s3.destroy();
  const cognito = new CognitoIdentityProviderClient(aws);
  userPoolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'staff' }))).UserPool!.Id!;
  cognito.destroy();
  dir = await mkdtemp(join(tmpdir(), 'readiness-init-'));
});

afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('readiness init against a (moto) account', () => {
  const file = () => join(dir, 'discovered.yaml');

  it('lists the discovered clusters, buckets (PHI: versioning required), pools and suggested alarms', async () => {
    const { code, stdout, stderr } = await runCli(['init', '--out', file(), '--project', 'ehr'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Wrote ${file()}`);
    const text = await readFile(file(), 'utf8');
    expect(text).toMatch(/^# readiness config written by `readiness init`/);
    expect(text).toMatch(/^# supabase:$/m);
    expect(text).toMatch(/^# gate: /m);
    const written = parse(text) as Written;
    expect(written.project).toBe('ehr');
    expect(written.aws.accountId).toBe('${AWS_ACCOUNT_ID}');
    expect(text).toMatch(/^\s*# discovered: \d{12}$/m);
    expect(written.aws.rds.clusters?.toSorted()).toEqual(['analytics-db', 'ehr-db']);
    expect(written.aws.s3.buckets?.toSorted((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'ehr-exports', versioning: 'required', phi: true, glacierAfterDays: 90 },
      { name: 'ehr-files', versioning: 'required', phi: true, glacierAfterDays: 90 },
    ]);
    const alarms = written.aws.cloudwatch.requiredAlarms;
    expect(alarms.filter((a) => a.metric === 'CPUUtilization').map((a) => [a.maxThreshold, a.dimensions?.DBClusterIdentifier]).toSorted()).toEqual([
      [80, 'analytics-db'],
      [80, 'ehr-db'],
    ]);
    expect(alarms).toContainEqual({ namespace: 'AWS/ApiGateway', metric: '5XXError' });
    expect(written.aws.cognito?.userPools).toEqual([userPoolId]);
    // None found: left out, so pools created later are assessed too.
    expect(written.aws.cognito?.identityPools).toBeUndefined();
    expect(text).toMatch(/^\s*# no identity pool found$/m);

    const loaded = await loadConfig(file(), {});
    expect(loaded.config.aws?.s3.buckets?.find((b) => b.name === 'ehr-files')?.versioning).toBe('required');
  });

  it('the written file drives `readiness check`', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--config', file(), '--only', 'aws.rds.deletion-protection,aws.s3.versioning', '--format', 'json'], { ...env, AWS_ACCOUNT_ID: '123456789012' });
    expect(stderr).toBe('');
    // moto's clusters have no deletion protection: NOT READY, on the discovered clusters.
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    const rows = (id: string) => report.results.filter((r) => r.checkId === id).map((r) => [r.resource, r.status]).toSorted();
    expect(rows('aws.rds.deletion-protection')).toEqual([
      ['analytics-db', 'fail'],
      ['ehr-db', 'fail'],
    ]);
    expect(rows('aws.s3.versioning')).toContainEqual(['ehr-files', 'pass']);
  });

  it('refuses to overwrite a file without --force (exit 2, one line), and overwrites it with --force', async () => {
    const mine = join(dir, 'mine.yaml');
    await writeFile(mine, 'project: hand-written\n');
    const refused = await runCli(['init', '--out', mine], env);
    expect(refused.code).toBe(2);
    expect(isOneLineError(refused.stderr), refused.stderr).toBe(true);
    expect(refused.stderr).toContain('--force');
    expect(await readFile(mine, 'utf8')).toBe('project: hand-written\n');

    const forced = await runCli(['init', '--out', mine, '--force', '--project', 'replaced'], env);
    expect(forced.code).toBe(0);
    expect((parse(await readFile(mine, 'utf8')) as Written).project).toBe('replaced');
  });
});

describe('readiness init when nothing can be discovered', () => {
  it('still writes a loadable file, with a comment and a stderr line per failed discovery, and exits 0', async () => {
    const file = join(dir, 'unreachable.yaml');
    const { code, stderr } = await runCli(['init', '--out', file, '--timeout', '30'], { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(code).toBe(0);
    const lines = stderr.trimEnd().split('\n');
    // identity, clusters, instances, buckets, CloudFront, user pools, identity pools (versioning is never asked without buckets).
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(line).toMatch(/^readiness: init: could not discover .+: Unreachable: /);
    expect(stderr).toContain('rds:DescribeDBClusters');

    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^\s*# could not discover RDS clusters \(aws\.rds\.clusters\) \(Unreachable: /m);
    expect(text).toMatch(/^\s*# could not discover S3 buckets \(aws\.s3\.buckets\) \(Unreachable: /m);
    expect(text).toMatch(/^\s*# could not discover the account id \(aws\.identity\)/m);
    const { config } = await loadConfig(file, {});
    // Nothing pinned: the checks then look at every resource, and report what they cannot see as unverified.
    expect(config.aws?.rds.clusters).toBeUndefined();
    expect(config.aws?.s3.buckets).toBeUndefined();
    expect(config.aws?.accountId).toBeUndefined();
  });

  it('init --help loads no AWS SDK code', async () => {
    const log = join(dir, 'imports-init-help.log');
    const { code, stdout } = await spawnCli(['init', '--help'], { nodeArgs: ['--import', RECORDER], env: { READINESS_IMPORT_LOG: log } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: readiness init/);
    expect(await readFile(log, 'utf8')).toBe('');
  });
});

describe('readiness init with a permission missing', () => {
  const sdk = useSdkMocks();

  it('AccessDenied on s3:GetBucketVersioning: buckets still required to be versioned, the denial commented and on stderr', async () => {
    // moto grants every call: the denial comes from a mock of the S3 client (RDS, Cognito, … still answer from moto).
    const s3 = sdk.mock(S3Client);
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'ehr-files' }] });
    s3.on(GetBucketLocationCommand).resolves({});
    s3.on(GetBucketVersioningCommand).rejects(sdkError('AccessDenied', 403));
    s3.on(GetBucketLoggingCommand).resolves({});
    const file = join(dir, 'denied.yaml');
    const { code, stderr } = await runCli(['init', '--out', file], env);
    expect(code).toBe(0);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^readiness: init: could not discover S3 bucket versioning \(aws\.s3\.versioning\): AccessDenied: .*s3:GetBucketVersioning/)]);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^\s*# could not discover S3 bucket versioning \(aws\.s3\.versioning\) \(AccessDenied: /m);
    expect(text).toMatch(/# versioning state unknown/);
    const { config } = await loadConfig(file, {});
    expect(config.aws?.s3.buckets).toEqual([{ name: 'ehr-files', versioning: 'required', phi: true, glacierAfterDays: 90 }]);
    expect(config.aws?.rds.clusters?.toSorted()).toEqual(['analytics-db', 'ehr-db']);
  });
});
