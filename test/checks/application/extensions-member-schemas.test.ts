import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import extensions from '../../../checks/application/app.db.extensions.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { PROJECT_REF } from '../../support/management-api-server.js';
import { collectForChecks } from '../../support/supabase-collect.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../../support/supabase-postgres.js';

/**
 * pg_extension.extnamespace is where the extension was installed, not where its objects are: ALTER FUNCTION … SET SCHEMA
 * moves one member out (Postgres allows it), and a script may create members in schemas of its own.
 */
let database: TestDatabase;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: database.url } });

beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL);
}, 60_000);
afterAll(async () => database?.stop());

describe('app.db.extensions: where the members of an extension are (PGlite over pg)', () => {
  it('extensions whose members all sit in extensions pass', async () => {
    const run = await collectForChecks([extensions], config());
    expect(run.results(extensions)).toEqual([
      ['pgcrypto', 'pass', 'installed'],
      ['uuid-ossp', 'pass', 'installed'],
    ]);
  });

  it('a member function moved to public fails, though pg_extension still says extensions', async () => {
    await database.db.exec('alter function extensions.digest(text, text) set schema public');
    try {
      // anon calls it as /rpc/digest would.
      await database.db.exec('set role anon');
      expect((await database.db.query(`select pg_catalog.encode(public.digest('x', 'sha256'), 'hex') as h`)).rows).toHaveLength(1);
      await database.db.exec('reset role');
      const run = await collectForChecks([extensions], config());
      expect(run.results(extensions)).toEqual([
        ['pgcrypto', 'fail', 'members-exposed'],
        ['uuid-ossp', 'pass', 'installed'],
      ]);
      const schema = run.outcomes.get('postgres.schema');
      const pgcrypto = schema?.ok ? (schema.value as { extensions: { name: string; memberSchemas?: string[] }[] }).extensions.find((e) => e.name === 'pgcrypto') : undefined;
      expect(pgcrypto?.memberSchemas).toContain('public');
    } finally {
      await database.db.exec('reset role; alter function public.digest(text, text) set schema extensions');
    }
  });

  it('a snapshot taken before member schemas were collected is unverified, not a pass', () => {
    const facts = {
      schema: {
        exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', tables: [], views: [], functions: [], apiRoles: [],
        extensions: [{ name: 'pgcrypto', schema: 'extensions', version: '1.3' }, { name: 'uuid-ossp', schema: 'public', version: '1.1' }],
        pgaudit: { installed: false, log: null, roleLog: [] },
      },
    };
    const expected: CheckCase['expected'] = [
      ['pgcrypto', 'unverified', 'members-not-collected'],
      ['uuid-ossp', 'fail', 'in-public'],
    ];
    expect(runCase(extensions, { name: 'old snapshot', facts, expected })).toEqual(expected);
    expect(renderedMessages(extensions, facts)[0]).toContain('collect again');
  });
});
