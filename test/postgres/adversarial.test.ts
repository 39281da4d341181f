import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import auditLogging from '../../checks/application/app.db.audit-logging.js';
import definerFunctions from '../../checks/application/app.db.definer-functions.js';
import extensions from '../../checks/application/app.db.extensions.js';
import rlsEnabled from '../../checks/application/app.db.rls-enabled.js';
import rlsPolicies from '../../checks/application/app.db.rls-policies.js';
import securityDefinerViews from '../../checks/application/app.db.security-definer-views.js';
import sensitiveColumns from '../../checks/application/app.db.sensitive-columns.js';
import publicBuckets from '../../checks/supabase/supabase.storage.public-buckets.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Status } from '../../src/model.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';
import { appSchemaSql, AUTH_UID_SQL, startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

/**
 * A schema in which the anon or authenticated key reaches PHI in every way issue 8 lists, on
 * top of the clean app schema. Each trap must give fail or unverified; the clean tables must
 * keep passing.
 */
const TRAPS_SQL = `
  create schema api;
  grant usage on schema api to anon, authenticated;
  alter default privileges in schema api grant all on tables to anon, authenticated;
  alter role authenticator set pgrst.db_schemas = 'public, graphql_public, api';
  create function auth.jwt() returns jsonb language sql stable set search_path = '' as $$ select '{}'::jsonb $$;

  -- 1. Policies that open every row
  create table public.patient_notes (id int primary key, body text);
  alter table public.patient_notes enable row level security;
  create policy anyone_reads on public.patient_notes for select to anon using (true);
  create table public.lab_orders (id int primary key, lab_result text);
  alter table public.lab_orders enable row level security;
  create policy everyone on public.lab_orders using (1 = 1) with check (1 = 1);
  create table public.referrals (id int primary key, patient_id uuid);
  alter table public.referrals enable row level security;
  create policy admins on public.referrals for all to authenticated using (((auth.jwt() -> 'user_metadata') ->> 'role') = 'admin');

  -- 2. RLS that does not bind
  create table public.anon_owned (id int primary key, ssn text);
  alter table public.anon_owned enable row level security;
  create policy own on public.anon_owned for select to authenticated using (id = 1);
  alter table public.anon_owned owner to anon;
  alter role authenticated bypassrls;

  -- 3. Every relation the API can reach
  create table public.visits (id int, at date, diagnosis text) partition by range (at);
  alter table public.visits enable row level security;
  create policy own_visits on public.visits for select to authenticated using (id = 1);
  create table public.visits_2025 partition of public.visits for values from ('2025-01-01') to ('2026-01-01');
  create foreign data wrapper dummy_fdw;
  create server remote foreign data wrapper dummy_fdw;
  create foreign table public.remote_patients (id int, mrn text) server remote;
  grant select on public.remote_patients to anon;
  create materialized view public.patient_stats as select count(*) as n from public.clients;
  grant select on public.patient_stats to anon, authenticated;

  -- 4. Functions
  create function public.all_notes() returns setof public.clinical_notes language sql security definer set search_path = '' as $$ select * from public.clinical_notes $$;
  create function public.find_client(name text) returns setof public.clients language sql stable as $$ select * from public.clients where first_name = name $$;

  -- 5. Catalog spoofing: a table with RLS off, and a public.pg_class that says every table has RLS
  create table public.spoofed (id int primary key, date_of_birth date);
  create view public.pg_class as
    select oid, relname, relnamespace, relkind, relispartition, relowner, true as relrowsecurity, true as relforcerowsecurity, reloptions from pg_catalog.pg_class;

  -- 6. Audit triggers that do not fire or record nothing
  create table api.clinical_notes (id int primary key, body text);
  alter table api.clinical_notes enable row level security;
  create policy own_api_notes on api.clinical_notes for select to authenticated using (id = 1);
  create table public.billing (id int primary key, amount int);
  alter table public.billing enable row level security;
  create policy own_billing on public.billing for select to authenticated using (id = 1);
  create trigger audit_billing after insert or update or delete on public.billing for each row execute function audit.insert_update_delete_trigger();
  alter table public.billing disable trigger audit_billing;
  create table public.consents (id int primary key, signed boolean);
  alter table public.consents enable row level security;
  create policy own_consents on public.consents for select to authenticated using (id = 1);
  create trigger audit_consents after insert or update or delete on public.consents for each row execute function audit.insert_update_delete_trigger();
  alter table public.consents enable replica trigger audit_consents;
  create function audit.noop() returns trigger language plpgsql set search_path = '' as $$
  begin
    -- insert into audit.record_version ... (not really)
    return new;
  end $$;
  create table public.intake_answers (id int primary key, answers jsonb);
  alter table public.intake_answers enable row level security;
  create policy own_intake on public.intake_answers for select to authenticated using (id = 1);
  create trigger audit_intake after insert or update or delete on public.intake_answers for each row execute function audit.noop();

  -- 7. Declared PHI without PHI-looking columns, and camelCase columns
  create table public.insurance_cards (id int primary key, front_image text);
  create table public."patientRecords" (id int primary key, "dateOfBirth" date);

  -- Wrong fails: an invoker view spelled 't', a table without RLS no API role can reach
  create view public.own_notes with (security_invoker = 't') as select id from public.clinical_notes;
  create table public.internal_jobs (id int primary key, payload text);
  revoke all on public.internal_jobs from anon, authenticated;
`;

const CLEAN_PHI_TABLES = ['clients', 'clinical_notes', 'appointments'];
const TRAP_PHI_TABLES = ['patient_notes', 'billing', 'consents', 'intake_answers', 'insurance_cards'];
const dbChecks = [rlsEnabled, rlsPolicies, sensitiveColumns, securityDefinerViews, auditLogging, extensions, definerFunctions, publicBuckets];

let database: TestDatabase;
const config = (phiTables: string[]): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables, publicBuckets: ['avatars'] } });

