import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mfaEnforced from '../../checks/supabase/supabase.auth.mfa-enforced.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { makeConfig, runCase } from '../support/check-tester.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks, TEST_NOW } from '../support/supabase-collect.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

const own = `create policy own_rows on public.%t for all to authenticated using (owner = auth.uid())`;

/** One PHI table per case: `name` → the statements that set its policies up (`%t` is the table), and the verdict expected. */
const TABLES: Record<string, [string[], string]> = {
  // MFA merely available: a password-only (aal1) session reads every row the owner policy lets it.
  no_aal: [[own], 'fail aal1-reads'],
  // The forms Supabase documents, as restrictive policies for authenticated or every role.
  aal2_subselect: [[own, `create policy mfa on public.%t as restrictive to authenticated using ((select auth.jwt()->>'aal') = 'aal2')`], 'pass required'],
  aal2_plain: [[own, `create policy mfa on public.%t as restrictive using (auth.jwt()->>'aal' = 'aal2')`], 'pass required'],
  aal2_reversed_and_row: [[own, `create policy mfa on public.%t as restrictive to authenticated using ('aal2' = (auth.jwt()->>'aal') and owner is not null)`], 'pass required'],
  // aal2 in a permissive policy does not hold back an aal1 session another permissive policy lets in.
  aal2_permissive: [[own, `create policy mfa on public.%t for select to authenticated using ((auth.jwt()->>'aal') = 'aal2')`], 'fail aal1-reads'],
  // Hostile or careless forms that mention aal2 but let aal1 through.
  aal2_or_true: [[own, `create policy mfa on public.%t as restrictive to authenticated using ((auth.jwt()->>'aal') = 'aal2' or true)`], 'unverified unrecognised'],
  aal2_if_enrolled: [
    [
      own,
      `create policy mfa on public.%t as restrictive to authenticated using (array[(select auth.jwt()->>'aal')] <@ (select case when count(id) > 0 then array['aal2'] else array['aal1', 'aal2'] end from auth.mfa_factors where (select auth.uid()) = user_id and status = 'verified'))`,
    ],
    'unverified unrecognised',
  ],
  aal2_in_string: [[own, `create policy mfa on public.%t as restrictive to authenticated using (owner is not null or 'x = (auth.jwt() ->> ''aal'') = ''aal2''' is not null)`], 'unverified unrecognised'],
  // Held back for reads only: updates and deletes by an aal1 session still go through.
  aal2_select_only: [[own, `create policy mfa on public.%t as restrictive for select to authenticated using ((auth.jwt()->>'aal') = 'aal2')`], 'fail aal1-writes'],
  // Restrictive for anon only: authenticated is not bound.
  aal2_for_anon: [[own, `create policy mfa on public.%t as restrictive to anon using ((auth.jwt()->>'aal') = 'aal2')`], 'fail aal1-reads'],
  // An ALL policy with its own WITH CHECK: inserts are judged by that, not by the aal2 USING.
  aal2_insert_open: [[own, `create policy mfa on public.%t as restrictive to authenticated using ((auth.jwt()->>'aal') = 'aal2') with check (true)`], 'fail aal1-writes'],
  // Signed-in users reach no row: nothing to require aal2 for.
  service_only: [[], 'not_applicable not-reachable'],
};

const SQL = `
  create function auth.uid() returns uuid language sql stable set search_path = '' as $$ select null::uuid $$;
  create function auth.jwt() returns jsonb language sql stable set search_path = '' as $$ select null::jsonb $$;
  grant usage on schema auth to anon, authenticated;
  create table auth.mfa_factors (id uuid primary key, user_id uuid, status text);
  ${Object.entries(TABLES)
    .map(([name, [statements]]) =>
      [`create table public.${name} (id int primary key, owner uuid, diagnosis text)`, `alter table public.${name} enable row level security`, ...statements.map((s) => s.replaceAll('%t', name))].join(';\n'),
    )
    .join(';\n')};
  create table public.rls_off (id int primary key, owner uuid, diagnosis text);
`;

let database: TestDatabase;
beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + SQL);
}, 60_000);
afterAll(async () => database?.stop());

