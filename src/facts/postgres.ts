import { z } from 'zod';
import { defineFact } from '../model.js';

/** Facts read through a direct Postgres connection (supabase.dbUrl). */

export const remoteMigrations = defineFact({
  id: 'supabase.migrations.remote',
  description: 'Versions recorded in supabase_migrations.schema_migrations',
  permissions: ['SELECT on supabase_migrations.schema_migrations'],
  schema: z.object({ tableExists: z.boolean(), versions: z.array(z.string()) }),
});

export const storageBuckets = defineFact({
  id: 'supabase.storage.buckets',
  description: 'Storage buckets and whether each is public (storage.buckets)',
  permissions: ['SELECT on storage.buckets'],
  schema: z.array(z.object({ id: z.string(), name: z.string(), public: z.boolean() })),
});

const table = z.object({
  schema: z.string(),
  name: z.string(),
  rlsEnabled: z.boolean(),
  rlsForced: z.boolean(),
  policyCount: z.number(),
  columns: z.array(z.string()),
  /** User triggers firing on INSERT, UPDATE or DELETE. */
  triggers: z.array(z.object({ name: z.string(), function: z.string(), events: z.array(z.string()) })),
});

export const databaseSchema = defineFact({
  id: 'postgres.schema',
  description: 'Tables (RLS, policies, columns, triggers) and views of the exposed schemas, installed extensions, pgaudit settings',
  permissions: ['SELECT on pg_catalog (any role that can log in)'],
  schema: z.object({
    exposedSchemas: z.array(z.string()),
    exposedSchemasSource: z.enum(['pgrst.db_schemas', 'postgrest-config']),
    /** Every ordinary or partitioned table of the exposed schemas, and of any schema holding a configured PHI table. */
    tables: z.array(table),
    views: z.array(z.object({ schema: z.string(), name: z.string(), securityInvoker: z.boolean(), materialized: z.boolean() })),
    extensions: z.array(z.object({ name: z.string(), schema: z.string(), version: z.string() })),
    pgaudit: z.object({ installed: z.boolean(), log: z.string().nullable(), roleLog: z.array(z.object({ role: z.string(), log: z.string() })) }),
  }),
});
export type DatabaseTable = z.output<typeof table>;
