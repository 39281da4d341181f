import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDBClusterCommand, ModifyDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { runCli, spawnCli } from '../support/cli.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

// Only these checks: other AWS checks (CloudTrail, IAM, …) would fail on this bare moto account.
const ONLY = 'aws.rds.deletion-protection,aws.rds.storage-encrypted,aws.rds.backup-retention,aws.s3.encryption,aws.s3.versioning';
const RECORDER = join(import.meta.dirname, '..', 'support', 'record-aws-imports.mjs');

let moto: Moto;
let rds: RDSClient;
let dir: string;
let config: string;
let env: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  env = motoEnv(moto) as Record<string, string>;
  const aws = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  rds = new RDSClient(aws);
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'ehr-db',
      Engine: 'aurora-postgresql',
      MasterUsername: 'ehradmin',
      MasterUserPassword: 'not-a-real-password-1',
      DeletionProtection: false,
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
    }),
  );
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'ehr-files' }));
  // moto: a new bucket has no default encryption (real S3 applies SSE-S3): set it, as a real account would have it.
  await s3.send(new PutBucketEncryptionCommand({ Bucket: 'ehr-files', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'ehr-files', VersioningConfiguration: { Status: 'Enabled' } }));

  dir = await mkdtemp(join(tmpdir(), 'readiness-exit-'));
  config = join(dir, 'readiness.config.yaml');
  await writeFile(
    config,
    ['project: exit-codes', 'aws:', '  region: us-east-1', `  endpoint: ${moto.endpoint}`, '  rds:', '    clusters: [ehr-db]', '  s3:', '    buckets: [{ name: ehr-files, versioning: required }]', ''].join('\n'),
  );
});

afterAll(async () => {
  rds?.destroy();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const check = (...extra: string[]) => ['check', '--config', config, '--only', ONLY, ...extra];

describe('exit codes against a live (moto) account', () => {
  it('a cluster without deletion protection: exit 1, and the output names it', async () => {
    const { code, stdout, stderr } = await spawnCli(check(), { env });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('NOT READY');
    const blockers = stdout.slice(stdout.indexOf('Blockers'), stdout.indexOf('\n\n', stdout.indexOf('Blockers')));
    expect(blockers).toContain('[aws.rds.deletion-protection]');
    expect(blockers).toMatch(/^\s+ehr-db: /m);
  });

  it('deletion protection fixed, backup retention short: the score decides, and --fail-under / --fail-on move the gate', async () => {
    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'ehr-db', DeletionProtection: true, ApplyImmediately: true }));
    const plain = await runCli(check('--format', 'json'), env);
    const report = JSON.parse(plain.stdout) as Report;
    expect(report.results.map((r) => [r.checkId, r.status])).toEqual([
      ['aws.rds.deletion-protection', 'pass'],
      ['aws.rds.storage-encrypted', 'pass'],
      ['aws.rds.backup-retention', 'fail'],
      ['aws.s3.encryption', 'pass'],
      ['aws.s3.versioning', 'pass'],
    ]);
    expect(report.score).toBe(84.1); // 37 / 44: the high check fails
    expect(plain.code).toBe(1);
    expect((await runCli(check('--fail-under', '80'), env)).code).toBe(0);
    expect((await runCli(check('--fail-under', '80', '--fail-on', 'high'), env)).code).toBe(1);
  });

  it('everything fixed: exit 0, READY (and the AWS SDK was loaded: the import recorder sees it)', async () => {
    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'ehr-db', BackupRetentionPeriod: 30, ApplyImmediately: true }));
    const log = join(dir, 'imports.log');
    const { code, stdout } = await spawnCli(check(), { env: { ...env, READINESS_IMPORT_LOG: log }, nodeArgs: ['--import', RECORDER] });
    expect(stdout).toMatch(/^READY \(partial assessment\) {2}100%/m);
    expect(code).toBe(0);
    expect(await readFile(log, 'utf8')).toMatch(/@aws-sdk\/client-rds/);
  });
});
