import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import auditLogging from '../../checks/application/app.db.audit-logging.js';
import rlsEnabled from '../../checks/application/app.db.rls-enabled.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { renderedMessages } from '../support/check-tester.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

/**
 * Tables whose RLS or audit trigger looks right by name and flags, but does not hold on the engine:
 * an owner whose privileges an API role inherits, a trigger with a WHEN condition, a trigger on UPDATE OF one column.
 */
const SCHEMA_SQL = `
  create role app_owner nologin;
  grant app_owner to authenticated;
  create role app_owner_noinherit nologin;
  grant app_owner_noinherit to anon with inherit false;

  create table public.member_owned (id int primary key, ssn text);
  create table public.member_owned_forced (id int primary key, ssn text);
  create table public.noinherit_owned (id int primary key, ssn text);
  insert into public.member_owned values (1, '123-45-6789');
  insert into public.noinherit_owned values (1, '123-45-6789');
  alter table public.member_owned enable row level security;
  alter table public.member_owned_forced enable row level security;
  alter table public.member_owned_forced force row level security;
  alter table public.noinherit_owned enable row level security;
  create policy nobody on public.member_owned for select to anon, authenticated using (false);
  create policy nobody on public.member_owned_forced for select to anon, authenticated using (false);
  create policy nobody on public.noinherit_owned for select to anon, authenticated using (false);
  alter table public.member_owned owner to app_owner;
  alter table public.member_owned_forced owner to app_owner;
  alter table public.noinherit_owned owner to app_owner_noinherit;
  grant select on public.member_owned, public.member_owned_forced to authenticated;
  grant select on public.noinherit_owned to anon;

  create table public.when_audited (id int primary key, body text);
  create table public.column_audited (id int primary key, body text, diagnosis text);
  create table public.doubly_audited (id int primary key, body text);
  create table public.fully_audited (id int primary key, body text);
  create trigger audit_when after insert or update or delete on public.when_audited
    for each row when (false) execute function audit.insert_update_delete_trigger();
  create trigger audit_body after insert or delete or update of body on public.column_audited
    for each row execute function audit.insert_update_delete_trigger();
  create trigger audit_when after insert or update or delete on public.doubly_audited
    for each row when (false) execute function audit.insert_update_delete_trigger();
  create trigger audit_all after insert or update or delete on public.doubly_audited
    for each row execute function audit.insert_update_delete_trigger();
  create trigger audit_all after insert or update or delete on public.fully_audited
    for each row execute function audit.insert_update_delete_trigger();
`;

const PHI_TABLES = ['when_audited', 'column_audited', 'doubly_audited', 'fully_audited'];

let database: TestDatabase;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables: PHI_TABLES } });

beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + SCHEMA_SQL);
}, 60_000);
afterAll(async () => database?.stop());

/** Rows of the table the role sees, on the engine itself. */
async function visibleTo(role: string, table: string): Promise<number> {
  await database.db.exec(`set role ${role}`);
  try {
    return (await database.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
  } finally {
    await database.db.exec('reset role');
  }
}

describe('app.db.rls-enabled: an owner whose privileges an API role inherits (real Postgres engine)', () => {
  it('a table owned by a role that authenticated inherits fails owner-bypasses unless RLS is forced', async () => {
    // What the engine does: the policy admits nothing, yet authenticated reads the row as the owner.
    expect(await visibleTo('authenticated', 'public.member_owned')).toBe(1);
    expect(await visibleTo('anon', 'public.noinherit_owned')).toBe(0);
    const run = await collectForChecks([rlsEnabled], config());
    const results = run.results(rlsEnabled);
    expect(results).toContainEqual(['public.member_owned', 'fail', 'owner-bypasses']);
    expect(results).toContainEqual(['public.member_owned_forced', 'pass', 'enabled']);
    // A membership without INHERIT gives no owner's privileges: RLS binds anon.
    expect(results).toContainEqual(['public.noinherit_owned', 'pass', 'enabled']);
    const schema = run.outcomes.get('postgres.schema');
    expect(renderedMessages(rlsEnabled, { schema: schema?.ok && schema.value }, config())).toContain(
      'public.member_owned is owned by app_owner, whose privileges authenticated inherits, so RLS does not bind it: FORCE ROW LEVEL SECURITY is off',
    );
  });
});

describe('app.db.audit-logging: triggers that fire only for some writes (real Postgres engine)', () => {
  it('a WHEN condition or an UPDATE OF column list is unverified, not a pass', async () => {
    // What the engine does: the WHEN (false) trigger records nothing; UPDATE OF body misses an update of diagnosis.
    await database.db.exec(`
      insert into public.when_audited values (1, 'x');
      insert into public.column_audited values (1, 'x', 'flu');
      update public.column_audited set diagnosis = 'covid';`);
    const recorded = await database.db.query<{ table_name: string; op: string }>(`select table_name, op from audit.record_version order by id`);
    expect(recorded.rows).toEqual([{ table_name: 'column_audited', op: 'INSERT' }]);

    const run = await collectForChecks([auditLogging], config());
    expect(run.results(auditLogging)).toEqual([
      ['public.when_audited', 'unverified', 'conditional-trigger'],
      ['public.column_audited', 'unverified', 'conditional-trigger'],
      // Another trigger without condition covers every write.
      ['public.doubly_audited', 'pass', 'trigger'],
      ['public.fully_audited', 'pass', 'trigger'],
    ]);
  });
});
