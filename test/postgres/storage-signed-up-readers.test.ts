import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import publicBuckets from '../../checks/supabase/supabase.storage.public-buckets.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { collectForChecks, TEST_NOW } from '../support/supabase-collect.js';
import { makeConfig, runCase } from '../support/check-tester.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../support/supabase-postgres.js';

/**
 * A private bucket is private from anon only: in Supabase anyone can create an account (unless sign-ups are
 * disabled) and then calls the Storage API as `authenticated`. A policy that admits authenticated to every file
 * of a bucket hands the files to every stranger who signs up.
 */
const STORAGE_SQL = `
  create function auth.uid() returns uuid language sql stable as $$ select nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), '')::uuid $$;
  create function auth.role() returns text language sql stable as $$ select current_user::text $$;
  create function public.is_staff() returns boolean language sql stable as $$ select false $$;
  grant usage on schema auth to anon, authenticated, service_role;
  create function storage.foldername(name text) returns text[] language sql immutable as $$ select pg_catalog.string_to_array(name, '/') $$;
  create table storage.objects (id uuid primary key default extensions.gen_random_uuid(), bucket_id text references storage.buckets, name text, owner uuid, owner_id text, metadata jsonb);
  alter table storage.objects enable row level security;
  grant usage on schema storage to anon, authenticated, service_role;
  grant all on storage.objects to anon, authenticated, service_role;
  insert into storage.buckets (id, name, public) values ('clinical-docs', 'clinical-docs', false);
  insert into storage.objects (bucket_id, name, owner) values ('clinical-docs', 'p1/intake.pdf', extensions.gen_random_uuid()), ('clinical-docs', 'p2/labs.pdf', extensions.gen_random_uuid());
  create role staff nologin;
  grant staff to authenticated;
`;

const authPath = `/v1/projects/${PROJECT_REF}/config/auth`;
let database: TestDatabase;
let server: ManagementApiServer;
beforeAll(async () => {
  [database, server] = await Promise.all([startDatabase(SUPABASE_BASE_SQL + STORAGE_SQL), startManagementApi(projectRoutes({ auth: { disable_signup: false } }))]);
}, 60_000);
afterAll(async () => {
  await database?.stop();
  await server?.stop();
});

const config = (publicBucketsList = ['avatars']): Partial<ConfigInput> => ({
  supabase: { projectRef: PROJECT_REF, dbUrl: database.url, accessToken: 'test-token', apiUrl: server.url, publicBuckets: publicBucketsList },
});

/** Sign-ups as the Auth config answers them (`undefined`: the field is left out of the answer). */
function signUps(disableSignup: boolean | null | undefined): void {
  const body: Record<string, unknown> = { ...(projectRoutes()[authPath] as Record<string, unknown>), disable_signup: disableSignup };
  if (disableSignup === undefined) delete body.disable_signup;
  server.script(authPath, { status: 200, body });
}

/** What the engine lets a stranger who just signed up read of clinical-docs (a fresh user id, role authenticated). */
async function strangerReads(): Promise<number> {
  try {
    const [, , result] = await database.db.exec(
      `set role authenticated; select pg_catalog.set_config('request.jwt.claim.sub', '0b5e7d9c-1a2b-4c3d-8e9f-a0b1c2d3e4f5', false); select pg_catalog.count(*)::int as n from storage.objects where bucket_id = 'clinical-docs';`,
    );
    return (result?.rows[0] as { n: number }).n;
  } catch {
    return 0;
  } finally {
    await database.db.exec(`reset role; select pg_catalog.set_config('request.jwt.claim.sub', '', false);`);
  }
}

async function withPolicy<T>(clause: string, run: () => Promise<T>): Promise<T> {
  await database.db.exec(`create policy probe on storage.objects ${clause};`);
  try {
    return await run();
  } finally {
    await database.db.exec('drop policy probe on storage.objects;');
  }
}

const verdict = async (publicBucketsList?: string[]) => (await collectForChecks([publicBuckets], config(publicBucketsList))).results(publicBuckets).find(([resource]) => resource === 'clinical-docs');

