import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sensitiveColumns from '../../../checks/application/app.db.sensitive-columns.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { PROJECT_REF } from '../../support/management-api-server.js';
import { collectForChecks } from '../../support/supabase-collect.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';
import { startDatabase, SUPABASE_BASE_SQL, type TestDatabase } from '../../support/supabase-postgres.js';

/**
 * Prisma (and any tool that quotes identifiers) creates "Patient", not patient: a supabase.phiTables entry written as the
 * table is spoken of (`patient`, `public.patient`) names no table exactly. Its columns look like no PHI.
 */
const SQL = `
  create table public."Patient" ("id" text primary key, "firstName" text, "phone" text, "notes" text);
  insert into public."Patient" values ('p1', 'Ann', '555-0100', 'anxiety, sertraline 50mg');
`;

let database: TestDatabase;
const config = (phiTables: string[]): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, dbUrl: database.url, phiTables } });

beforeAll(async () => {
  database = await startDatabase(SUPABASE_BASE_SQL + SQL);
}, 60_000);
afterAll(async () => database?.stop());

describe('app.db.sensitive-columns: a supabase.phiTables entry in another case than the table (PGlite over pg)', () => {
  it('anon really reads every row of the table', async () => {
    await database.db.exec('set role anon');
    try {
      expect((await database.db.query('select * from public."Patient"')).rows).toHaveLength(1);
    } finally {
      await database.db.exec('reset role');
    }
  });

  it.each([['patient'], ['public.patient'], ['PUBLIC.PATIENT']])('phiTables [%s] fails the table without RLS, never "none found"', async (entry) => {
    const run = await collectForChecks([sensitiveColumns], config([entry]));
    expect(run.results(sensitiveColumns)).toEqual([['public.Patient', 'fail', 'exposed']]);
  });

  it('with RLS on, the table so listed passes', async () => {
    await database.db.exec('alter table public."Patient" enable row level security');
    try {
      const run = await collectForChecks([sensitiveColumns], config(['patient']));
      expect(run.results(sensitiveColumns)).toEqual([['public.Patient', 'pass', 'protected']]);
    } finally {
      await database.db.exec('alter table public."Patient" disable row level security');
    }
  });

  it('an entry naming no table in any case still finds none', () => {
    const facts = {
      schema: {
        exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', views: [], functions: [], apiRoles: [], extensions: [],
        tables: [{ schema: 'public', name: 'Flags', kind: 'table', owner: 'postgres', rlsEnabled: false, rlsForced: false, policies: [], apiAccess: ['anon'], columns: ['id'], triggers: [] }],
        pgaudit: { installed: false, log: null, roleLog: [] },
      },
    };
    const expected: CheckCase['expected'] = [['database', 'pass', 'none-found']];
    expect(runCase(sensitiveColumns, { name: 'none', config: { supabase: { projectRef: PROJECT_REF, phiTables: ['patient'] } }, facts, expected })).toEqual(expected);
  });
});
