import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import securityDefinerViews from '../../checks/application/app.db.security-definer-views.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

/**
 * Invoker views in the exposed schema public reading tables of the unexposed schema private: the view runs with the
 * caller's rights, so a base table without RLS that the caller may read gives every row to anon or authenticated.
 */
const SQL = `
  create schema private;
  grant usage on schema private to authenticated;
  create table private.patients (id int primary key, full_name text, date_of_birth date);
  grant select on private.patients to authenticated;
  create view public.patient_summary with (security_invoker = true) as select id, full_name from private.patients;

  -- RLS on the base table: the caller sees what its policies let it.
  create table private.own_records (id int primary key, owner uuid, diagnosis text);
  alter table private.own_records enable row level security;
  create policy own on private.own_records for select to authenticated using (owner = auth.uid());
  grant select on private.own_records to authenticated;
  create view public.my_records with (security_invoker = true) as select id, diagnosis from private.own_records;

  -- No PHI in the base table: RLS off there is app.db.rls-enabled's business, not a PHI leak.
  create table private.clinic_hours (id int primary key, opens time);
  grant select on private.clinic_hours to authenticated;
  create view public.opening_times with (security_invoker = true) as select id, opens from private.clinic_hours;

  -- No API role holds a privilege on the base table (safe), but apiAccess cannot tell that from SELECT without USAGE.
  create table private.staff_notes (id int primary key, diagnosis text);
  create view public.staff_view with (security_invoker = true) as select id from private.staff_notes;

  -- SELECT without USAGE on the schema still reads through an invoker view: privileges on the view's relations are checked, schema lookups are not.
  create schema vault;
  create table vault.charts (id int primary key, ssn text);
  grant select on vault.charts to authenticated;
  create view public.chart_ids with (security_invoker = true) as select id from vault.charts;
`;

let database: TestDatabase;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables: ['private.patients', 'private.own_records', 'private.staff_notes'] } });

beforeAll(async () => {
  database = await startDatabase(
    SUPABASE_BASE_SQL + `create function auth.uid() returns uuid language sql stable set search_path = '' as $$ select null::uuid $$; grant usage on schema auth to anon, authenticated;` + SQL,
  );
}, 60_000);
afterAll(async () => database?.stop());

describe('app.db.security-definer-views: invoker views over tables of other schemas (PGlite over pg)', () => {
  it('the database really gives every patient row to authenticated through the invoker view', async () => {
    await database.db.exec('set role authenticated');
    try {
      expect((await database.db.query('select * from public.patient_summary')).rows).toEqual([]);
      await database.db.exec('reset role; insert into private.patients values (1, $$Ann$$, $$1970-01-01$$), (2, $$Bob$$, $$1980-01-01$$); set role authenticated');
      expect((await database.db.query('select * from public.patient_summary')).rows).toHaveLength(2);
    } finally {
      await database.db.exec('reset role');
    }
  });

  it('an invoker view reading a PHI table without RLS that authenticated may read fails', async () => {
    const run = await collectForChecks([securityDefinerViews], config());
    expect(run.results(securityDefinerViews)).toContainEqual(['public.patient_summary', 'fail', 'base-table-rls-off']);
  });

  it('the collector records the base tables of each view and the tables API roles reach in unexposed schemas', async () => {
    const run = await collectForChecks([securityDefinerViews], config());
    const outcome = run.outcomes.get(databaseSchema.id);
    if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
    const schema = outcome.value as { views: { name: string; baseTables?: string[] }[]; tables: { schema: string; name: string; apiAccess: string[] }[] };
    expect(schema.views.find((view) => view.name === 'patient_summary')?.baseTables).toEqual(['private.patients']);
    expect(schema.tables.find((table) => table.schema === 'private' && table.name === 'patients')?.apiAccess).toEqual(['authenticated']);
  });

  it('RLS on the base table, or no PHI in it, passes; grants or base tables not read are unverified, not pass', async () => {
    const run = await collectForChecks([securityDefinerViews], config());
    const results = run.results(securityDefinerViews);
    expect(results).toContainEqual(['public.my_records', 'pass', 'invoker']);
    expect(results).toContainEqual(['public.opening_times', 'pass', 'invoker']);
    expect(results).toContainEqual(['public.staff_view', 'unverified', 'base-table-grants-unknown']);
    expect(results).toContainEqual(['public.chart_ids', 'unverified', 'base-table-not-collected']);
  });
});