/** What the shell passes to psql for a word written by shellWord. */
const unquoteShellWord = (word: unknown): string => String(word).slice(1, -1).replaceAll(`'\\''`, `'`);

/** Policies through which every signed-up user reads every file of clinical-docs. */
const EVERY_USER: Record<string, string> = {
  'to authenticated, on the bucket': `for select to authenticated using (bucket_id = 'clinical-docs')`,
  'to a role authenticated is a member of': `for select to staff using (bucket_id = 'clinical-docs')`,
  'to public, only signed-in callers': `for select to public using (bucket_id = 'clinical-docs' and auth.role() = 'authenticated')`,
  'auth.uid() is not null': `for select to authenticated using (bucket_id = 'clinical-docs' and auth.uid() is not null)`,
  'for all, using (true)': `for all to authenticated using (true)`,
  'a folder name and metadata constant': `for select to authenticated using (bucket_id = 'clinical-docs' and name like 'p%' and metadata is null)`,
};

/** Policies that may mention the user and still admit strangers: never a pass. */
const NOT_PASS: Record<string, string> = {
  'owner test that fails open': `for select to authenticated using (bucket_id = 'clinical-docs' and (owner = auth.uid() or true))`,
  'an owner test or-ed with any signed-in user': `for select to authenticated using (bucket_id = 'clinical-docs' and (owner = auth.uid() or auth.uid() is not null))`,
  'owner is not null': `for select to authenticated using (bucket_id = 'clinical-docs' and owner is not null)`,
};

