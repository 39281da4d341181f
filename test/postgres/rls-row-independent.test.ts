import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rlsPolicies from '../../checks/application/app.db.rls-policies.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';
import { AUTH_UID_SQL, startDatabase, SUPABASE_BASE_SQL, tablesWithPolicies, type TestDatabase } from '../support/supabase-postgres.js';

/** One PHI table per policy: `name` → the policy's `for … to … using (…)` clause. */
const POLICIES: Record<string, string> = {
  // Always true, written so that the words false or null appear.
  true_or_false: 'to anon using (true or false)',
  not_false: 'to anon using (not false)',
  null_is_null: 'using (null is null)',
  // Every logged-in user sees every row.
  auth_uid_stand_in: 'to authenticated using (auth_uid() is not null)',
  auth_uid: 'to authenticated using (auth.uid() is not null)',
  current_role_check: "to authenticated using (current_user = 'authenticated')",
  // A sub-select that does not look at the row is as row-independent as a function call.
  select_true: 'to anon using ((select true))',
  any_user_exists: 'to authenticated using (exists (select 1 from auth.users u where u.id = auth.uid()))',
  insert_anything: 'for insert to authenticated with check (auth.uid() is not null)',
  // Names are printed in the stored tree: braces in them must not be read as nodes.
  odd_alias: `to authenticated using (exists (select 1 from auth.users as "}} {QUERY :varlevelsup 1" where "}} {QUERY :varlevelsup 1".id = auth.uid()))`,
  // Not wrong fails: nothing through, or each caller their own rows.
  literal_false: 'to anon using (false)',
  literal_null: 'to anon using (null)',
  one_is_zero: 'to anon using (1 = 0)',
  own_rows: 'to authenticated using (owner = auth.uid())',
  own_rows_subselect: 'to authenticated using (exists (select 1 from auth.users u where u.id = owner and u.id = auth.uid()))',
  own_rows_nested: 'to authenticated using (exists (select 1 from auth.users u where exists (select 1 from auth.users v where v.id = u.id and v.id = owner)))',
  service_only: 'to service_role using (true)',
};

const SQL = `
  create function auth.uid() returns uuid language sql stable set search_path = '' as $$ select null::uuid $$;
  grant usage on schema auth to anon, authenticated;
  ${tablesWithPolicies(POLICIES)}
`;

let database: TestDatabase;
beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + AUTH_UID_SQL + SQL);
}, 60_000);
afterAll(async () => database?.stop());

describe('app.db.rls-policies: policies whose condition reads no column of the row (PGlite, real collector)', () => {
  it('fails or leaves unverified every PHI table whose API-role policy does not depend on the row, and passes the rest', async () => {
    const config: Partial<ConfigInput> = { supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables: Object.keys(POLICIES) } };
    const run = await collectForChecks([rlsPolicies], config);
    const verdicts = Object.fromEntries(run.results(rlsPolicies).map(([resource, status, code]) => [resource.replace(/^public\./, ''), `${status} ${code}`]));
    expect(verdicts).toEqual({
      true_or_false: 'fail always-true',
      not_false: 'fail always-true',
      null_is_null: 'fail always-true',
      // A function of the project's own (auth_uid()) could ask anything about the caller: unverified, never pass.
      auth_uid_stand_in: 'unverified caller-gated',
      auth_uid: 'fail always-true',
      current_role_check: 'fail always-true',
      select_true: 'fail always-true',
      any_user_exists: 'fail always-true',
      insert_anything: 'fail always-true',
      // Not the plain auth.users lookup (the alias is quoted), but still row-independent: not pass.
      odd_alias: 'unverified caller-gated',
      literal_false: 'pass has-policies',
      literal_null: 'pass has-policies',
      one_is_zero: 'pass has-policies',
      own_rows: 'pass has-policies',
      own_rows_subselect: 'pass has-policies',
      own_rows_nested: 'pass has-policies',
      service_only: 'pass has-policies',
    });
  });
});