async function verdicts(phiTables: string[]): Promise<[string, string, Status, string][]> {
  const run = await collectForChecks(dbChecks, config(phiTables));
  return dbChecks.flatMap((check) => run.results(check).map(([resource, status, code]): [string, string, Status, string] => [check.meta.id, resource, status, code]));
}
const problems = (results: [string, string, Status, string][]) => results.filter(([, , status]) => status === 'fail' || status === 'unverified');

beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + AUTH_UID_SQL + appSchemaSql({ featureFlagsRls: true, clinicalNotesAudited: true }));
}, 60_000);
afterAll(async () => database?.stop());

describe('an adversarial schema (real Postgres engine, PGlite over pg)', () => {
  let clean: [string, string, Status, string][];

  it('the clean schema passes every database check', async () => {
    clean = await verdicts(CLEAN_PHI_TABLES);
    expect(clean.filter(([, , status]) => status !== 'pass')).toEqual([]);
    expect(clean.length).toBe(20);
  });

  it('every trap gives fail or unverified, and the clean tables keep their verdicts', async () => {
    await database.db.exec(TRAPS_SQL);
    // The database user's search_path puts public before pg_catalog (e.g. ALTER ROLE … SET search_path).
    await database.db.exec(`set search_path = public, pg_catalog`);
    const results = await verdicts([...CLEAN_PHI_TABLES, ...TRAP_PHI_TABLES]);
    const failing = problems(results).map(([id, resource, status, code]) => `${id} ${resource} ${status} ${code}`);
    expect(failing).toEqual([
      'app.db.rls-enabled role authenticated fail role-bypasses-rls',
      'app.db.rls-enabled public.anon_owned fail owner-bypasses',
      'app.db.rls-enabled public.insurance_cards fail disabled',
      'app.db.rls-enabled public.patientRecords fail disabled',
      'app.db.rls-enabled public.remote_patients fail foreign-table',
      'app.db.rls-enabled public.spoofed fail disabled',
      'app.db.rls-enabled public.visits_2025 fail disabled',
      'app.db.rls-policies public.lab_orders fail always-true',
      'app.db.rls-policies public.patient_notes fail always-true',
      'app.db.rls-policies public.referrals fail user-metadata',
      'app.db.sensitive-columns public.insurance_cards fail exposed',
      'app.db.sensitive-columns public.patientRecords fail exposed',
      'app.db.sensitive-columns public.remote_patients fail exposed',
      'app.db.sensitive-columns public.spoofed fail exposed',
      'app.db.sensitive-columns public.visits_2025 fail exposed',
      'app.db.security-definer-views public.patient_stats fail materialized',
      'app.db.security-definer-views public.pg_class fail definer',
      'app.db.audit-logging api.clinical_notes fail not-audited',
      'app.db.audit-logging public.patient_notes fail not-audited',
      'app.db.audit-logging public.billing fail disabled-trigger',
      'app.db.audit-logging public.consents fail disabled-trigger',
      'app.db.audit-logging public.intake_answers fail no-op-trigger',
      'app.db.audit-logging public.insurance_cards fail not-audited',
      'app.db.definer-functions public.all_notes() fail definer-exposed',
      'app.db.definer-functions public.find_client(name text) fail mutable-search-path',
    ]);
    // Not wrong fails: security_invoker spelled 't' is true; a table no API role can reach is not a hole.
    expect(results).toContainEqual(['app.db.security-definer-views', 'public.own_notes', 'pass', 'invoker']);
    expect(results).toContainEqual(['app.db.rls-enabled', 'public.internal_jobs', 'not_applicable', 'unreachable']);
    // What passed on the clean schema still passes.
    for (const verdict of clean) expect(results, verdict.join(' ')).toContainEqual(verdict);
  });

  it('storage buckets hidden by RLS from the database user are unverified, not "no bucket"', async () => {
    await database.db.exec(`
      create role readiness_reader nologin;
      grant usage on schema storage to readiness_reader;
      grant select on storage.buckets to readiness_reader;
      alter table storage.buckets enable row level security;
      set role readiness_reader;`);
    try {
      const run = await collectForChecks([publicBuckets], config(CLEAN_PHI_TABLES));
      expect(run.results(publicBuckets)).toEqual([['storage.buckets', 'unverified', 'hidden-by-rls']]);
    } finally {
      await database.db.exec(`reset role; alter table storage.buckets disable row level security;`);
    }
  });
});
