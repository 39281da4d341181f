import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationChecks } from '../../checks/application/index.js';
import { supabaseChecks } from '../../checks/supabase/index.js';
import { AwsSession } from '../../src/collectors/aws/session.js';
import { collectors } from '../../src/collectors/index.js';
import { collectFacts } from '../../src/engine/collect.js';
import { buildReport, planFacts } from '../../src/engine/run.js';
import { reporters } from '../../src/reporters/index.js';
import { buildSnapshot } from '../../src/snapshot.js';
import { makeConfig } from '../support/check-tester.js';
import { deployedFunction, PLANTED_SECRETS, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { PLANTED_DB_PASSWORD, plantedRepository, SERVICE_ROLE_KEY } from '../support/planted-repository.js';
import { TEST_NOW } from '../support/supabase-collect.js';
import { appSchemaSql, AUTH_UID_SQL, startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

let api: ManagementApiServer;
let database: TestDatabase;
let repo: string;

beforeAll(async () => {
  api = await startManagementApi(projectRoutes({ functions: [deployedFunction('appointments', { verify_jwt: false })] }));
  database = await startDatabase(SUPABASE_BASE_SQL + AUTH_UID_SQL + appSchemaSql({ featureFlagsRls: false, clinicalNotesAudited: false }));
  repo = await plantedRepository();
  await mkdir(join(repo, 'supabase/functions/appointments'), { recursive: true });
  await writeFile(join(repo, 'supabase/functions/appointments/index.ts'), 'Deno.serve(() => new Response("ok"));\n');
  await mkdir(join(repo, 'supabase/migrations'), { recursive: true });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await database?.stop();
  await rm(repo, { recursive: true, force: true });
});

describe('secrets planted in every source never reach a report or a snapshot', () => {
  it('engine + every reporter + snapshot', async () => {
    const config = makeConfig({
      supabase: {
        projectRef: PROJECT_REF,
        accessToken: 'token-planted-access-1234',
        apiUrl: api.url,
        dbUrl: database.url,
        requiredSecrets: ['DATABASE_PASSWORD'],
        functionsDir: 'supabase/functions',
        migrationsDir: 'supabase/migrations',
        phiTables: ['clients', 'clinical_notes'],
      },
      domain: { name: 'example.com', frontendBuildDir: 'dist' },
    });
    const checks = [...supabaseChecks, ...applicationChecks.filter((check) => check.meta.id.startsWith('app.db.') || check.meta.id.startsWith('app.secrets.'))];
    const aws = new AwsSession({ config: undefined, env: {} });
    const outcomes = await collectFacts(planFacts(checks), { collectors, context: { config, now: TEST_NOW, env: {}, baseDir: repo, aws }, collectorTimeoutMs: 20_000 });
    const loaded = { config, file: join(repo, 'readiness.config.yaml'), hash: 'test', unsetVariables: [], locate: () => ({ file: 'readiness.config.yaml' }), locateKey: () => ({ file: 'readiness.config.yaml' }), lineOf: () => undefined };
    const report = buildReport({ loaded, checks, outcomes, now: TEST_NOW, source: { kind: 'live' } });

    // The run did see the planted material (else this test proves nothing).
    const statusOf = (id: string) => report.results.filter((r) => r.checkId === id).map((r) => `${r.resource}:${r.status}`);
    expect(statusOf('app.secrets.service-key-exposure')).toEqual(['dist/assets/index-3f2a.js:1:fail', 'scripts/backup.sh:2:fail', 'src/supabase.ts:3:fail']);
    expect(statusOf('supabase.auth.mfa')).toEqual(['auth:pass']);
    expect(statusOf('supabase.secrets.required')).toEqual(['DATABASE_PASSWORD:pass']);
    expect(statusOf('app.db.rls-enabled')).toContain('public.feature_flags:fail');
    expect(api.requests.some((request) => request.path.endsWith('/postgrest'))).toBe(false);

    const outputs = Object.entries(reporters).map(([name, { render }]) => [name, render(report, { verbose: true })] as const);
    const snapshot = JSON.stringify(buildSnapshot({ collectedAt: TEST_NOW.toISOString(), project: 'test', configHash: 'test', aws: null, tool: { name: 'readiness', version: 'test' }, facts: outcomes }));
    const planted = [...Object.values(PLANTED_SECRETS), SERVICE_ROLE_KEY, PLANTED_DB_PASSWORD, 'planted-db-password', 'token-planted-access-1234'];
    for (const [name, text] of [...outputs, ['snapshot', snapshot] as const]) {
      for (const secret of planted) expect(text.includes(secret), `${secret} in ${name}`).toBe(false);
    }
  }, 60_000);

  it('the PostgREST config (which carries jwt_secret) keeps only the schema list', async () => {
    const config = makeConfig({ supabase: { projectRef: PROJECT_REF, accessToken: 't', apiUrl: api.url } });
    const { supabasePostgrestConfig } = await import('../../src/facts/supabase-management.js');
    const outcomes = await collectFacts([supabasePostgrestConfig], {
      collectors,
      context: { config, now: TEST_NOW, env: {}, baseDir: repo, aws: new AwsSession({ config: undefined, env: {} }) },
    });
    expect(outcomes.get('supabase.postgrest')).toEqual({ ok: true, value: { dbSchemas: ['public', 'graphql_public'] } });
  });
});
