import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import publicBuckets from '../../checks/supabase/supabase.storage.public-buckets.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collectForChecks, TEST_NOW } from '../support/supabase-collect.js';
import { makeConfig } from '../support/check-tester.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

/** storage.objects as Supabase creates it: RLS on, every API role granted everything, access decided by policies. */
const STORAGE_SQL = `
  create function auth.uid() returns uuid language sql stable as $$ select nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), '')::uuid $$;
  create function auth.role() returns text language sql stable as $$ select current_user::text $$;
  grant usage on schema auth to anon, authenticated, service_role;
  create table storage.objects (id uuid primary key default extensions.gen_random_uuid(), bucket_id text references storage.buckets, name text, owner uuid, owner_id text);
  create function storage.foldername(name text) returns text[] language sql immutable as $$ select pg_catalog.string_to_array(name, '/') $$;
  alter table storage.objects enable row level security;
  grant usage on schema storage to anon, authenticated, service_role;
  grant all on storage.objects to anon, authenticated, service_role;
  insert into storage.buckets (id, name, public) values ('scans', 'scans', false), ('logos', 'logos', false);
  insert into storage.objects (bucket_id, name, owner) values ('scans', 'u1/intake.pdf', extensions.gen_random_uuid()), ('logos', 'logo.png', null), ('documents', 'u1/a.pdf', null);
  create role readers nologin;
  grant readers to anon;
`;

let database: TestDatabase;
beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + STORAGE_SQL);
}, 60_000);
afterAll(async () => database?.stop());

const config = (publicBucketsList = ['avatars']): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: database.url, publicBuckets: publicBucketsList } });

/** What the engine itself lets anon read: files of bucket scans, as the Storage API asks for them with the anon key. */
async function anonReadsScans(): Promise<number> {
  try {
    const [, result] = await database.db.exec(`set role anon; select pg_catalog.count(*)::int as n from storage.objects where bucket_id = 'scans';`);
    return (result?.rows[0] as { n: number }).n;
  } catch {
    return 0;
  } finally {
    await database.db.exec('reset role;');
  }
}

async function verdictFor(setup: string, teardown: string, publicBucketsList?: string[]) {
  await database.db.exec(setup);
  try {
    const anonReads = await anonReadsScans();
    const run = await collectForChecks([publicBuckets], config(publicBucketsList));
    const results = run.results(publicBuckets);
    return { anonReads, results, run };
  } finally {
    await database.db.exec(teardown);
  }
}

/** What the shell passes to psql for a word written by shellWord. */
const unquoteShellWord = (word: unknown): string => String(word).slice(1, -1).replaceAll(`'\\''`, `'`);

async function sqlOf(resource: string, publicBucketsList?: string[]): Promise<string> {
  const run = await collectForChecks([publicBuckets], config(publicBucketsList));
  const outcome = run.outcomes.get('supabase.storage.buckets');
  if (!outcome?.ok) throw new Error('supabase.storage.buckets was not collected');
  const findings = publicBuckets.evaluate({ storage: outcome.value } as never, { config: makeConfig(config(publicBucketsList)), now: TEST_NOW });
  return unquoteShellWord(findings.find((finding) => finding.resource === resource)?.args?.sql);
}

const policy = (clause: string) => ({ setup: `create policy probe on storage.objects ${clause};`, teardown: 'drop policy probe on storage.objects;' });

/** Policies through which anon (the key shipped in the browser) reads the private bucket scans. */
const HOSTILE: Record<string, { setup: string; teardown: string }> = {
  'select to anon on the bucket': policy(`for select to anon using (bucket_id = 'scans')`),
  'select to public on the bucket': policy(`for select to public using (bucket_id = 'scans')`),
  'select using (true), no role named': policy(`for select using (true)`),
  'for all to anon': policy(`for all to anon using (bucket_id = 'scans')`),
  'auth.uid() is null (true for anon)': policy(`for select to anon using (bucket_id = 'scans' and auth.uid() is null)`),
  'one of two buckets, or-ed': policy(`for select to anon using (bucket_id = 'logos' or bucket_id = 'scans')`),
  'one of a list of buckets': policy(`for select to anon using (bucket_id in ('logos', 'scans'))`),
  'to a role anon is a member of': policy(`for select to readers using (true)`),
  'an owner test that fails open': policy(`for select to anon using (bucket_id = 'scans' and (owner = auth.uid() or true))`),
  '(select auth.uid()) is null': policy(`for select to anon using (bucket_id = 'scans' and (select auth.uid()) is null)`),
  'a literal that reads like an owner test': policy(`for select to anon using (bucket_id <> 'logos (x) AND (owner = auth.uid())')`),
  'RLS off on storage.objects': { setup: 'alter table storage.objects disable row level security;', teardown: 'alter table storage.objects enable row level security;' },
};

/**
 * Policies that give anon nothing of scans but every signed-in user all of it: anyone can sign up unless sign-ups are
 * disabled, which this run (no Management API token) does not read.
 */
const SIGNED_IN_ONLY: Record<string, { setup: string; teardown: string }> = {
  'auth.role() is authenticated': policy(`for select using (bucket_id = 'scans' and auth.role() = 'authenticated')`),
  'to authenticated only': policy(`for select to authenticated using (true)`),
};

