import { remoteMigrations, storageBuckets } from '../../facts/postgres.js';
import { defineCollector } from '../types.js';
import { withDatabase } from './session.js';

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_SCHEMA = '3F000';

/** The supabase CLI records each applied migration here; the Management API endpoint is for partner apps only. */
export const remoteMigrationsCollector = defineCollector(remoteMigrations, (context) =>
  withDatabase(context, 'SELECT on supabase_migrations.schema_migrations', async (client) => {
    try {
      const { rows } = await client.query<{ version: string }>('select version::text as version from supabase_migrations.schema_migrations order by version');
      return { tableExists: true, versions: rows.map((row) => row.version) };
    } catch (error) {
      const code = (error as { code?: string }).code;
      // No history table: the CLI never applied a migration to this database.
      if (code === UNDEFINED_TABLE || code === UNDEFINED_SCHEMA) return { tableExists: false, versions: [] };
      throw error;
    }
  }),
);

export const storageBucketsCollector = defineCollector(storageBuckets, (context) =>
  withDatabase(context, 'SELECT on storage.buckets', async (client) => {
    const { rows } = await client.query<{ id: string; name: string; public: boolean | null }>('select id::text as id, name, public from storage.buckets order by id');
    return rows.map((row) => ({ id: row.id, name: row.name, public: row.public === true }));
  }),
);
