import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/collectors/postgres/session.js';
import type { CollectContext } from '../../src/collectors/types.js';
import { FactError } from '../../src/collectors/types.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { startDatabase, type TestDatabase } from '../support/supabase-postgres.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await startDatabase('create table patients (id int);');
}, 60_000);
afterAll(() => database?.stop());

const context = () => ({ config: { supabase: { projectRef: PROJECT_REF, dbUrl: database.url } }, env: {}, aws: {} }) as unknown as CollectContext;

describe('the database session of a run', () => {
  it('is read-only: even a wrong query of a check cannot write', async () => {
    const shown = await withDatabase(context(), 'reading the settings', (client) => client.query<{ default_transaction_read_only: string }>('show default_transaction_read_only'));
    expect(shown.rows[0]!.default_transaction_read_only).toBe('on');
    const write = withDatabase(context(), 'writing', (client) => client.query('insert into patients values (1)'));
    await expect(write).rejects.toBeInstanceOf(FactError);
    await expect(write).rejects.toMatchObject({ message: expect.stringMatching(/read-only transaction/) });
    expect((await database.db.query<{ n: number }>('select count(*)::int as n from patients')).rows[0]!.n).toBe(0);
  });
});