/** Policies that give anon nothing of scans. */
const SAFE: Record<string, { setup: string; teardown: string }> = {
  'no policy at all': { setup: 'select 1;', teardown: 'select 1;' },
  'owner only, to authenticated': policy(`for select to authenticated using (bucket_id = 'scans' and owner = auth.uid())`),
  'another bucket, to anon': policy(`for select to anon using (bucket_id = 'logos')`),
  'owner only, to anon': policy(`for select to anon using (bucket_id = 'scans' and owner = auth.uid())`),
  'owner only through (select auth.uid())': policy(`for select to public using (bucket_id = 'scans' and (select auth.uid()) = owner)`),
  'first folder is the user id': policy(`for select to anon using (bucket_id = 'scans' and (storage.foldername(name))[1] = auth.uid()::text)`),
  '(select auth.role()) is service_role': policy(`for all using ((select auth.role()) = 'service_role')`),
  'using (false)': policy(`for select to anon using (false)`),
  'insert only': policy(`for insert to anon with check (bucket_id = 'scans')`),
  'anon holds no SELECT on storage.objects': {
    setup: `create policy probe on storage.objects for select to anon using (true); revoke select on storage.objects from anon;`,
    teardown: 'drop policy probe on storage.objects; grant select on storage.objects to anon;',
  },
};

describe('supabase.storage.public-buckets: what anon reads of a private bucket through storage.objects (PGlite, real collector)', () => {
  it.each(Object.entries(HOSTILE))('fails the private bucket when anon can read it: %s', async (_name, { setup, teardown }) => {
    const { anonReads, results } = await verdictFor(setup, teardown);
    expect(anonReads).toBeGreaterThan(0);
    expect(results.find(([resource]) => resource === 'scans')?.[1]).toBe('fail');
  });

  it.each(Object.entries(SAFE))('passes the private bucket when anon cannot read it: %s', async (_name, { setup, teardown }) => {
    const { anonReads, results } = await verdictFor(setup, teardown);
    expect(anonReads).toBe(0);
    expect(results.find(([resource]) => resource === 'scans')).toEqual(['scans', 'pass', 'private']);
  });

  it.each(Object.entries(SIGNED_IN_ONLY))('never passes the private bucket every signed-in user reads: %s', async (_name, { setup, teardown }) => {
    const { anonReads, results } = await verdictFor(setup, teardown);
    expect(anonReads).toBe(0);
    expect(results.find(([resource]) => resource === 'scans')).toEqual(['scans', 'unverified', 'sign-ups-unknown']);
  });

  it('names the policies, leaves the other buckets alone, and its fix closes the hole', async () => {
    const setup = `
      create policy "Scans' ""open""" on storage.objects for select to anon using (bucket_id = 'scans');
      create policy logos_read on storage.objects for select to anon using (bucket_id = 'logos');`;
    await database.db.exec(setup);
    try {
      const run = await collectForChecks([publicBuckets], config(['avatars', 'logos']));
      expect(run.results(publicBuckets)).toEqual([
        ['avatars', 'pass', 'public-allowed'],
        ['documents', 'pass', 'private'],
        ['logos', 'pass', 'anon-readable-allowed'],
        ['scans', 'fail', 'anon-readable'],
      ]);
      const outcome = run.outcomes.get('supabase.storage.buckets');
      if (!outcome?.ok) throw new Error('not collected');
      const findings = publicBuckets.evaluate({ storage: outcome.value } as never, { config: makeConfig(config(['avatars', 'logos'])), now: TEST_NOW });
      const scans = findings.find((finding) => finding.resource === 'scans');
      expect(scans?.args?.policies).toBe(`Scans' "open"`);
      // The fix is one shell word: unquote it and run it.
      const sql = unquoteShellWord(scans?.args?.sql);
      expect(sql).toBe(`drop policy "Scans' ""open""" on storage.objects;`);
      await database.db.exec(sql);
      expect(await anonReadsScans()).toBe(0);
      const fixed = await collectForChecks([publicBuckets], config(['avatars', 'logos']));
      expect(fixed.results(publicBuckets)).toContainEqual(['scans', 'pass', 'private']);
    } finally {
      await database.db.exec(`drop policy if exists "Scans' ""open""" on storage.objects; drop policy logos_read on storage.objects;`);
    }
  });

  it('RLS off on storage.objects: the fix turns it back on', async () => {
    await database.db.exec('alter table storage.objects disable row level security;');
    try {
      const run = await collectForChecks([publicBuckets], config());
      expect(run.results(publicBuckets)).toEqual([
        ['avatars', 'pass', 'public-allowed'],
        ['documents', 'fail', 'rls-off'],
        ['logos', 'fail', 'rls-off'],
        ['scans', 'fail', 'rls-off'],
      ]);
      const sql = await sqlOf('scans');
      expect(sql).toBe('alter table storage.objects enable row level security;');
      await database.db.exec(sql);
      expect(await anonReadsScans()).toBe(0);
      expect((await collectForChecks([publicBuckets], config())).results(publicBuckets)).toContainEqual(['scans', 'pass', 'private']);
    } finally {
      await database.db.exec('alter table storage.objects enable row level security;');
    }
  });
});
