import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import getPort from 'get-port';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveRegion } from '../../src/collectors/aws/session.js';
import type { Report } from '../../src/model.js';
import { isOneLineError, runCli } from '../support/cli.js';
import { startMoto, type Moto } from '../support/moto.js';

const NOW = '2025-10-11T22:30:00Z';
let moto: Moto;
let dir: string;
let emptyAwsFiles: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  dir = await mkdtemp(join(tmpdir(), 'readiness-scope-'));
  await writeFile(join(dir, 'empty'), '');
  // Never the machine's own ~/.aws: each run names its shared files.
  emptyAwsFiles = { AWS_CONFIG_FILE: join(dir, 'empty'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty') };
});
beforeEach(async () => moto.reset());
afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_DEFAULT_REGION: undefined };
const noCredentials = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_EC2_METADATA_DISABLED: 'true' };

async function configFile(name: string, lines: string[]): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, [...lines, ''].join('\n'));
  return file;
}

async function json(argv: string[], env: Record<string, string | undefined>) {
  const run = await runCli([...argv, '--format', 'json', '--now', NOW, '--timeout', '90'], { ...emptyAwsFiles, AWS_ENDPOINT_URL: undefined, AWS_REGION: 'us-east-1', ...env });
  return { ...run, report: JSON.parse(run.stdout) as Report };
}

// moto answers its first call of a service slowly, the more so on a loaded machine.
describe('a service the stack does not use', { timeout: 120_000 }, () => {
  it('an empty account fails "no database" with a true title, and says how to declare it unused', async () => {
    const config = await configFile('no-rds', ['project: p', 'aws:', `  endpoint: ${moto.endpoint}`]);
    const { report } = await json(['check', '--config', config, '--only', 'aws.rds.public-access'], credentials);
    expect(report.results).toMatchObject([{ checkId: 'aws.rds.public-access', status: 'fail', code: 'no-databases', title: 'No DB cluster or instance found' }]);
    expect(report.results[0]!.message).toMatch(/declare it under `unused:`/);
  });

  it('declared unused: its checks are not applicable with the reason, listed in the scope of every format', async () => {
    const config = await configFile('unused-rds', ['project: p', 'aws:', `  endpoint: ${moto.endpoint}`, 'unused:', '  - { service: rds, reason: "Supabase <is> the only database" }']);
    const { report } = await json(['check', '--config', config, '--only', 'aws.rds'], credentials);
    expect(new Set(report.results.map((r) => `${r.status}/${r.code}`))).toEqual(new Set(['not_applicable/declared-unused']));
    expect(report.scope.unused).toEqual([{ service: 'rds', reason: 'Supabase <is> the only database', checks: report.results.map((r) => r.checkId) }]);
    const out = join(dir, 'unused-reports');
    await runCli(['check', '--config', config, '--only', 'aws.rds', '--format', 'terminal,md,html,json,sarif,junit', '--out', out, '--now', NOW], { ...emptyAwsFiles, ...credentials });
    const { readFile } = await import('node:fs/promises');
    for (const extension of ['txt', 'md', 'html', 'json', 'sarif', 'junit.xml']) {
      const text = await readFile(join(out, `readiness-report.${extension}`), 'utf8');
      expect(text, extension).toMatch(/Declared unused: rds|"service": "rds"/);
      // Markup formats escape the config's text.
      if (['md', 'html', 'junit.xml'].includes(extension)) expect(text, extension).not.toContain('<is>');
    }
    const github = await runCli(['check', '--config', config, '--only', 'aws.rds', '--format', 'github', '--now', NOW], { ...emptyAwsFiles, ...credentials });
    expect(github.stdout).toMatch(/::notice title=readiness scope::Declared unused: rds/);
  });
});

describe('parts of the config left out', () => {
  it('no `documents:`: its checks are listed as not assessed in the banner; no `supabase:`: supabase.baa is not assessed with its section', async () => {
    const config = await configFile('no-documents', ['project: p', 'vendors: [supabase]', 'attestations:', '  risk-assessment: { date: 2025-09-01, by: CISO, evidence: https://example.com/risk }']);
    const { report } = await json(['check', '--config', config, '--section', 'compliance,supabase'], {});
    expect(report.notAssessed).toEqual(['supabase']);
    expect(report.results.find((r) => r.checkId === 'supabase.baa')).toMatchObject({ status: 'not_applicable', code: 'not-assessed' });
    expect(report.scope.notAssessed).toEqual([
      { reason: 'no `documents:` in the config', checks: ['compliance.security-policies', 'compliance.incident-response', 'compliance.breach-notification', 'compliance.runbook'] },
    ]);
    const md = await runCli(['check', '--config', config, '--section', 'compliance,supabase', '--format', 'md', '--now', NOW], {});
    expect(md.stdout).toContain('> Not assessed: compliance.security-policies, compliance.incident-response, compliance.breach-notification, compliance.runbook: no \\`documents:\\` in the config');
  });
});

