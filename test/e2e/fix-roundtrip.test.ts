import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, Result } from '../../src/model.js';
import { runCli } from '../support/cli.js';
import { PROJECT_REF, projectRoutes, startManagementApi } from '../support/management-api-server.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

const sh = promisify(execFile);

// A printed fix must do what it says when pasted: each failing resource's command is run through the
// real AWS CLI (awscli, against moto) with `sh -c`, and the same check then passes on that resource.
const CHECKS = [
  'aws.s3.versioning',
  'aws.s3.encryption',
  'aws.s3.public-access-block',
  'aws.s3.tls-only',
  'aws.s3.lifecycle',
  'aws.rds.deletion-protection',
  'aws.rds.backup-retention',
  'aws.rds.force-ssl',
  'aws.cognito.mfa',
  'aws.cognito.unauthenticated-identities',
];
const BUCKET = 'phi-uploads';
const CLUSTER = 'ehr-db';

let moto: Moto;
let dir: string;
let env: Record<string, string>;
let awsShimDir: string;
/** The user's shell: moto's credentials, and `aws` on PATH pointed at moto (not every AWS CLI service honours AWS_ENDPOINT_URL). */
const shellEnv = () => {
  const { AWS_PROFILE: _, ...rest } = { ...process.env, ...env };
  return { ...rest, PATH: `${awsShimDir}:${process.env.PATH ?? ''}` };
};
let config: string;
const awsCliAvailable = await sh('aws', ['--version']).then(
  () => true,
  () => false,
);

beforeAll(async () => {
  moto = await startMoto();
  env = { ...(motoEnv(moto) as Record<string, string>), AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  const aws = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  const rds = new RDSClient(aws);
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: CLUSTER, Engine: 'aurora-postgresql', EngineVersion: '15.3', MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1', BackupRetentionPeriod: 1 }));
  rds.destroy();
  const idp = new CognitoIdentityProviderClient(aws);
  const pool = (await idp.send(new CreateUserPoolCommand({ PoolName: 'staff' }))).UserPool!.Id!;
  idp.destroy();
  const identity = new CognitoIdentityClient(aws);
  const identityPool = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'uploads', AllowUnauthenticatedIdentities: true }))).IdentityPoolId!;
  identity.destroy();
  dir = await mkdtemp(join(tmpdir(), 'readiness-fix-'));
  awsShimDir = join(dir, 'bin');
  await mkdir(awsShimDir);
  const realAws = (await sh('sh', ['-c', 'command -v aws'])).stdout.trim();
  await writeFile(join(awsShimDir, 'aws'), `#!/bin/sh\nexec '${realAws}' --endpoint-url "$AWS_ENDPOINT_URL" "$@"\n`);
  await chmod(join(awsShimDir, 'aws'), 0o755);
  config = join(dir, 'readiness.config.yaml');
  await writeFile(
    config,
    [
      'project: fix-roundtrip',
      'aws:',
      '  region: us-east-1',
      `  rds: { clusters: [${CLUSTER}], minBackupRetentionDays: 30 }`,
      `  s3: { buckets: [{ name: ${BUCKET}, versioning: required, phi: true, glacierAfterDays: 90 }] }`,
      `  cognito: { userPools: [${pool}], identityPools: [${identityPool}], patientPools: [] }`,
      '',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function results(): Promise<Result[]> {
  const { stdout } = await runCli(['check', '--config', config, '--only', CHECKS.join(','), '--format', 'json'], { ...env, AWS_PROFILE: undefined });
  return (JSON.parse(stdout) as Report).results;
}

describe.skipIf(!awsCliAvailable)('fix commands, pasted into a shell, fix what they say', () => {
  it('every failing resource passes once its printed command has run through the AWS CLI', async () => {
    const before = (await results()).filter((r) => r.status === 'fail');
    expect(before.map((r) => r.checkId).toSorted()).toEqual([...CHECKS].toSorted());
    const runs = before.map(async (result) => {
      const command = result.remediation.command;
      expect(command, `${result.checkId} prints a command`).toBeDefined();
      expect(command, `${result.checkId}: a command with a placeholder cannot be pasted as is`).not.toMatch(/<[a-z][\w-]*>/);
      const run = await sh('sh', ['-c', command!], { env: shellEnv() }).catch((error: { stderr: string }) => ({ stderr: error.stderr, failed: true }));
      return ['failed' in run ? run.stderr.trim() : '', `${result.checkId}: ${command}`];
    });
    for (const [stderr, what] of await Promise.all(runs)) expect(stderr, what).toBe('');
    const after = await results();
    for (const result of before) {
      const now = after.find((r) => r.checkId === result.checkId && r.resource === result.resource);
      expect([result.checkId, result.resource, now?.status, now?.code]).toEqual([result.checkId, result.resource, 'pass', expect.any(String)]);
    }
  }, 300_000);
});

describe('supabase.backups.pitr: the printed command enables PITR', () => {
  it('turns the failing PITR result into a pass through the Management API (local stand-in)', async () => {
    const routes = projectRoutes();
    (routes[`/v1/projects/${PROJECT_REF}/database/backups`] as { pitr_enabled: boolean }).pitr_enabled = false;
    const api = await startManagementApi(routes);
    try {
      const file = join(dir, 'supabase.yaml');
      await writeFile(file, `project: pitr\nsupabase:\n  projectRef: ${PROJECT_REF}\n  apiUrl: ${api.url}\n`);
      const pitr = async () => {
        const { stdout } = await runCli(['check', '--config', file, '--only', 'supabase.backups.pitr', '--format', 'json'], { SUPABASE_ACCESS_TOKEN: 'sbp_fix' });
        return (JSON.parse(stdout) as Report).results.find((r) => r.resource === 'pitr')!;
      };
      const before = await pitr();
      expect(before.status).toBe('fail');
      await sh('sh', ['-c', before.remediation.command!], { env: { ...process.env, SUPABASE_ACCESS_TOKEN: 'sbp_fix' } });
      expect(api.requests.find((r) => r.method === 'PATCH')?.authorization).toBe('Bearer sbp_fix');
      expect((await pitr()).status).toBe('pass');
    } finally {
      await api.stop();
    }
  });
});
