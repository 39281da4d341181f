import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/collectors/postgres/session.js';
import type { CollectContext } from '../../src/collectors/types.js';
import { FactError } from '../../src/collectors/types.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';

// The real server: PGlite shares one session with every client and ignores startup options.
let server: PostgresServer;
let admin: pg.Client;
beforeAll(async () => {
  server = await startPostgresServer();
  admin = new pg.Client(server.url);
  await admin.connect();
  await admin.query('create table public.patients (id int)');
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

const context = () => ({ config: { supabase: { projectRef: PROJECT_REF, dbUrl: server.url } }, env: {}, aws: {} }) as unknown as CollectContext;

describe('the database session of a run', () => {
  it('is read-only: even a wrong query of a check cannot write', async () => {
    const shown = await withDatabase(context(), 'reading the settings', (client) => client.query<{ default_transaction_read_only: string }>('show default_transaction_read_only'));
    expect(shown.rows[0]!.default_transaction_read_only).toBe('on');
    const write = withDatabase(context(), 'writing', (client) => client.query('insert into public.patients values (1)'));
    await expect(write).rejects.toBeInstanceOf(FactError);
    await expect(write).rejects.toMatchObject({ message: expect.stringMatching(/read-only transaction/) });
    expect((await admin.query<{ n: number }>('select count(*)::int as n from public.patients')).rows[0]!.n).toBe(0);
  });
});
