import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import definerFunctions from '../../checks/application/app.db.definer-functions.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { databaseSchema, type DatabaseFunction } from '../../src/facts/postgres.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

/**
 * Functions whose search_path is set but does not hold: the caller's temporary schema, searched first unless pg_temp is
 * listed last, and a schema of the path in which PUBLIC may create (what PostgreSQL 14 and earlier granted on public, and
 * what pg_upgrade keeps). clinic_import stands for a role that logs in directly (imports, reports): it may write notes,
 * run is_note_id(), and create temporary objects (TEMP is PUBLIC's by default).
 */
const SQL = `
  create role clinic_import nologin;
  grant usage on schema public to clinic_import;
  grant create on schema public to public;
  create table public.notes (id int primary key, body text, email varchar(200));
  create table public.note_audit (note_id int, by_user text);
  revoke all on public.notes, public.note_audit from anon, authenticated;
  grant select, insert on public.notes to clinic_import;

  -- An audit trigger pinned to public alone: the caller's temporary schema comes first.
  create function public.audit_note() returns trigger language plpgsql security definer set search_path = public as $$
  begin
    insert into note_audit (note_id, by_user) values (new.id, session_user);
    return new;
  end $$;
  create trigger audit_note after insert on public.notes for each row execute function public.audit_note();

  -- search_path = '' (every name qualified but the type): the caller's temporary schema still comes first.
  create function public.is_note_id(p text) returns boolean language sql security definer set search_path = '' as $$ select p::uuid is not null $$;
  revoke execute on function public.is_note_id(text) from public, anon, authenticated;
  grant execute on function public.is_note_id(text) to clinic_import;

  -- pg_temp last, but public (where PUBLIC may create) first: a closer match of lower() can be planted there.
  create function public.normalize_email() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
  begin
    new.email := lower(new.email);
    return new;
  end $$;
  create trigger normalize_email before insert on public.notes for each row execute function public.normalize_email();
  create function public.email_key(e varchar) returns text language sql stable set search_path = public as $$ select lower(e) $$;

  -- Pinned as the PostgreSQL documentation says, only service_role may run it.
  create function public.count_notes() returns bigint language sql security definer set search_path = pg_catalog, pg_temp as $$ select count(*) from public.notes $$;
  revoke execute on function public.count_notes() from public, anon, authenticated;
  grant execute on function public.count_notes() to service_role;

  -- Revoked from the API roles, still executable through PUBLIC (the default of every new function).
  create function public.export_notes() returns setof public.notes language sql security definer set search_path = pg_catalog, pg_temp as $$ select * from public.notes $$;
  revoke execute on function public.export_notes() from anon, authenticated;
`;

let database: TestDatabase;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables: ['notes'] } });

/** Runs statements as clinic_import in a transaction rolled back afterwards (PGlite is one session, shared with the collector). */
async function asCaller<T>(statements: string, query: string): Promise<T[]> {
  await database.db.exec(`begin; set local role clinic_import; ${statements}`);
  try {
    return (await database.db.query<T>(query)).rows;
  } finally {
    await database.db.exec('rollback');
  }
}

beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + SQL);
}, 60_000);
afterAll(async () => database?.stop());

describe('app.db.definer-functions: a set search_path that does not hold (PGlite over pg)', () => {
  it('a temporary table of the caller takes the place of the audit table of a definer trigger pinned to public', async () => {
    const rows = await asCaller<{ audited: number; diverted: number }>(
      'create temp table note_audit (note_id int, by_user text); insert into public.notes (id, body) values (1, $$x$$); reset role;',
      'select (select count(*)::int from public.note_audit) as audited, (select count(*)::int from pg_temp.note_audit) as diverted',
    );
    expect(rows).toEqual([{ audited: 0, diverted: 1 }]);
  });

  it("with search_path = '' a temporary domain of the caller runs the caller's code as the function's owner", async () => {
    const rows = await asCaller<{ valid: boolean }>(
      `create function pg_temp.as_owner(t text) returns boolean language sql as $$ select current_user::text = 'postgres' $$;
       create domain pg_temp.uuid as text check (pg_temp.as_owner(value));`,
      `select public.is_note_id('not a uuid') as valid`,
    );
    expect(rows).toEqual([{ valid: true }]);
  });

  it('a lower(varchar) planted in public runs as the owner of a definer trigger, and as whoever calls an invoker function', async () => {
    const rows = await asCaller<{ email: string; key: string }>(
      `create function public.lower(varchar) returns text language sql as $$ select current_user::text $$;
       insert into public.notes (id, email) values (2, 'Ann@Example.org');
       reset role;`,
      `select (select email from public.notes where id = 2) as email, public.email_key('Ann@Example.org') as key`,
    );
    expect(rows).toEqual([{ email: 'postgres', key: 'postgres' }]);
  });

  it('the collector records the schemas of each search_path in which PUBLIC or an API role may create', async () => {
    const run = await collectForChecks([definerFunctions], config());
    const outcome = run.outcomes.get(databaseSchema.id);
    if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
    const functions = (outcome.value as { functions: DatabaseFunction[] }).functions;
    expect(Object.fromEntries(functions.map((fn) => [fn.name, [fn.searchPath, fn.searchPathWritable]]))).toEqual({
      audit_note: ['public', ['public']],
      count_notes: ['pg_catalog, pg_temp', []],
      email_key: ['public', ['public']],
      export_notes: ['pg_catalog, pg_temp', []],
      is_note_id: ['""', []],
      normalize_email: ['public, pg_temp', ['public']],
    });
  });

  it('only the function pinned with pg_temp last, in schemas no caller may create in, passes', async () => {
    const run = await collectForChecks([definerFunctions], config());
    expect(run.results(definerFunctions)).toEqual([
      ['public.audit_note()', 'fail', 'temp-schema-first'],
      ['public.count_notes()', 'pass', 'definer-fixed'],
      ['public.email_key(e character varying)', 'fail', 'writable-search-path'],
      // Revoking from anon and authenticated is not enough: PUBLIC's EXECUTE reaches them.
      ['public.export_notes()', 'fail', 'definer-exposed'],
      ['public.is_note_id(p text)', 'fail', 'temp-schema-first'],
      ['public.normalize_email()', 'fail', 'writable-search-path'],
    ]);
  });
});
