import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import auditLogging from '../../checks/application/app.db.audit-logging.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { makeConfig } from '../support/check-tester.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { POSTGRES_BIN, startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { collectForChecks, TEST_NOW } from '../support/supabase-collect.js';
import { appSchemaSql, AUTH_UID_SQL, SUPABASE_BASE_SQL } from '../support/supabase-postgres.js';

const sh = promisify(execFile);

/**
 * pgaudit.log scoped to roles and databases, on a real PostgreSQL 15 server. pgaudit itself is not
 * installed here: pgaudit.log is then a placeholder variable, which ALTER ROLE / ALTER DATABASE store
 * and apply at login exactly as they would the extension's, and a pg_extension row stands in for
 * CREATE EXTENSION pgaudit. clinical_notes has no audit trigger, so pgaudit is its only evidence.
 */
let server: PostgresServer;
let admin: pg.Client;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: server.url, phiTables: ['clinical_notes'] } });
const ROLES = ['postgres', 'authenticator', 'anon', 'authenticated', 'service_role'];

beforeAll(async () => {
  server = await startPostgresServer();
  admin = new pg.Client(server.url);
  await admin.connect();
  await admin.query(SUPABASE_BASE_SQL + AUTH_UID_SQL + appSchemaSql({ featureFlagsRls: true, clinicalNotesAudited: false }));
  await admin.query(`insert into pg_catalog.pg_extension (oid, extname, extowner, extnamespace, extrelocatable, extversion) values (99999, 'pgaudit', 10, 'public'::regnamespace, false, '1.7')`);
  await admin.query('create database other');
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});
beforeEach(async () => {
  for (const role of ROLES) await admin.query(`alter role ${role} reset pgaudit.log; alter role ${role} in database postgres reset pgaudit.log; alter role ${role} in database other reset pgaudit.log`);
  await admin.query('alter database postgres reset pgaudit.log; alter database other reset pgaudit.log; alter role all reset pgaudit.log');
});

const run = async () => {
  const collected = await collectForChecks([auditLogging], config());
  return evaluateCheck(auditLogging, collected.outcomes, { config: makeConfig(config()), now: TEST_NOW });
};
const verdict = async () => (await run()).map((result) => [result.resource, result.status, result.code]);

describe('app.db.audit-logging: where pgaudit.log is set (PostgreSQL 15)', () => {
  it("pgaudit.log = 'all' on postgres only (Supabase's documented global logging) does not audit Data API writes", async () => {
    await admin.query(`alter role postgres set pgaudit.log = 'all'`);
    const [result] = await run();
    expect([result?.resource, result?.status, result?.code]).toEqual(['public.clinical_notes', 'fail', 'pgaudit-other-roles']);
    expect(result?.message).toContain('postgres');

    // The fix, run as the remediation shows it, makes authenticator's logins log writes.
    await sh('sh', ['-c', result!.remediation.command!], { env: { PATH: `${POSTGRES_BIN}:/usr/bin:/bin`, SUPABASE_DB_URL: server.url } });
    const stored = await admin.query(`select setconfig from pg_db_role_setting where setrole = 'authenticator'::regrole and setdatabase = 0`);
    expect(stored.rows[0].setconfig).toContain('pgaudit.log=write, ddl');
    expect(await verdict()).toEqual([['public.clinical_notes', 'pass', 'pgaudit']]);
  });

  it('a setting for authenticator in another database does not count', async () => {
    await admin.query(`alter role authenticator in database other set pgaudit.log = 'write'; alter database other set pgaudit.log = 'all'`);
    expect(await verdict()).toEqual([['public.clinical_notes', 'fail', 'not-audited']]);
  });

  it('authenticator, in this database or in all, logs the Data API writes', async () => {
    await admin.query(`alter role authenticator in database postgres set pgaudit.log = 'write'`);
    expect(await verdict()).toEqual([['public.clinical_notes', 'pass', 'pgaudit']]);
  });

  it('a database-wide setting counts, unless authenticator overrides it', async () => {
    await admin.query(`alter database postgres set pgaudit.log = 'write, ddl'`);
    expect(await verdict()).toEqual([['public.clinical_notes', 'pass', 'pgaudit']]);
    await admin.query(`alter role authenticator set pgaudit.log = 'ddl'`);
    const [result] = await run();
    expect([result?.status, result?.code]).toEqual(['fail', 'pgaudit-other-roles']);
    expect(result?.message).toContain('every role in this database: write, ddl (overridden by authenticator: ddl)');
  });

  it('ALTER ROLE ALL counts for every role', async () => {
    await admin.query(`alter role all set pgaudit.log = 'all'`);
    expect(await verdict()).toEqual([['public.clinical_notes', 'pass', 'pgaudit']]);
  });

  it('settings on the impersonated roles only are unverified: PostgREST applies them only when authenticator may SET pgaudit.log', async () => {
    await admin.query(`alter role anon set pgaudit.log = 'write'; alter role authenticated set pgaudit.log = 'write'; alter role service_role set pgaudit.log = 'write'`);
    expect(await verdict()).toEqual([['public.clinical_notes', 'unverified', 'pgaudit-api-roles']]);
    await admin.query(`alter role anon reset pgaudit.log`);
    expect(await verdict()).toEqual([['public.clinical_notes', 'fail', 'pgaudit-other-roles']]);
  });
});
