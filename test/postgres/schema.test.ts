import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import auditLogging from '../../checks/application/app.db.audit-logging.js';
import extensions from '../../checks/application/app.db.extensions.js';
import rlsEnabled from '../../checks/application/app.db.rls-enabled.js';
import rlsPolicies from '../../checks/application/app.db.rls-policies.js';
import securityDefinerViews from '../../checks/application/app.db.security-definer-views.js';
import sensitiveColumns from '../../checks/application/app.db.sensitive-columns.js';
import definerFunctions from '../../checks/application/app.db.definer-functions.js';
import migrationsApplied from '../../checks/supabase/supabase.migrations.applied.js';
import publicBuckets from '../../checks/supabase/supabase.storage.public-buckets.js';
import { postgresFactError } from '../../src/collectors/postgres/session.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { selfSigned } from '../support/certificates.js';
import { PROJECT_REF, projectRoutes, startManagementApi } from '../support/management-api-server.js';
import { collectForChecks, failureOf } from '../support/supabase-collect.js';
import { appSchemaSql, AUTH_UID_SQL, databaseUrl, MIGRATION_VERSIONS, startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

const dbChecks = [rlsEnabled, rlsPolicies, sensitiveColumns, securityDefinerViews, auditLogging, extensions, definerFunctions, publicBuckets, migrationsApplied];

let database: TestDatabase;
let projectDir: string;

const config = (over: Partial<NonNullable<ConfigInput['supabase']>> = {}): Partial<ConfigInput> => ({
  supabase: {
    projectRef: PROJECT_REF,
    dbUrl: database.url,
    migrationsDir: 'supabase/migrations',
    phiTables: ['clients', 'clinical_notes', 'appointments'],
    publicBuckets: ['avatars'],
    ...over,
  },
});

beforeAll(async () => {
  // The failing variant: feature_flags without RLS, clinical_notes without an audit trigger.
  database = await startDatabase(SUPABASE_BASE_SQL + AUTH_UID_SQL + appSchemaSql({ featureFlagsRls: false, clinicalNotesAudited: false }));
  // What `supabase db push` records for the files below.
  await database.db.exec(`update supabase_migrations.schema_migrations set statements = array['select 1'];`);
  projectDir = await mkdtemp(join(tmpdir(), 'readiness-pg-'));
  await mkdir(join(projectDir, 'supabase/migrations'), { recursive: true });
  for (const [i, version] of MIGRATION_VERSIONS.entries()) await writeFile(join(projectDir, `supabase/migrations/${version}_step_${i}.sql`), 'select 1;\n');
}, 60_000);
afterAll(async () => {
  await database?.stop();
  await rm(projectDir, { recursive: true, force: true });
});

describe('schema checks against a real Postgres engine (PGlite over pg)', () => {
  it('reports exactly the table without RLS and the PHI table without audit triggers', async () => {
    const openedBefore = database.connectionsOpened();
    const run = await collectForChecks(dbChecks, config(), { baseDir: projectDir });
    expect(database.connectionsOpened() - openedBefore).toBe(1);
    const failing = dbChecks.flatMap((check) => run.results(check).filter(([, status]) => status !== 'pass').map((result) => [check.meta.id, ...result]));
    expect(failing).toEqual([
      ['app.db.rls-enabled', 'public.feature_flags', 'fail', 'disabled'],
      // Covered by rls-enabled: no second failure for the same table.
      ['app.db.rls-policies', 'public.feature_flags', 'not_applicable', 'rls-off'],
      ['app.db.audit-logging', 'public.clinical_notes', 'fail', 'not-audited'],
    ]);
    expect(run.results(rlsEnabled)).toEqual([
      ['public.appointments', 'pass', 'enabled'],
      ['public.clients', 'pass', 'enabled'],
      ['public.clinical_notes', 'pass', 'enabled'],
      ['public.feature_flags', 'fail', 'disabled'],
    ]);
    expect(run.results(sensitiveColumns)).toEqual([
      // Listed in phiTables: PHI whatever its columns.
      ['public.appointments', 'pass', 'protected'],
      ['public.clients', 'pass', 'protected'],
      ['public.clinical_notes', 'pass', 'protected'],
    ]);
    expect(run.results(auditLogging)).toEqual([
      ['public.clients', 'pass', 'trigger'],
      ['public.clinical_notes', 'fail', 'not-audited'],
      ['public.appointments', 'pass', 'trigger'],
    ]);
    expect(run.results(securityDefinerViews)).toEqual([['public.client_summaries', 'pass', 'invoker']]);
    expect(run.results(extensions)).toEqual([
      ['pgcrypto', 'pass', 'installed'],
      ['uuid-ossp', 'pass', 'installed'],
    ]);
    expect(run.results(publicBuckets)).toEqual([
      ['avatars', 'pass', 'public-allowed'],
      ['documents', 'pass', 'private'],
    ]);
    expect(run.results(migrationsApplied)).toEqual([[PROJECT_REF, 'pass', 'applied']]);
    const schema = run.outcomes.get('postgres.schema');
    expect(schema?.ok && schema.value).toMatchObject({ exposedSchemas: ['public', 'graphql_public'], exposedSchemasSource: 'pgrst.db_schemas' });
    // The three database facts shared one connection, closed once they were done.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(database.activeConnections()).toBe(0);
  });

  it('the passing variant passes, and the findings follow the database as it changes', async () => {
    await database.db.exec(`
      begin;
      alter table public.feature_flags enable row level security;
      create policy read_flags on public.feature_flags for select to anon, authenticated using (true);
      create trigger audit_i_u_d after insert or update or delete on public.clinical_notes for each row execute function audit.insert_update_delete_trigger();
      commit;`);
    try {
      const run = await collectForChecks(dbChecks, config(), { baseDir: projectDir });
      for (const check of dbChecks) expect(run.results(check).map(([, status]) => status), check.meta.id).toEqual(run.results(check).map(() => 'pass'));

      await database.db.exec(`create view public.open_clients as select * from public.clients;`);
      await database.db.exec(`alter extension "uuid-ossp" set schema public;`);
      await database.db.exec(`update storage.buckets set public = true where id = 'documents';`);
      await database.db.exec(`insert into supabase_migrations.schema_migrations (version) values ('20251001000000');`);
      const drifted = await collectForChecks([securityDefinerViews, publicBuckets, migrationsApplied, extensions, definerFunctions], config(), { baseDir: projectDir });
      // uuid-ossp's functions now sit in public, but they are the extension's: not assessed as the app's.
      expect(drifted.results(definerFunctions)).toEqual([['public.auth_uid()', 'pass', 'safe']]);
      expect(drifted.results(extensions)).toEqual([
        ['pgcrypto', 'pass', 'installed'],
        ['uuid-ossp', 'fail', 'in-public'],
      ]);
      expect(drifted.results(securityDefinerViews)).toEqual([
        ['public.client_summaries', 'pass', 'invoker'],
        ['public.open_clients', 'fail', 'definer'],
      ]);
      expect(drifted.results(publicBuckets)).toEqual([
        ['avatars', 'pass', 'public-allowed'],
        ['documents', 'fail', 'public'],
      ]);
      expect(drifted.results(migrationsApplied)).toEqual([[PROJECT_REF, 'fail', 'remote-only']]);
    } finally {
      await database.db.exec(`
        begin;
        drop view if exists public.open_clients;
        alter extension "uuid-ossp" set schema extensions;
        update storage.buckets set public = false where id = 'documents';
        delete from supabase_migrations.schema_migrations where version = '20251001000000';
        drop trigger audit_i_u_d on public.clinical_notes;
        drop policy read_flags on public.feature_flags;
        alter table public.feature_flags disable row level security;
        commit;`);
    }
  });

  it('falls back to the PostgREST config for exposed schemas when pgrst.db_schemas is not set', async () => {
    await database.db.exec(`alter role authenticator reset pgrst.db_schemas;`);
    const api = await startManagementApi(projectRoutes({ dbSchema: 'api' }));
    try {
      await database.db.exec(`create schema api; create table api.patients (id int, mrn text); grant usage on schema api to anon; grant select on api.patients to anon;`);
      const run = await collectForChecks([rlsEnabled, sensitiveColumns], config({ accessToken: 'token', apiUrl: api.url }), { baseDir: projectDir });
      const schema = run.outcomes.get('postgres.schema');
      expect(schema?.ok && schema.value).toMatchObject({ exposedSchemas: ['api'], exposedSchemasSource: 'postgrest-config' });
      expect(run.results(rlsEnabled)).toEqual([['api.patients', 'fail', 'disabled']]);
      expect(run.results(sensitiveColumns)).toEqual([['api.patients', 'fail', 'exposed']]);
      expect(api.requests.map((request) => request.path)).toEqual([`/v1/projects/${PROJECT_REF}/postgrest`]);
    } finally {
      await api.stop();
      await database.db.exec(`drop schema api cascade; alter role authenticator set pgrst.db_schemas = 'public, graphql_public';`);
    }
  });

  it('reads pgrst.db_schemas of the connected database: its own setting wins, another database\'s never counts', async () => {
    await database.db.exec(`alter role authenticator in database template1 set pgrst.db_schemas = 'elsewhere';`);
    try {
      const run = await collectForChecks([rlsEnabled], config(), { baseDir: projectDir });
      const schema = run.outcomes.get('postgres.schema');
      expect(schema?.ok && schema.value).toMatchObject({ exposedSchemas: ['public', 'graphql_public'] });
      await database.db.exec(`alter role authenticator in database postgres set pgrst.db_schemas = 'public';`);
      const own = await collectForChecks([rlsEnabled], config(), { baseDir: projectDir });
      const ownSchema = own.outcomes.get('postgres.schema');
      expect(ownSchema?.ok && ownSchema.value).toMatchObject({ exposedSchemas: ['public'] });
    } finally {
      await database.db.exec(`alter role authenticator in database template1 reset pgrst.db_schemas; alter role authenticator in database postgres reset pgrst.db_schemas;`);
    }
  });

  it('missing migration history table → no-history; missing local file → pending', async () => {
    await writeFile(join(projectDir, 'supabase/migrations/20251005000000_new.sql'), 'select 1;\n');
    try {
      const pending = await collectForChecks([migrationsApplied], config(), { baseDir: projectDir });
      expect(pending.results(migrationsApplied)).toEqual([[PROJECT_REF, 'fail', 'pending']]);
      await database.db.exec(`alter table supabase_migrations.schema_migrations rename to schema_migrations_old;`);
      const none = await collectForChecks([migrationsApplied], config(), { baseDir: projectDir });
      expect(none.results(migrationsApplied)).toEqual([[PROJECT_REF, 'fail', 'no-history']]);
    } finally {
      await rm(join(projectDir, 'supabase/migrations/20251005000000_new.sql'));
      await database.db.exec(`alter table if exists supabase_migrations.schema_migrations_old rename to schema_migrations;`);
    }
  });
});

describe('database connection failures', () => {
  it('nothing listening → Unreachable, and the password never appears', async () => {
    const url = databaseUrl('postgres', 'planted-db-password', '127.0.0.1:1/postgres');
    const run = await collectForChecks([rlsEnabled], config({ dbUrl: url }), { baseDir: projectDir });
    const failure = failureOf(run, 'postgres.schema');
    expect(failure.kind).toBe('Unreachable');
    expect(JSON.stringify(failure)).not.toContain('planted-db-password');
    expect(failure.message).toContain('127.0.0.1:1/postgres');
  });

  it('an unencoded @, / or # in the password: no part of it anywhere, and the fix says to percent-encode', async () => {
    const url = databaseUrl('postgres', 'pl@nted/pass#word', `127.0.0.1:1/postgres`);
    const run = await collectForChecks([rlsEnabled, publicBuckets], config({ dbUrl: url }), { baseDir: projectDir });
    const failure = failureOf(run, 'postgres.schema');
    expect(failure.kind).toBe('NoCredentials');
    expect(failure.fix).toMatch(/percent-encode/);
    const everything = JSON.stringify([...run.outcomes.values()]) + JSON.stringify(run.results(rlsEnabled));
    for (const part of ['pl@nted', 'nted/pass', 'pass#word', '#word', 'word@127']) expect(everything).not.toContain(part);
  });

  it('a self-signed server certificate gets a fix hint, and pg\'s multi-line SSL warning stays off stderr', async () => {
    const { certificate, privateKey } = selfSigned('127.0.0.1', 30);
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      // Postgres SSLRequest: answer 'S', then speak TLS with a certificate no CA signed.
      socket.once('data', () => {
        socket.write('S');
        new tls.TLSSocket(socket, { isServer: true, cert: certificate, key: privateKey }).on('error', () => {});
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const port = (server.address() as net.AddressInfo).port;
      const url = databaseUrl('postgres', 'planted-db-password', `127.0.0.1:${port}/postgres?sslmode=require`);
      const run = await collectForChecks([rlsEnabled], config({ dbUrl: url }), { baseDir: projectDir });
      const failure = failureOf(run, 'postgres.schema');
      expect(failure.message).toMatch(/certificate/);
      expect(failure.fix).toMatch(/sslrootcert/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((message) => /SECURITY WARNING|sslmode/i.test(message))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('no dbUrl → NoCredentials (unverified, not skipped)', async () => {
    const run = await collectForChecks([rlsEnabled], { supabase: { projectRef: PROJECT_REF } }, { baseDir: projectDir });
    expect(failureOf(run, 'postgres.schema').kind).toBe('NoCredentials');
    expect(run.results(rlsEnabled).map(([, status]) => status)).toEqual(['unverified']);
  });

  // PGlite accepts any password, so a refused login is built from the server's error code (28P01), as pg reports it.
  it.each([
    ['28P01', 'NoCredentials'],
    ['42501', 'AccessDenied'],
    ['3D000', 'NotFound'],
    ['ENOTFOUND', 'Unreachable'],
  ])('error code %s → %s', (code, kind) => {
    const url = databaseUrl('reader', 'planted-db-password', 'db.example.co:5432/postgres');
    const error = Object.assign(new Error(`failed for ${url}`), { code });
    const factError = postgresFactError(error, 'reading the catalog', url);
    expect(factError.kind).toBe(kind);
    expect(JSON.stringify(factError.toFailure())).not.toContain('planted-db-password');
  });
});