describe('supabase.storage.public-buckets: files every signed-up user reads (PGlite + Management API stand-in, real collectors)', () => {
  it('reproduces the hole: a private bucket with a select policy to authenticated on the bucket, sign-ups open, fails', async () => {
    signUps(false);
    await withPolicy(`for select to authenticated using (bucket_id = 'clinical-docs')`, async () => {
      expect(await strangerReads()).toBe(2);
      expect(await verdict()).toEqual(['clinical-docs', 'fail', 'signed-up-readable']);
    });
  });

  it.each(Object.entries(EVERY_USER))('fails when sign-ups are open: %s', async (_name, clause) => {
    signUps(false);
    await withPolicy(clause, async () => {
      expect(await strangerReads()).toBe(2);
      expect(await verdict()).toEqual(['clinical-docs', 'fail', 'signed-up-readable']);
    });
  });

  it.each(Object.entries(NOT_PASS))('never passes: %s', async (_name, clause) => {
    signUps(false);
    await withPolicy(clause, async () => {
      expect(await strangerReads()).toBe(2);
      expect((await verdict())?.[1]).not.toBe('pass');
    });
  });

  it('a condition that calls a function cannot be read: unverified, as caller-gated', async () => {
    signUps(false);
    await withPolicy(`for select to authenticated using (bucket_id = 'clinical-docs' and public.is_staff())`, async () => {
      expect(await verdict()).toEqual(['clinical-docs', 'unverified', 'signed-in-caller-gated']);
    });
  });

  it('owners only (owner = auth.uid(), or the first folder is the user id) passes', async () => {
    signUps(false);
    for (const clause of [
      `for select to authenticated using (bucket_id = 'clinical-docs' and owner = auth.uid())`,
      `for select to authenticated using (bucket_id = 'clinical-docs' and (select auth.uid()) = owner)`,
      `for select to authenticated using (bucket_id = 'clinical-docs' and owner_id = auth.uid()::text)`,
      `for select to authenticated using (bucket_id = 'clinical-docs' and (storage.foldername(name))[1] = auth.uid()::text)`,
    ]) {
      await withPolicy(clause, async () => {
        expect(await strangerReads()).toBe(0);
        expect(await verdict()).toEqual(['clinical-docs', 'pass', 'private']);
      });
    }
  });

  it('a policy for another bucket or for service_role only passes', async () => {
    signUps(false);
    await withPolicy(`for select to authenticated using (bucket_id = 'avatars')`, async () => expect(await verdict()).toEqual(['clinical-docs', 'pass', 'private']));
    await withPolicy(`for select using (auth.role() = 'service_role')`, async () => expect(await verdict()).toEqual(['clinical-docs', 'pass', 'private']));
  });

  it('sign-ups disabled: invite-only users read it, which passes and says why', async () => {
    signUps(true);
    await withPolicy(`for select to authenticated using (bucket_id = 'clinical-docs')`, async () => {
      expect(await verdict()).toEqual(['clinical-docs', 'pass', 'invite-only']);
    });
  });

  it.each([
    ['null', null],
    ['absent', undefined],
  ])('disable_signup %s in the Auth config is unverified, never pass', async (_name, value) => {
    signUps(value);
    await withPolicy(`for select to authenticated using (bucket_id = 'clinical-docs')`, async () => {
      expect(await verdict()).toEqual(['clinical-docs', 'unverified', 'sign-ups-unknown']);
    });
  });

  it('the Auth config unread (no access token) is unverified, never pass', async () => {
    await withPolicy(`for select to authenticated using (bucket_id = 'clinical-docs')`, async () => {
      const run = await collectForChecks([publicBuckets], { supabase: { projectRef: PROJECT_REF, dbUrl: database.url } });
      expect(run.results(publicBuckets).find(([resource]) => resource === 'clinical-docs')).toEqual(['clinical-docs', 'unverified', 'sign-ups-unknown']);
    });
  });

  it('an allow-listed bucket keeps its allowance', async () => {
    signUps(false);
    await withPolicy(`for select to authenticated using (bucket_id = 'clinical-docs')`, async () => {
      expect(await verdict(['clinical-docs'])).toEqual(['clinical-docs', 'pass', 'signed-up-readable-allowed']);
    });
  });

  it('anon without SELECT and RLS off: every signed-up user reads every file', async () => {
    signUps(false);
    await database.db.exec('revoke select on storage.objects from anon; alter table storage.objects disable row level security;');
    try {
      expect(await strangerReads()).toBe(2);
      expect(await verdict()).toEqual(['clinical-docs', 'fail', 'signed-up-rls-off']);
    } finally {
      await database.db.exec('grant select on storage.objects to anon; alter table storage.objects enable row level security;');
    }
  });

  it('names the policies, says anyone can sign up, and its fix closes the hole', async () => {
    signUps(false);
    await database.db.exec(`create policy "Staff ""read"" it's" on storage.objects for select to authenticated using (bucket_id = 'clinical-docs');`);
    try {
      const run = await collectForChecks([publicBuckets], config());
      const outcomes = Object.fromEntries(['supabase.storage.buckets', 'supabase.auth'].map((id) => [id, run.outcomes.get(id)]));
      const storage = outcomes['supabase.storage.buckets'];
      if (!storage?.ok) throw new Error('not collected');
      const findings = publicBuckets.evaluate({ storage: storage.value, auth: outcomes['supabase.auth'] } as never, { config: makeConfig(config()), now: TEST_NOW });
      const finding = findings.find((f) => f.resource === 'clinical-docs');
      expect(finding?.args?.policies).toBe(`Staff "read" it's`);
      const message = publicBuckets.meta.messages['signed-up-readable'] ?? '';
      expect(message).toContain('anyone can sign up');
      const sql = unquoteShellWord(finding?.args?.sql);
      expect(sql).toBe(`drop policy "Staff ""read"" it's" on storage.objects;`);
      await database.db.exec(sql);
      expect(await strangerReads()).toBe(0);
      expect(await verdict()).toEqual(['clinical-docs', 'pass', 'private']);
    } finally {
      await database.db.exec(`drop policy if exists "Staff ""read"" it's" on storage.objects;`);
    }
  });
});

describe('supabase.storage.public-buckets: snapshots taken before the signed-in policies were collected', () => {
  it('a private bucket is unverified, never pass', () => {
    const storage = { buckets: [{ id: 'clinical-docs', name: 'clinical-docs', public: false, anonReadPolicies: [] }], rowsHiddenByRls: false, objects: { anonSelect: true, rlsEnabled: true, anonBypassesRls: false } };
    const auth = { ok: true, value: { disableSignup: false } };
    expect(runCase(publicBuckets, { name: 'old snapshot', facts: { storage, auth }, expected: [] })).toEqual([['clinical-docs', 'unverified', 'signed-in-policies-not-read']]);
  });
});