describe('exit 3: NOT READY only because the tool could not see', () => {
  it('no credentials: exit 3 and one stderr line naming the cause and the fix', async () => {
    const config = await configFile('blind', ['project: p', 'aws:', `  endpoint: ${moto.endpoint}`]);
    const { code, stderr, report } = await json(['check', '--config', config, '--only', 'aws.rds.public-access,aws.s3.encryption'], noCredentials);
    expect(report.exitReason).toMatchObject({ code: 3, reason: 'could-not-see' });
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toMatch(/NOT READY because the tool could not see: NoCredentials: .* — fix: configure credentials/);
    expect(code).toBe(3);
  });

  it('--profile nosuch: exit 3, and the line says the profile does not exist', async () => {
    const config = await configFile('no-profile', ['project: p', 'aws:', `  endpoint: ${moto.endpoint}`]);
    const { code, stderr } = await json(['check', '--config', config, '--only', 'aws.rds.public-access', '--profile', 'nosuch'], credentials);
    expect(stderr).toMatch(/the AWS profile "nosuch" does not exist/);
    expect(stderr).toMatch(/fix: pass an existing profile/);
    expect(code).toBe(3);
  });

  it('an unreachable endpoint: exit 3', async () => {
    const closed = await getPort({ host: '127.0.0.1' });
    const config = await configFile('unreachable', ['project: p', 'aws:', `  endpoint: http://127.0.0.1:${closed}`]);
    const { code, report } = await json(['check', '--config', config, '--only', 'aws.rds.public-access'], credentials);
    expect(report.exitReason).toMatchObject({ code: 3, cause: expect.stringMatching(/^Unreachable: /) });
    expect(code).toBe(3);
  });

  it('a real blocker besides: exit 1, even with results the tool could not see', async () => {
    const config = await configFile('blocker', ['project: p', 'aws:', `  endpoint: ${moto.endpoint}`, 'supabase:', '  projectRef: abcdefghijabcdefghij']);
    const { code, stderr, report } = await json(['check', '--config', config, '--only', 'aws.rds.public-access,supabase.baa'], noCredentials);
    expect(report.results.map((r) => [r.checkId, r.status])).toEqual([
      ['aws.rds.public-access', 'unverified'],
      ['supabase.baa', 'fail'],
    ]);
    expect(report.exitReason).toEqual({ code: 1, reason: 'not-ready' });
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });
});

describe('AWS region like the AWS CLI', () => {
  it('--region > aws.region > AWS_REGION > the profile region > us-east-1', async () => {
    const file = join(dir, 'aws-config');
    await writeFile(file, '[default]\nregion = ca-central-1\n\n[profile dev]\nregion = eu-west-1\n');
    const env = { AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty') };
    expect(resolveRegion({ config: undefined, env, profile: 'dev' })).toBe('eu-west-1');
    expect(resolveRegion({ config: undefined, env: { ...env, AWS_PROFILE: 'dev' } })).toBe('eu-west-1');
    expect(resolveRegion({ config: undefined, env })).toBe('ca-central-1');
    expect(resolveRegion({ config: undefined, env: { ...env, AWS_REGION: 'ap-south-1' }, profile: 'dev' })).toBe('ap-south-1');
    expect(resolveRegion({ config: { region: 'us-west-2' } as never, env: { ...env, AWS_REGION: 'ap-south-1' }, profile: 'dev' })).toBe('us-west-2');
    expect(resolveRegion({ config: { region: 'us-west-2' } as never, env, profile: 'dev', region: 'sa-east-1' })).toBe('sa-east-1');
    expect(resolveRegion({ config: undefined, env: { AWS_CONFIG_FILE: join(dir, 'empty') } })).toBe('us-east-1');
  });

  it('a live run with --profile reads the profile’s region (and its credentials) from AWS_CONFIG_FILE', async () => {
    const rds = new RDSClient({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'eu-db', Engine: 'aurora-postgresql', MasterUsername: 'u', MasterUserPassword: 'not-a-real-password-1' }));
    rds.destroy();
    const awsConfig = join(dir, 'profile-config');
    const awsCredentials = join(dir, 'profile-credentials');
    await writeFile(awsConfig, '[profile dev]\nregion = eu-west-1\n');
    await writeFile(awsCredentials, '[dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const config = await configFile('profile-region', ['project: p', 'aws:', `  endpoint: ${moto.endpoint}`]);
    const { report } = await json(['check', '--config', config, '--only', 'aws.rds.public-access', '--profile', 'dev'], {
      ...noCredentials,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: undefined,
      AWS_CONFIG_FILE: awsConfig,
      AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
    });
    expect(report.source.region).toBe('eu-west-1');
    expect(report.results.map((r) => r.resource)).toEqual(['eu-db']);
  });
});
