import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_REF } from '../support/management-api-server.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { databaseUrl } from '../support/supabase-postgres.js';
import { entry, runDeclared, tempFolder } from './support.js';

let server: PostgresServer;
let admin: pg.Client;
let folder: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  server = await startPostgresServer();
  admin = new pg.Client(server.url);
  await admin.connect();
  await admin.query(`
    create table public.exports (id text primary key, owner text, encrypted boolean);
    insert into public.exports values ('exp-1', 'alice', true), ('exp-2', 'bob', false), ('exp-3', 'carol', false);
    create table public.audit_gaps (id int);
    create function public.wipe_exports() returns int language sql as $$ delete from public.exports returning 1 $$;
    create table public.patients (id text, owner text, consent boolean);
    insert into public.patients values ('p-1', 'alice', false), ('p-2', 'bob', true);
    alter table public.patients enable row level security;
    create policy own_rows on public.patients for select using (owner = current_user);
    create role alice login;
    grant select on public.patients, public.exports to alice;
  `);
  folder = await tempFolder();
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
  await folder?.cleanup();
});

const config = (dbUrl: string, ...entries: string[]) => `project: test\nsupabase: { projectRef: ${PROJECT_REF}, dbUrl: "${dbUrl}" }\ncustomChecks:\n${entries.join('')}`;
const sql = (body: string) => entry('custom.sql', `sql:\n  ${body.trim().split('\n').join('\n  ')}`, 'application');
const exportsLeft = async () => Number((await admin.query<{ n: string }>('select count(*) as n from public.exports')).rows[0]!.n);

describe('declared SQL checks on PostgreSQL 15: holes first', () => {
  it('a write inside a CTE fails in the read-only transaction: unverified, and nothing is deleted', async () => {
    const run = await runDeclared(config(server.url, sql(`query: "with gone as (delete from public.exports returning id) select id from gone"`)), folder.dir);
    expect(run.rows.map(([, , status, code]) => [status, code])).toEqual([['unverified', 'fact-unavailable']]);
    expect(run.results[0]!.message).toMatch(/read-only transaction/);
    expect(await exportsLeft()).toBe(3);
  });

  it('a function that writes, called from a SELECT, fails too', async () => {
    const run = await runDeclared(config(server.url, sql(`query: select public.wipe_exports()`)), folder.dir);
    expect(run.rows.map(([, , status]) => status)).toEqual(['unverified']);
    expect(await exportsLeft()).toBe(3);
  });

  it('a second statement (commit, then a write) is refused by the server: one statement per query', async () => {
    const query = 'select 1 where false; commit; set default_transaction_read_only = off; delete from public.exports';
    const run = await runDeclared(config(server.url, sql(`query: "${query}"`)), folder.dir);
    expect(run.rows.map(([, , status]) => status)).toEqual(['unverified']);
    expect(run.results[0]!.message).toMatch(/multiple commands|prepared statement/);
    expect(await exportsLeft()).toBe(3);
  });

  it('a query that errors (no such table) or runs past its statement timeout is unverified, never a pass', async () => {
    const missing = await runDeclared(config(server.url, sql(`query: select id from public.no_such_table`)), folder.dir);
    expect(missing.rows.map(([, , status, code]) => [status, code])).toEqual([['unverified', 'fact-unavailable']]);
    const slow = await runDeclared(config(server.url, sql(`query: "select id from public.audit_gaps, pg_sleep(5)"\ntimeoutMs: 300`)), folder.dir);
    expect(slow.rows.map(([, , status]) => status)).toEqual(['unverified']);
    expect(slow.outcomes.get('custom.sql.sql')).toMatchObject({ ok: false, failure: { kind: 'Timeout' } });
  });

  it('a role that row-level security keeps from seeing rows: "no rows" is unverified, naming the table', async () => {
    const asAlice = databaseUrl('alice', 'planted-db-password', `127.0.0.1:${server.port}/postgres?sslmode=disable`);
    const query = `query: "select id from public.patients where not consent and owner = 'bob'"`;
    const hidden = await runDeclared(config(asAlice, sql(query)), folder.dir);
    expect(hidden.rows.map(([, , status, code]) => [status, code])).toEqual([['unverified', 'rows-hidden']]);
    expect(hidden.results[0]!.message).toContain('public.patients');
    // The same query as a role that sees every row finds none either: a pass.
    const owner = await runDeclared(config(server.url, sql(query)), folder.dir);
    expect(owner.rows.map(([, , status, code]) => [status, code])).toEqual([['pass', 'no-rows']]);
  });

  it('a table the role may not read is unverified (permission denied), not an empty answer', async () => {
    const asAlice = databaseUrl('alice', 'planted-db-password', `127.0.0.1:${server.port}/postgres?sslmode=disable`);
    const run = await runDeclared(config(asAlice, sql(`query: select id from public.audit_gaps`)), folder.dir);
    expect(run.outcomes.get('custom.sql.sql')).toMatchObject({ ok: false, failure: { kind: 'AccessDenied' } });
    expect(run.rows.map(([, , status]) => status)).toEqual(['unverified']);
  });
});

describe('declared SQL checks: the happy path', () => {
  it('each row returned is a failing resource, named by the chosen column; none is a pass', async () => {
    const run = await runDeclared(config(server.url, sql(`query: select owner, id from exports where not encrypted order by id\nresource: id`)), folder.dir);
    expect(run.rows.map(([, resource, status, code]) => [resource, status, code])).toEqual([
      ['exp-2', 'fail', 'row'],
      ['exp-3', 'fail', 'row'],
    ]);
  });

  it('a number within bounds passes, outside fails; a query that returns no single number is unverified', async () => {
    const within = await runDeclared(config(server.url, sql(`query: select count(*) from exports\nexpect: { min: 1, max: 3 }`)), folder.dir);
    expect(within.rows.map(([, , status, code]) => [status, code])).toEqual([['pass', 'value-within']]);
    const outside = await runDeclared(config(server.url, sql(`query: select count(*) from exports where not encrypted\nexpect: { max: 0 }`)), folder.dir);
    expect(outside.rows.map(([, , status, code]) => [status, code])).toEqual([['fail', 'value-outside']]);
    const shapeless = await runDeclared(config(server.url, sql(`query: select id from exports\nexpect: { max: 0 }`)), folder.dir);
    expect(shapeless.outcomes.get('custom.sql.sql')).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
  });
});
