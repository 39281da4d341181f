import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import extensions from '../../checks/application/app.db.extensions.js';
import migrationsApplied from '../../checks/supabase/supabase.migrations.applied.js';
import { migrationHash } from '../../src/collectors/supabase/local.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks, type SupabaseRun } from '../support/supabase-collect.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

const INIT = '20250101000000';
const FUNCTIONS = '20250102000000';
const LEGACY = '20250103000000';

/** The file of INIT as it was applied. */
const INIT_SQL = '-- Notes\r\ncreate table public.notes (id int primary key, body text);\r\n';
/**
 * A file the CLI splits on semicolons outside quotes and comments, trimming each statement
 * (pkg/parser SplitAndTrim); FUNCTIONS_STATEMENTS is what `supabase db push` recorded for it.
 */
const FUNCTIONS_SQL = `/* helpers; v1 */
create function public.touch() returns trigger language plpgsql as $$
begin
  new.body := trim(new.body); -- no blank notes;
  return new;
end $$;

;
create policy "own; notes" on public.notes for select using (true);   -- later: revoke all on public.notes from anon
`;
const FUNCTIONS_STATEMENTS = [
  '/* helpers; v1 */\ncreate function public.touch() returns trigger language plpgsql as $$\nbegin\n  new.body := trim(new.body); -- no blank notes;\n  return new;\nend $$',
  'create policy "own; notes" on public.notes for select using (true)',
  '-- later: revoke all on public.notes from anon',
];

const valueOf = (run: SupabaseRun, id: string): unknown => {
  const outcome = run.outcomes.get(id);
  if (!outcome?.ok) throw new Error(`${id} was not collected`);
  return outcome.value;
};
const array = (statements: string[]) => `array[${statements.map((s) => `'${s.replaceAll("'", "''")}'`).join(', ')}]::text[]`;

let database: TestDatabase;
let projectDir: string;
const migrations = () => join(projectDir, 'supabase/migrations');

const config = (over: Partial<NonNullable<ConfigInput['supabase']>> = {}): Partial<ConfigInput> => ({
  supabase: { projectRef: PROJECT_REF, dbUrl: database.url, migrationsDir: 'supabase/migrations', ...over },
});

beforeAll(async () => {
  database = await startDatabase(`${SUPABASE_BASE_SQL}
    delete from supabase_migrations.schema_migrations;
    insert into supabase_migrations.schema_migrations (version, name, statements) values
      ('${INIT}', 'init', ${array(['-- Notes\r\ncreate table public.notes (id int primary key, body text)'])}),
      ('${FUNCTIONS}', 'functions', ${array(FUNCTIONS_STATEMENTS)});
  `);
  projectDir = await mkdtemp(join(tmpdir(), 'readiness-migrations-'));
  await mkdir(migrations(), { recursive: true });
}, 60_000);
afterAll(async () => {
  await database?.stop();
  await rm(projectDir, { recursive: true, force: true });
});

