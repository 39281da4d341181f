import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import auditLogging from '../../checks/application/app.db.audit-logging.js';
import rlsEnabled from '../../checks/application/app.db.rls-enabled.js';
import rlsPolicies from '../../checks/application/app.db.rls-policies.js';
import sensitiveColumns from '../../checks/application/app.db.sensitive-columns.js';
import publicBuckets from '../../checks/supabase/supabase.storage.public-buckets.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { makeConfig } from '../support/check-tester.js';
import { POSTGRES_BIN, startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { collectForChecks, failureOf } from '../support/supabase-collect.js';
import { appSchemaSql, AUTH_UID_SQL, SUPABASE_BASE_SQL } from '../support/supabase-postgres.js';

const sh = promisify(execFile);
const HOSTILE = `x'; touch pwned; echo '`;
const QUOTED = 'Patient"Notes';

let server: PostgresServer;
let admin: pg.Client;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: server.url, phiTables: ['clients', 'clinical_notes', 'appointments'], publicBuckets: ['avatars'] } });
const rlsOf = async (name: string) => (await admin.query<{ rls: boolean }>(`select relrowsecurity as rls from pg_class where relname = $1 and relnamespace = 'public'::regnamespace`, [name])).rows[0]?.rls;

beforeAll(async () => {
  server = await startPostgresServer();
  admin = new pg.Client(server.url);
  await admin.connect();
  await admin.query(SUPABASE_BASE_SQL + AUTH_UID_SQL + appSchemaSql({ featureFlagsRls: true, clinicalNotesAudited: true }));
  await admin.query(`create table public."x'; touch pwned; echo '" (id int, ssn text); create table public."Patient""Notes" (id int, diagnosis text);`);
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

describe('PostgreSQL 15 server', () => {
  it('fix commands run through sh -c alter exactly the named table and run nothing else', async () => {
    const run = await collectForChecks([rlsEnabled, sensitiveColumns], config());
    const results = [rlsEnabled, sensitiveColumns].flatMap((check) => evaluateCheck(check, run.outcomes, { config: makeConfig(config()), now: new Date() }));
    const failing = results.filter((result) => result.status === 'fail');
    expect(failing.map((r) => [r.checkId, r.resource]).sort()).toEqual([
      ['app.db.rls-enabled', `public.${QUOTED}`],
      ['app.db.rls-enabled', `public.${HOSTILE}`],
      ['app.db.sensitive-columns', `public.${QUOTED}`],
      ['app.db.sensitive-columns', `public.${HOSTILE}`],
    ]);
    const cwd = await mkdtemp(join(tmpdir(), 'readiness-sh-'));
    try {
      for (const result of failing.filter((r) => r.checkId === 'app.db.rls-enabled')) {
        await sh('sh', ['-c', result.remediation.command!], { cwd, env: { PATH: `${POSTGRES_BIN}:/usr/bin:/bin`, SUPABASE_DB_URL: server.url } });
      }
      expect(await readdir(cwd)).toEqual([]);
      expect(await rlsOf(HOSTILE)).toBe(true);
      expect(await rlsOf(QUOTED)).toBe(true);
      const after = await collectForChecks([rlsEnabled], config());
      expect(after.results(rlsEnabled).filter(([, status]) => status !== 'pass')).toEqual([]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
      await admin.query(`alter table public."x'; touch pwned; echo '" disable row level security; alter table public."Patient""Notes" disable row level security;`);
    }
  });

  it('a lock on storage.buckets costs the bucket check only; the server-side statement is cancelled when the run gives up', async () => {
    const dbChecks = [publicBuckets, rlsEnabled, rlsPolicies, sensitiveColumns, auditLogging];
    const unlocked = await collectForChecks(dbChecks, config());
    const locker = new pg.Client(server.url);
    await locker.connect();
    try {
      await locker.query('begin; lock table storage.buckets in access exclusive mode;');
      const run = await collectForChecks(dbChecks, config(), { collectorTimeoutMs: 10_000 });
      expect(failureOf(run, 'supabase.storage.buckets').kind).toBe('Timeout');
      expect(run.results(publicBuckets).map(([, status]) => status)).toEqual(['unverified']);
      for (const check of [rlsEnabled, rlsPolicies, sensitiveColumns, auditLogging]) {
        expect(run.results(check), check.meta.id).toEqual(unlocked.results(check));
      }

      // The run gives up after 1 s, before the 3 s lock timeout: the statement must not stay behind on the server.
      const givenUp = await collectForChecks([publicBuckets], config(), { collectorTimeoutMs: 1_000 });
      expect(failureOf(givenUp, 'supabase.storage.buckets').kind).toBe('Timeout');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const waiting = await admin.query(`select count(*)::int as n from pg_stat_activity where application_name = 'readiness' and state = 'active'`);
      expect(waiting.rows[0].n).toBe(0);
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
  }, 60_000);
});
