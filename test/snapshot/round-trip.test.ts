import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { reportSchema } from '../../src/report-schema.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../support/cli.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

const TOKEN = 'sbp_planted0token0that0must0never0leak';
const SECRET_VALUE = 'planted-secret-value-never-in-a-fact';
const NOW = '2025-10-11T22:30:00.000Z';
const ONLY = ['aws.rds.deletion-protection', 'aws.s3.encryption', 'aws.s3.versioning', 'monitoring.alarms.required', 'supabase.secrets.required'].join(',');

let moto: Moto;
let supabase: Server;
let dir: string;
let config: string;
let env: Record<string, string>;

/** The Management API's answer to GET /v1/projects/{ref}/secrets: names *and values* (the collector must drop the values). */
function startSupabase(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return void response.writeHead(401).end();
    if (!request.url?.endsWith('/secrets')) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify([{ name: 'DATABASE_PASSWORD', value: SECRET_VALUE, updated_at: '2025-10-01T00:00:00Z' }]));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  [moto, supabase] = await Promise.all([startMoto(), startSupabase()]);
  env = { ...(motoEnv(moto) as Record<string, string>), SUPABASE_ACCESS_TOKEN: TOKEN };
  const aws = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const rds = new RDSClient(aws);
  for (const [id, protect] of [['ehr-db-unprotected', false], ['ehr-db-protected', true]] as const) {
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: id,
        Engine: 'aurora-postgresql',
        MasterUsername: 'ehradmin',
        MasterUserPassword: 'not-a-real-password-1',
        DeletionProtection: protect,
        StorageEncrypted: true,
        BackupRetentionPeriod: 30,
      }),
    );
  }
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'ehr-phi-files' }));
  await s3.send(new PutBucketEncryptionCommand({ Bucket: 'ehr-phi-files', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'ehr-phi-files', VersioningConfiguration: { Status: 'Enabled' } }));
  await new CloudWatchClient(aws).send(
    new PutMetricAlarmCommand({
      AlarmName: 'rds-cpu-high',
      Namespace: 'AWS/RDS',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 2,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );

  dir = await mkdtemp(join(tmpdir(), 'readiness-snapshot-'));
  config = join(dir, 'readiness.config.yaml');
  await writeFile(
    config,
    [
      'project: snapshot-round-trip',
      'aws:',
      '  region: us-east-1',
      `  endpoint: ${moto.endpoint}`,
      '  s3:',
      '    buckets: [{ name: ehr-phi-files, versioning: required }]',
      '  cloudwatch:',
      '    requiredAlarms: [{ namespace: AWS/RDS, metric: CPUUtilization, maxThreshold: 80 }]',
      'supabase:',
      '  projectRef: ljxzdzgvytkazjrsafte',
      '  accessToken: ${SUPABASE_ACCESS_TOKEN}',
      `  apiUrl: http://127.0.0.1:${(supabase.address() as AddressInfo).port}`,
      '  requiredSecrets: [DATABASE_PASSWORD, DATABASE_NAME]',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await Promise.all([moto?.stop(), new Promise((resolve) => supabase?.close(resolve))]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const verdictOf = (report: Report) => ({ verdict: report.verdict, score: report.score, sections: report.sections, results: report.results, summary: report.summary, blockers: report.blockers });

describe('collect → check --snapshot gives what check gives live', () => {
  let snapshotText: string;
  let fromSnapshot: Report;
  let live: Report;

  beforeAll(async () => {
    const snapshot = join(dir, 'snap.json');
    const collected = await runCli(['collect', '--config', config, '--only', ONLY, '--now', NOW, '--out', snapshot], env);
    expect(collected.code, collected.stderr).toBe(0);
    snapshotText = await readFile(snapshot, 'utf8');

    const replay = await runCli(['check', '--config', config, '--only', ONLY, '--now', NOW, '--snapshot', snapshot, '--format', 'json'], env);
    expect(replay.code, replay.stderr).toBe(1);
    fromSnapshot = JSON.parse(replay.stdout) as Report;

    const direct = await runCli(['check', '--config', config, '--only', ONLY, '--now', NOW, '--format', 'json'], env);
    expect(direct.code, direct.stderr).toBe(1);
    live = JSON.parse(direct.stdout) as Report;
  });

  it('sees the environment as built in moto', () => {
    const rows = live.results.map((r) => [r.checkId, r.resource, r.status, r.code]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['aws.rds.deletion-protection', 'ehr-db-unprotected', 'fail', 'disabled'],
        ['aws.rds.deletion-protection', 'ehr-db-protected', 'pass', 'enabled'],
        ['aws.s3.encryption', 'ehr-phi-files', 'pass', 'encrypted'],
        ['aws.s3.versioning', 'ehr-phi-files', 'pass', expect.any(String)],
        ['monitoring.alarms.required', 'AWS/RDS CPUUtilization', 'pass', 'present'],
        ['supabase.secrets.required', 'DATABASE_PASSWORD', 'pass', expect.any(String)],
        ['supabase.secrets.required', 'DATABASE_NAME', 'fail', expect.any(String)],
      ]),
    );
    expect(live.results).toHaveLength(7);
    expect(live.verdict).toBe('NOT_READY');
    expect(reportSchema.safeParse(live).error?.issues).toBeUndefined();
  });

  it('the replay is identical to the live run', () => {
    expect(verdictOf(fromSnapshot)).toEqual(verdictOf(live));
    expect(fromSnapshot.generatedAt).toBe(NOW);
    expect(fromSnapshot.source).toMatchObject({ kind: 'snapshot', account: '123456789012', region: 'us-east-1', collectedAt: NOW });
    expect(live.source).toMatchObject({ kind: 'live', account: '123456789012', region: 'us-east-1' });
  });

  it('records schemaVersion, collectedAt, tool version, AWS account and region, and the config hash', async () => {
    const snapshot = JSON.parse(snapshotText) as Record<string, unknown>;
    expect(snapshot).toMatchObject({
      schemaVersion: 2,
      collectedAt: NOW,
      tool: { name: 'readiness', version: VERSION },
      project: 'snapshot-round-trip',
      aws: { account: '123456789012', regions: ['us-east-1'] },
      configHash: createHash('sha256').update(await readFile(config)).digest('hex'),
    });
    expect(Object.keys(snapshot.facts as object)).toEqual(
      expect.arrayContaining(['aws.identity', 'aws.rds.clusters', 'aws.s3.buckets', 'aws.s3.encryption', 'aws.s3.versioning', 'aws.cloudwatch.alarms', 'supabase.secrets']),
    );
    expect(Object.values(snapshot.facts as Record<string, { ok: boolean }>).every((outcome) => outcome.ok)).toBe(true);
  });

  it('holds no secret value: not the access token from env + config, not a secret value from the API, not the AWS secret key', () => {
    expect(snapshotText).not.toContain(TOKEN);
    expect(snapshotText).not.toContain(SECRET_VALUE);
    expect(snapshotText).not.toContain('not-a-real-password-1');
    for (const report of [fromSnapshot, live]) {
      const text = JSON.stringify(report);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SECRET_VALUE);
    }
  });
});
