import type pg from 'pg';
import { databaseSchema, type DatabaseTable } from '../../facts/postgres.js';
import { supabasePostgrestConfig } from '../../facts/supabase-management.js';
import { parseSchemaList } from '../supabase/management.js';
import { defineCollector, type CollectContext } from '../types.js';
import { withDatabase } from './session.js';

const EXPOSED_SCHEMAS_SQL = `
  select coalesce(
    nullif(current_setting('pgrst.db_schemas', true), ''),
    (select substr(setting, length('pgrst.db_schemas=') + 1)
       from pg_db_role_setting s join pg_roles r on r.oid = s.setrole, unnest(s.setconfig) as setting
      where r.rolname = 'authenticator' and setting like 'pgrst.db_schemas=%' limit 1)
  ) as schemas`;

const TABLES_SQL = `
  select n.nspname as schema, c.relname as name, c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
         (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policy_count,
         coalesce((select array_agg(a.attname::text order by a.attnum) from pg_attribute a
                    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '{}') as columns,
         coalesce((select json_agg(json_build_object('name', t.tgname, 'function', pn.nspname || '.' || p.proname, 'type', t.tgtype) order by t.tgname)
                     from pg_trigger t join pg_proc p on p.oid = t.tgfoid join pg_namespace pn on pn.oid = p.pronamespace
                    where t.tgrelid = c.oid and not t.tgisinternal), '[]') as triggers
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relkind in ('r', 'p') and not c.relispartition
     and (n.nspname = any($1::text[]) or c.relname = any($2::text[]) or n.nspname || '.' || c.relname = any($2::text[]))
   order by 1, 2`;

const VIEWS_SQL = `
  select n.nspname as schema, c.relname as name, c.relkind = 'm' as materialized,
         coalesce(exists (select 1 from unnest(c.reloptions) o where lower(o) in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes')), false) as security_invoker
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relkind in ('v', 'm') and n.nspname = any($1::text[])
   order by 1, 2`;

const EXTENSIONS_SQL = `select e.extname as name, n.nspname as schema, e.extversion as version
  from pg_extension e join pg_namespace n on n.oid = e.extnamespace order by 1`;

const PGAUDIT_SQL = `
  select exists (select 1 from pg_extension where extname = 'pgaudit') as installed,
         nullif(current_setting('pgaudit.log', true), '') as log,
         coalesce((select json_agg(json_build_object('role', coalesce(r.rolname, '(database)'), 'log', substr(setting, length('pgaudit.log=') + 1)))
                     from pg_db_role_setting s left join pg_roles r on r.oid = s.setrole, unnest(s.setconfig) as setting
                    where setting like 'pgaudit.log=%'), '[]') as role_log`;

/** tgtype bits (pg_trigger.h): 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE. */
function triggerEvents(type: number): string[] {
  return [
    [4, 'INSERT'],
    [8, 'DELETE'],
    [16, 'UPDATE'],
    [32, 'TRUNCATE'],
  ].flatMap(([bit, name]) => ((type & (bit as number)) !== 0 ? [name as string] : []));
}

async function exposedSchemas(context: CollectContext, client: pg.Client): Promise<{ schemas: string[]; source: 'pgrst.db_schemas' | 'postgrest-config' }> {
  const setting = (await client.query<{ schemas: string | null }>(EXPOSED_SCHEMAS_SQL)).rows[0]?.schemas;
  if (setting) return { schemas: parseSchemaList(setting), source: 'pgrst.db_schemas' };
  return { schemas: (await context.fact(supabasePostgrestConfig)).dbSchemas, source: 'postgrest-config' };
}

interface TableRow {
  schema: string;
  name: string;
  rls_enabled: boolean;
  rls_forced: boolean;
  policy_count: number;
  columns: string[];
  triggers: { name: string; function: string; type: number }[];
}

export const databaseSchemaCollector = defineCollector(databaseSchema, (context) =>
  withDatabase(context, 'reading the catalog (pg_class, pg_policy, pg_trigger, pg_extension)', async (client) => {
    const exposed = await exposedSchemas(context, client);
    const phiTables = context.config.supabase?.phiTables ?? [];
    const tables = (await client.query<TableRow>(TABLES_SQL, [exposed.schemas, phiTables])).rows.map(
      (row): DatabaseTable => ({
        schema: row.schema,
        name: row.name,
        rlsEnabled: row.rls_enabled,
        rlsForced: row.rls_forced,
        policyCount: row.policy_count,
        columns: row.columns,
        triggers: row.triggers
          .map((trigger) => ({ name: trigger.name, function: trigger.function, events: triggerEvents(trigger.type) }))
          .filter((trigger) => trigger.events.some((event) => event !== 'TRUNCATE')),
      }),
    );
    const views = (await client.query<{ schema: string; name: string; materialized: boolean; security_invoker: boolean }>(VIEWS_SQL, [exposed.schemas])).rows;
    const extensions = (await client.query<{ name: string; schema: string; version: string }>(EXTENSIONS_SQL)).rows;
    const audit = (await client.query<{ installed: boolean; log: string | null; role_log: { role: string; log: string }[] }>(PGAUDIT_SQL)).rows[0];
    return {
      exposedSchemas: exposed.schemas,
      exposedSchemasSource: exposed.source,
      tables,
      views: views.map((view) => ({ schema: view.schema, name: view.name, securityInvoker: view.security_invoker, materialized: view.materialized })),
      extensions,
      pgaudit: { installed: audit?.installed ?? false, log: audit?.log ?? null, roleLog: audit?.role_log ?? [] },
    };
  }),
);