describe('supabase.auth.mfa-enforced: a password-only session must not reach PHI (PGlite, real collector)', () => {
  it('passes only a restrictive aal2 condition that binds authenticated on every command it may run', async () => {
    const config: Partial<ConfigInput> = { supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables: [...Object.keys(TABLES), 'rls_off'] } };
    const run = await collectForChecks([mfaEnforced], config);
    const verdicts = Object.fromEntries(run.results(mfaEnforced).map(([resource, status, code]) => [resource.replace(/^public\./, ''), `${status} ${code}`]));
    expect(verdicts).toEqual({ ...Object.fromEntries(Object.entries(TABLES).map(([name, [, verdict]]) => [name, verdict])), rls_off: 'fail rls-off' });
  });

  it('the fix, pasted, creates the policy that makes the check pass', async () => {
    const config: Partial<ConfigInput> = { supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables: ['no_aal'] } };
    const before = await collectForChecks([mfaEnforced], config);
    const outcomes = before.outcomes;
    const result = evaluateCheck(mfaEnforced, outcomes, { config: makeConfig(config), now: TEST_NOW }).find((r) => r.resource === 'public.no_aal');
    expect(result!.remediation.command).toBe(`psql "$SUPABASE_DB_URL" -c 'create policy "require_aal2" on "public"."no_aal" as restrictive to authenticated using ((select auth.jwt() ->> '\\''aal'\\'') = '\\''aal2'\\'');'`);
    await database.db.exec(`create policy "require_aal2" on "public"."no_aal" as restrictive to authenticated using ((select auth.jwt() ->> 'aal') = 'aal2');`);
    const after = await collectForChecks([mfaEnforced], config);
    expect(after.results(mfaEnforced)).toContainEqual(['public.no_aal', 'pass', 'required']);
  });
});

describe('supabase.auth.mfa-enforced on facts', () => {
  const policy = (over: Record<string, unknown>) => ({ name: 'p', command: 'ALL', permissive: true, roles: ['authenticated'], using: 'true', withCheck: null, usingConstant: false, withCheckConstant: false, ...over });
  const table = (policies: Record<string, unknown>[], over: Record<string, unknown> = {}) => ({
    schema: 'public', name: 'clients', kind: 'table', owner: 'postgres', rlsEnabled: true, rlsForced: false, policies, apiAccess: ['anon', 'authenticated'], columns: ['id'], triggers: [], ...over,
  });
  const schema = (tables: unknown[]) => ({ exposedSchemas: ['public'], tables, views: [], functions: [], apiRoles: [], extensions: [], pgaudit: { installed: false, log: null, roleLog: [], server: null, settings: [] } });
  const phi = { supabase: { projectRef: PROJECT_REF, phiTables: ['clients'] } };

  it.each([
    // A snapshot from before usingAal was collected: the aal2 policy cannot be told from any other, never pass.
    { name: 'policies without usingAal are unverified', facts: { schema: schema([table([policy({ usingAal: undefined }), policy({ name: 'mfa', permissive: false, using: "((auth.jwt() ->> 'aal'::text) = 'aal2'::text)" })])]) }, config: phi, expected: [['public.clients', 'unverified', 'not-collected']] },
    { name: 'no table known to hold PHI is unverified', facts: { schema: schema([table([], { columns: ['id', 'name'] })]) }, config: { supabase: { projectRef: PROJECT_REF } }, expected: [['database', 'unverified', 'phi-undeclared']] },
    { name: 'declared PHI tables that are not exposed are not applicable', facts: { schema: schema([table([], { schema: 'private' })]) }, config: phi, expected: [['database', 'not_applicable', 'no-phi-tables']] },
    { name: 'a foreign table is never under RLS', facts: { schema: schema([table([policy({ usingAal: 'none' })], { kind: 'foreign' })]) }, config: phi, expected: [['public.clients', 'fail', 'rls-off']] },
  ])('$name', (c) => expect(runCase(mfaEnforced, { ...c, expected: c.expected as never })).toEqual(c.expected));

  it('reads the schema fact', () => expect(Object.values(mfaEnforced.facts)).toContain(databaseSchema));
});
