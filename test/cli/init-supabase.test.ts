import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { phiTablesOf } from '../../src/commands/init-supabase.js';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../support/cli.js';
import { deployedFunction, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';

let api: ManagementApiServer;
let repo: string;
// No AWS here: an endpoint that refuses at once keeps the AWS discovery short.
const noAws = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_PROFILE: undefined };

beforeAll(async () => {
  api = await startManagementApi(projectRoutes({ functions: [deployedFunction('send-reminder'), deployedFunction('stripe-webhook', { verify_jwt: false })] }));
  repo = await mkdtemp(join(tmpdir(), 'readiness-init-supabase-'));
  await mkdir(join(repo, '.git'));
  await mkdir(join(repo, 'supabase', 'functions', 'send-reminder'), { recursive: true });
  await mkdir(join(repo, 'supabase', 'functions', '_shared'), { recursive: true });
  await mkdir(join(repo, 'supabase', 'migrations'), { recursive: true });
  await writeFile(join(repo, 'supabase', 'functions', 'send-reminder', 'index.ts'), "const sid = Deno.env.get('TWILIO_ACCOUNT_SID');\nconst url = Deno.env.get(\"SUPABASE_URL\");\n");
  await writeFile(join(repo, 'supabase', 'functions', '_shared', 'mail.ts'), 'export const key = Deno.env.get(`RESEND_API_KEY`);\n');
  await writeFile(
    join(repo, 'supabase', 'migrations', '20250101000000_init.sql'),
    [
      'create table public.patients (id uuid primary key, full_name text, date_of_birth date, constraint x check (length(full_name) > 0));',
      'create table if not exists "public"."Appointments" ("patient_id" uuid references public.patients(id), starts_at timestamptz);',
      'create table public.clinics (id uuid primary key, name text, numeric_code numeric(10, 2));',
    ].join('\n'),
  );
});

afterAll(async () => {
  await api?.stop();
  if (repo) await rm(repo, { recursive: true, force: true });
});

describe('readiness init --supabase REF', () => {
  it('fills the supabase section from the project and the repository', async () => {
    const file = join(repo, 'readiness.config.yaml');
    const { code, stderr } = await runCli(['init', '--out', file, '--supabase', PROJECT_REF, '--timeout', '20'], { ...noAws, SUPABASE_ACCESS_TOKEN: 'sbp_test_token', SUPABASE_API_URL: api.url });
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/Supabase/);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('sbp_test_token');
    const written = parse(text) as { supabase: Record<string, unknown> };
    expect(written.supabase).toEqual({
      projectRef: PROJECT_REF,
      accessToken: '${SUPABASE_ACCESS_TOKEN}',
      dbUrl: '${SUPABASE_DB_URL}',
      functionsDir: 'supabase/functions',
      migrationsDir: 'supabase/migrations',
      requiredSecrets: ['RESEND_API_KEY', 'TWILIO_ACCOUNT_SID'],
      publicFunctions: [],
      phiTables: ['Appointments', 'patients'],
      publicBuckets: [],
    });
    expect(text).toMatch(/# ehr \(us-east-1\), ACTIVE_HEALTHY/);
    expect(text).toMatch(/deployed without it now: stripe-webhook/);
    // The commented template is not repeated once the section is written.
    expect(text).not.toMatch(/^# supabase:$/m);
    const { config } = await loadConfig(file, { SUPABASE_ACCESS_TOKEN: 't' });
    expect(config.supabase?.projectRef).toBe(PROJECT_REF);
    expect(api.requests.every((r) => r.authorization === 'Bearer sbp_test_token')).toBe(true);
  });

  it('without a token, still writes the section from the repository, says why on stderr and in a comment', async () => {
    const file = join(repo, 'no-token.yaml');
    const { code, stderr } = await runCli(['init', '--out', file, '--supabase', PROJECT_REF, '--timeout', '20'], { ...noAws, SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_API_URL: api.url });
    expect(code).toBe(0);
    expect(stderr).toMatch(/could not discover the Supabase project \(supabase\.project\): NoCredentials/);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/# could not discover the Supabase project/);
    expect((parse(text) as { supabase: { requiredSecrets: string[] } }).supabase.requiredSecrets).toEqual(['RESEND_API_KEY', 'TWILIO_ACCOUNT_SID']);
  });

  it('refuses a malformed ref with one line, exit 2', async () => {
    const { code, stderr } = await runCli(['init', '--out', join(repo, 'bad.yaml'), '--supabase', 'Not-A-Ref'], noAws);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('PHI tables from migrations', () => {
  it.each([
    ['create table public.visits (id int, diagnosis text);', ['visits']],
    ['CREATE TABLE IF NOT EXISTS "clinic"."Lab Results" ("lab_result" jsonb);', ['Lab Results']],
    ['create table invoices (id int, amount numeric(10,2), memo text);', []],
    ['create table people (id int, birthdate date); create table tags (name text);', ['people']],
  ])('%s', (sql, tables) => {
    expect(phiTablesOf(sql)).toEqual(tables);
  });
});
