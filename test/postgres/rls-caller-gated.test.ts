import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rlsPolicies from '../../checks/application/app.db.rls-policies.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';
import { AUTH_UID_SQL, startDatabase, SUPABASE_BASE_SQL, tablesWithPolicies, type TestDatabase } from '../support/supabase-postgres.js';

/** One PHI table per policy: `name` → the policy's `for … to … using (…)` clause, and the verdict expected. */
const POLICIES: Record<string, [string, string]> = {
  // Depends on nothing: every caller the policy names sees every row.
  literal_true: ['to anon using (true)', 'fail always-true'],
  one_is_one: ['to authenticated using (1 = 1)', 'fail always-true'],
  select_true: ['to anon using ((select true))', 'fail always-true'],
  // Only asks that there is a signed-in caller: every signed-in user sees every row.
  uid_not_null: ['to authenticated using (auth.uid() is not null)', 'fail always-true'],
  uid_subselect_not_null: ['to authenticated using ((select auth.uid()) is not null)', 'fail always-true'],
  jwt_not_null: ['to authenticated using (auth.jwt() is not null)', 'fail always-true'],
  role_authenticated: ["to authenticated using (auth.role() = 'authenticated')", 'fail always-true'],
  role_subselect: ["to public using ((select auth.role()) = 'authenticated')", 'fail always-true'],
  current_user_authenticated: ["to authenticated using (current_user = 'authenticated')", 'fail always-true'],
  any_user_exists: ['to authenticated using (exists (select 1 from auth.users u where u.id = auth.uid()))', 'fail always-true'],
  insert_signed_in: ['for insert to authenticated with check (auth.uid() is not null)', 'fail always-true'],
  // Admit some callers (staff) to every row, by design: readiness cannot tell whom, so unverified, never pass.
  is_admin: ['to authenticated using (public.is_admin())', 'unverified caller-gated'],
  staff_lookup: ['to authenticated using (exists (select 1 from public.staff where staff.user_id = auth.uid()))', 'unverified caller-gated'],
  jwt_claim: ["to authenticated using ((auth.jwt() ->> 'app_role') = 'clinician')", 'unverified caller-gated'],
  // A function that returns true for everyone looks the same as is_admin(): unverified, not pass.
  hostile_yes: ['to anon using (public.yes())', 'unverified caller-gated'],
  // A function, even one of Postgres: the collector does not sort functions by what they read.
  clock: ["to anon using (now() > '2000-01-01')", 'unverified caller-gated'],
  // is_admin() beside a comparison with the row: per row.
  admin_own_rows: ['to authenticated using (public.is_admin() or owner = auth.uid())', 'pass has-policies'],
};

const SQL = `
  create function auth.uid() returns uuid language sql stable set search_path = '' as $$ select null::uuid $$;
  create function auth.jwt() returns jsonb language sql stable set search_path = '' as $$ select null::jsonb $$;
  create function auth.role() returns text language sql stable set search_path = '' as $$ select 'anon'::text $$;
  grant usage on schema auth to anon, authenticated;
  create table public.staff (user_id uuid primary key);
  create function public.is_admin() returns boolean language sql stable security definer set search_path = '' as $$
    select exists (select 1 from public.staff where user_id = auth.uid()) $$;
  create function public.yes() returns boolean language sql stable set search_path = '' as $$ select true $$;
  ${tablesWithPolicies(Object.fromEntries(Object.entries(POLICIES).map(([name, [clause]]) => [name, clause])))}
`;

let database: TestDatabase;
beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + AUTH_UID_SQL + SQL);
}, 60_000);
afterAll(async () => database?.stop());

describe('app.db.rls-policies: policies that admit callers by who they are (PGlite, real collector)', () => {
  it('fails constant and signed-in-only conditions, leaves caller-gated ones unverified, never passes a row-independent one', async () => {
    const config: Partial<ConfigInput> = { supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables: Object.keys(POLICIES) } };
    const run = await collectForChecks([rlsPolicies], config);
    const verdicts = Object.fromEntries(
      run
        .results(rlsPolicies)
        .filter(([resource]) => resource !== 'public.staff')
        .map(([resource, status, code]) => [resource.replace(/^public\./, ''), `${status} ${code}`]),
    );
    expect(verdicts).toEqual(Object.fromEntries(Object.entries(POLICIES).map(([name, [, verdict]]) => [name, verdict])));
  });
});