describe('supabase.migrations.applied compares each applied file with the statements the database ran', () => {
  it('files as they were applied pass', async () => {
    await writeFile(join(migrations(), `${INIT}_init.sql`), INIT_SQL);
    await writeFile(join(migrations(), `${FUNCTIONS}_functions.sql`), FUNCTIONS_SQL);
    const run = await collectForChecks([migrationsApplied], config(), { baseDir: projectDir });
    expect(run.results(migrationsApplied)).toEqual([[PROJECT_REF, 'pass', 'applied']]);
  });

  it('an applied file edited afterwards (RLS added) fails, naming the file', async () => {
    await writeFile(join(migrations(), `${INIT}_init.sql`), `${INIT_SQL}alter table public.notes enable row level security;\r\n`);
    try {
      const run = await collectForChecks([migrationsApplied], config(), { baseDir: projectDir });
      expect(run.results(migrationsApplied)).toEqual([[PROJECT_REF, 'fail', 'edited-after-apply']]);
      const [finding] = migrationsApplied.evaluate(
        { local: valueOf(run, 'supabase.migrations.local'), remote: valueOf(run, 'supabase.migrations.remote') } as never,
        { config: { supabase: { projectRef: PROJECT_REF } } as never, now: new Date() },
      );
      expect(finding?.args).toMatchObject({ edited: `${INIT}_init.sql` });
    } finally {
      await writeFile(join(migrations(), `${INIT}_init.sql`), INIT_SQL);
    }
  });

  it('a line break added to an applied file (a statement taken out of its comment) fails', async () => {
    await writeFile(join(migrations(), `${FUNCTIONS}_functions.sql`), FUNCTIONS_SQL.replace('-- later: revoke', '-- later:\nrevoke'));
    try {
      const run = await collectForChecks([migrationsApplied], config(), { baseDir: projectDir });
      expect(run.results(migrationsApplied)).toEqual([[PROJECT_REF, 'fail', 'edited-after-apply']]);
    } finally {
      await writeFile(join(migrations(), `${FUNCTIONS}_functions.sql`), FUNCTIONS_SQL);
    }
  });

  it('a version applied without its statements recorded is unverified, never pass', async () => {
    await database.db.exec(`insert into supabase_migrations.schema_migrations (version, name) values ('${LEGACY}', 'legacy');`);
    await writeFile(join(migrations(), `${LEGACY}_legacy.sql`), 'alter table public.notes enable row level security;\n');
    try {
      const run = await collectForChecks([migrationsApplied], config(), { baseDir: projectDir });
      expect(run.results(migrationsApplied)).toEqual([[PROJECT_REF, 'unverified', 'content-unrecorded']]);
    } finally {
      await rm(join(migrations(), `${LEGACY}_legacy.sql`));
      await database.db.exec(`delete from supabase_migrations.schema_migrations where version = '${LEGACY}';`);
    }
  });
});

describe('migrationHash', () => {
  const file = 'create function f() returns int language sql\nbegin atomic\n  select 1;\nend;\n\ngrant execute on function f() to authenticated;\n';
  it('is the same however a CLI version split the file (BEGIN ATOMIC kept whole or cut at its semicolons, or the file as one statement)', () => {
    const whole = ['create function f() returns int language sql\nbegin atomic\n  select 1;\nend', 'grant execute on function f() to authenticated'];
    const cut = ['create function f() returns int language sql\nbegin atomic\n  select 1', 'end', 'grant execute on function f() to authenticated'];
    expect(migrationHash(whole)).toBe(migrationHash(file));
    expect(migrationHash(cut)).toBe(migrationHash(file));
    expect(migrationHash([file.trim()])).toBe(migrationHash(file));
  });
  it('differs when a statement changes, even by whitespace alone outside the separators', () => {
    expect(migrationHash(file.replace('authenticated', 'anon'))).not.toBe(migrationHash(file));
    expect(migrationHash(file.replace('language sql\n', 'language sql '))).not.toBe(migrationHash(file));
  });
});

describe('app.db.extensions counts every schema the Data API exposes', () => {
  it('an extension in an exposed schema other than public fails, required or not', async () => {
    await database.db.exec(`
      create schema api;
      alter extension pgcrypto set schema api;
      alter role authenticator set pgrst.db_schemas = 'public, graphql_public, api';
    `);
    try {
      const required = await collectForChecks([extensions], config(), { baseDir: projectDir });
      expect(required.results(extensions)).toEqual([
        ['pgcrypto', 'fail', 'exposed'],
        ['uuid-ossp', 'pass', 'installed'],
      ]);
      const notRequired = await collectForChecks([extensions], config({ requiredExtensions: ['uuid-ossp'] }), { baseDir: projectDir });
      expect(notRequired.results(extensions)).toEqual([
        ['uuid-ossp', 'pass', 'installed'],
        ['pgcrypto', 'fail', 'exposed'],
      ]);
    } finally {
      await database.db.exec(`
        alter extension pgcrypto set schema extensions;
        alter role authenticator set pgrst.db_schemas = 'public, graphql_public';
        drop schema api;
      `);
    }
  });
});
