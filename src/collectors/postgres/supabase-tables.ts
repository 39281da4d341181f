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

/** RLS filters what the connected role sees unless it is superuser, BYPASSRLS, or the (unforced) owner. */
const BUCKETS_HIDDEN_SQL = `
  select c.relrowsecurity
         and not (r.rolsuper or r.rolbypassrls or (pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE') and not c.relforcerowsecurity)) as hidden
    from pg_catalog.pg_class c, pg_catalog.pg_roles r
   where c.oid = 'storage.buckets'::pg_catalog.regclass and r.rolname = pg_catalog.current_user()`;

export const storageBucketsCollector = defineCollector(storageBuckets, (context) =>
  withDatabase(context, 'SELECT on storage.buckets', async (client) => {
    const { rows } = await client.query<{ id: string; name: string; public: boolean | null }>('select id::pg_catalog.text as id, name, public from storage.buckets order by id');
    const hidden = (await client.query<{ hidden: boolean }>(BUCKETS_HIDDEN_SQL)).rows[0]?.hidden ?? true;
    return { buckets: rows.map((row) => ({ id: row.id, name: row.name, public: row.public === true })), rowsHiddenByRls: hidden };
  }),
);
