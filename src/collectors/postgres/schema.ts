import type pg from 'pg';
import { API_ROLES, databaseSchema, type DatabaseFunction, type DatabaseTable, type PolicyKind } from '../../facts/postgres.js';
import { supabasePostgrestConfig } from '../../facts/supabase-management.js';
import { parseSchemaList } from '../supabase/management.js';
import { defineCollector, type CollectContext } from '../types.js';
import { withDatabase } from './session.js';

/*
 * The session pins search_path to pg_catalog (session.ts) and every relation and function
 * below is qualified too: a `public.pg_class` view or a look-alike function changes nothing.
 */

/** The connected database's setting wins over the all-databases one; another database's never counts. */
const EXPOSED_SCHEMAS_SQL = `
  select coalesce(
    nullif(pg_catalog.current_setting('pgrst.db_schemas', true), ''),
    (select pg_catalog.substr(setting, pg_catalog.length('pgrst.db_schemas=') + 1)
       from pg_catalog.pg_db_role_setting s
       join pg_catalog.pg_roles r on r.oid = s.setrole,
            pg_catalog.unnest(s.setconfig) as setting
      where r.rolname = 'authenticator'
        and setting ~~ 'pgrst.db_schemas=%'
        and s.setdatabase = any (array[0::pg_catalog.oid, (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database())])
      order by s.setdatabase desc limit 1)
  ) as schemas`;

/** Objects an extension created (and drops with itself) are the extension's business, not the app's. */
const NOT_EXTENSION_MEMBER = (catalog: string, oid: string) => `not exists (
  select 1 from pg_catalog.pg_depend d
   where d.classid = '${catalog}'::pg_catalog.regclass and d.objid = ${oid} and d.deptype = 'e')`;

/** API roles (that exist) with USAGE on the schema and any privilege on the relation. */
const API_ACCESS = (rolesParam: string) => `coalesce((
  select pg_catalog.array_agg(r.rolname::pg_catalog.text order by r.rolname)
    from pg_catalog.pg_roles r
   where r.rolname = any (${rolesParam}::pg_catalog.text[])
     and pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE')
     and (pg_catalog.has_table_privilege(r.oid, c.oid, 'SELECT,INSERT,UPDATE,DELETE')
          or pg_catalog.has_any_column_privilege(r.oid, c.oid, 'SELECT,INSERT,UPDATE'))), '{}')`;

const TABLES_SQL = `
  select n.nspname as schema, c.relname as name,
         case when c.relkind = 'f' then 'foreign' when c.relispartition then 'partition'
              when c.relkind = 'p' then 'partitioned' else 'table' end as kind,
         pg_catalog.pg_get_userbyid(c.relowner)::pg_catalog.text as owner,
         -- What RLS asks (has_privs_of_role): being the owner or inheriting its privileges. A superuser bypasses RLS anyway: reported as such.
         coalesce((select pg_catalog.array_agg(r.rolname::pg_catalog.text order by r.rolname) from pg_catalog.pg_roles r
                    where r.rolname = any ($4::pg_catalog.text[]) and not r.rolsuper
                      and pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE')), '{}') as api_roles_as_owner,
         c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
         ${API_ACCESS('$3')} as api_access,
         coalesce((select pg_catalog.json_agg(pg_catalog.json_build_object(
                    'name', p.polname,
                    'command', case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE' when 'd' then 'DELETE' else 'ALL' end,
                    'permissive', p.polpermissive,
                    'roles', case when 0::pg_catalog.oid = any (p.polroles) then array['public']
                                  else (select pg_catalog.array_agg(pr.rolname::pg_catalog.text order by pr.rolname) from pg_catalog.pg_roles pr where pr.oid = any (p.polroles)) end,
                    'using', pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                    'withCheck', pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
                    'usingTree', p.polqual::pg_catalog.text,
                    'withCheckTree', p.polwithcheck::pg_catalog.text) order by p.polname)
                     from pg_catalog.pg_policy p where p.polrelid = c.oid), '[]') as policies,
         coalesce((select pg_catalog.array_agg(a.attname::pg_catalog.text order by a.attnum) from pg_catalog.pg_attribute a
                    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '{}') as columns,
         coalesce((select pg_catalog.json_agg(pg_catalog.json_build_object(
                    'name', t.tgname,
                    'function', pn.nspname || '.' || p.proname,
                    'type', t.tgtype,
                    'enabled', t.tgenabled = any (array['O', 'A']::pg_catalog."char"[]),
                    'functionInserts', pg_catalog.regexp_replace(p.prosrc, '--[^\\n]*|/\\*.*?\\*/', '', 'g') ~* '\\minsert\\s+into\\M',
                    'functionExtension', (select e.extname from pg_catalog.pg_depend d join pg_catalog.pg_extension e on e.oid = d.refobjid
                                           where d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass and d.objid = p.oid
                                             and d.deptype = 'e' limit 1),
                    'when', case when t.tgqual is not null then coalesce(
                              (pg_catalog.regexp_match(pg_catalog.pg_get_triggerdef(t.oid), ' WHEN \\((.*)\\) EXECUTE (?:FUNCTION|PROCEDURE) '))[1],
                              pg_catalog.pg_get_triggerdef(t.oid)) end,
                    'updateOf', coalesce((select pg_catalog.array_agg(a.attname::pg_catalog.text order by k.n)
                                           from pg_catalog.unnest(t.tgattr::pg_catalog.int2[]) with ordinality k(attnum, n)
                                           join pg_catalog.pg_attribute a on a.attrelid = t.tgrelid and a.attnum = k.attnum), '{}')) order by t.tgname)
                     from pg_catalog.pg_trigger t
                     join pg_catalog.pg_proc p on p.oid = t.tgfoid
                     join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
                    where t.tgrelid = c.oid and not t.tgisinternal), '[]') as triggers
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where c.relkind = any (array['r', 'p', 'f']::pg_catalog."char"[])
     and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 'c.oid')}
     and (n.nspname = any ($1::pg_catalog.text[]) or c.relname = any ($2::pg_catalog.text[])
          or (n.nspname || '.' || c.relname) = any ($2::pg_catalog.text[])
          -- An invoker view of an exposed schema reads it with the caller's rights.
          or pg_catalog.cardinality(${API_ACCESS('$3')}) > 0)
   order by 1, 2`;

/** security_invoker read as Postgres reads a boolean (true, on, 1, yes, t, ...). */
const VIEWS_SQL = `
  select n.nspname as schema, c.relname as name, c.relkind = 'm' as materialized,
         coalesce((select o.option_value::pg_catalog.bool from pg_catalog.pg_options_to_table(c.reloptions) o
                    where o.option_name = 'security_invoker'), false) as security_invoker,
         ${API_ACCESS('$2')} as api_access,
         coalesce((select pg_catalog.array_agg(distinct bn.nspname || '.' || b.relname)
                     from pg_catalog.pg_rewrite w
                     join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass and d.objid = w.oid
                     join pg_catalog.pg_class b on b.oid = d.refobjid and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                     join pg_catalog.pg_namespace bn on bn.oid = b.relnamespace
                    where w.ev_class = c.oid and b.oid <> c.oid), '{}') as base_tables
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where c.relkind = any (array['v', 'm']::pg_catalog."char"[]) and n.nspname = any ($1::pg_catalog.text[])
     and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 'c.oid')}
   order by 1, 2`;

const FUNCTIONS_SQL = `
  select n.nspname as schema, p.proname as name, pg_catalog.pg_get_function_identity_arguments(p.oid) as arguments,
         p.prosecdef as security_definer,
         p.prorettype = any (array['pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype]::pg_catalog.oid[]) as returns_trigger,
         (select pg_catalog.substr(s, pg_catalog.length('search_path=') + 1) from pg_catalog.unnest(p.proconfig) s
           where s ~~ 'search_path=%' limit 1) as search_path,
         coalesce((select pg_catalog.array_agg(r.rolname::pg_catalog.text order by r.rolname) from pg_catalog.pg_roles r
                    where r.rolname = any ($2::pg_catalog.text[])
                      and pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE')
                      and pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE')), '{}') as api_execute,
         -- The path as Postgres stores it: bare lower-case names, or "quoted" with "" for a quote.
         coalesce((select pg_catalog.array_agg(w.nspname::pg_catalog.text order by w.nspname)
                     from pg_catalog.unnest(p.proconfig) s,
                          pg_catalog.regexp_matches(pg_catalog.substr(s, pg_catalog.length('search_path=') + 1), '"((?:[^"]|"")*)"|([^\s,]+)', 'g') m
                     join pg_catalog.pg_namespace w on w.nspname = coalesce(pg_catalog.replace(m[1], '""', '"'), m[2])
                    where s ~~ 'search_path=%'
                      and (exists (select 1 from pg_catalog.aclexplode(coalesce(w.nspacl, pg_catalog.acldefault('n', w.nspowner))) a
                                    where a.grantee = 0 and a.privilege_type = 'CREATE')
                           or exists (select 1 from pg_catalog.pg_roles r where r.rolname = any ($2::pg_catalog.text[])
                                         and pg_catalog.has_schema_privilege(r.oid, w.oid, 'CREATE')))), '{}') as search_path_writable
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname = any ($1::pg_catalog.text[]) and p.prokind = any (array['f', 'p']::pg_catalog."char"[])
     and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_proc', 'p.oid')}
   order by 1, 2, 3`;

const ROLES_SQL = `
  select r.rolname as name, r.rolbypassrls as bypass_rls, r.rolsuper as superuser
    from pg_catalog.pg_roles r where r.rolname = any ($1::pg_catalog.text[]) order by 1`;

const EXTENSIONS_SQL = `
  select e.extname as name, n.nspname as schema, e.extversion as version,
         coalesce((select pg_catalog.array_agg(distinct mn.nspname::pg_catalog.text order by mn.nspname::pg_catalog.text)
                     from pg_catalog.pg_depend d
                     left join pg_catalog.pg_proc p on d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass and p.oid = d.objid
                     left join pg_catalog.pg_class c on d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and c.oid = d.objid
                     join pg_catalog.pg_namespace mn on mn.oid = coalesce(p.pronamespace, c.relnamespace)
                    where d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass and d.refobjid = e.oid and d.deptype = 'e'), '{}') as member_schemas
    from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace order by 1`;

const PGAUDIT_SQL = `
  select exists (select 1 from pg_catalog.pg_extension where extname = 'pgaudit') as installed,
         nullif(pg_catalog.current_setting('pgaudit.log', true), '') as log,
         coalesce((select pg_catalog.json_agg(pg_catalog.json_build_object('role', coalesce(r.rolname, '(database)'), 'log', pg_catalog.substr(setting, pg_catalog.length('pgaudit.log=') + 1)))
                     from pg_catalog.pg_db_role_setting s left join pg_catalog.pg_roles r on r.oid = s.setrole, pg_catalog.unnest(s.setconfig) as setting
                    where setting ~~ 'pgaudit.log=%'), '[]') as role_log,
         (select pg_catalog.json_build_object('log', nullif(p.setting, ''), 'source', p.source) from pg_catalog.pg_settings p where p.name = 'pgaudit.log') as server,
         coalesce((select pg_catalog.json_agg(pg_catalog.json_build_object('role', r.rolname, 'inDatabase', s.setdatabase <> 0, 'log', pg_catalog.substr(setting, pg_catalog.length('pgaudit.log=') + 1)) order by r.rolname, s.setdatabase)
                     from pg_catalog.pg_db_role_setting s left join pg_catalog.pg_roles r on r.oid = s.setrole, pg_catalog.unnest(s.setconfig) as setting
                    where setting ~~ 'pgaudit.log=%'
                      and s.setdatabase in (0, (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database()))), '[]') as settings`;

/** The roles PostgREST logs in as and switches to: RLS binds none of them if it has BYPASSRLS. */
const ROLES_TO_READ = [...API_ROLES, 'authenticator'];

/**
 * Whether a policy expression, as pg_policy stores it (nodeToString), reads a column of its table:
 * a VAR whose varlevelsup is the number of sub-selects around it. A function call, or a sub-select
 * that never looks at the row (`(select true)`, `exists (… where u.id = auth.uid())`), gives the
 * same answer for every row. Braces and spaces inside names are backslash-escaped in this text.
 */
function readsRow(tree: string): boolean {
  const open: string[] = [];
  for (const [token, node, levelsUp] of tree.matchAll(/\\.|\{(\w*)|\}|:varlevelsup (\d+)/g)) {
    if (node !== undefined) open.push(node);
    else if (token === '}') open.pop();
    else if (levelsUp !== undefined && Number(levelsUp) === open.filter((name) => name === 'QUERY').length) return true;
  }
  return false;
}

const rowIndependent = (tree: string | null): boolean => tree !== null && !readsRow(tree);

/**
 * Nodes through which an expression learns something outside itself: a function call (even now(): the tree names an oid,
 * not what the function reads, so a function counts as asking who the caller is), current_user and its kin, a parameter,
 * an aggregate or a domain (whose CHECK may call functions).
 */
const CALLER_NODES = new Set(['FUNCEXPR', 'SQLVALUEFUNCTION', 'PARAM', 'AGGREF', 'WINDOWFUNC', 'COERCETODOMAIN', 'NEXTVALEXPR']);
/** Oids below FirstNormalObjectId were made by initdb: operators defined later may call any function. */
const FIRST_NORMAL_OID = 16384;
/** RangeTblEntry kinds (parsenodes.h) that read outside the expression: 0 a relation, 3 a function, 4 a table function, 7 a tuplestore. */
const RANGE_READS_OUTSIDE = new Set(['0', '3', '4', '7']);

/** No function, no table, no user-defined operator, no session value: the same answer for every caller. */
function dependsOnNothing(tree: string): boolean {
  for (const [, node, rtekind, opfuncid] of tree.matchAll(/\\.|\{(\w+)|:rtekind (\d+)|:opfuncid (\d+)/g)) {
    if (node !== undefined && CALLER_NODES.has(node)) return false;
    if (rtekind !== undefined && RANGE_READS_OUTSIDE.has(rtekind)) return false;
    if (opfuncid !== undefined && Number(opfuncid) >= FIRST_NORMAL_OID) return false;
  }
  return true;
}

/**
 * Conditions that only ask whether there is a caller, or that the caller is an API role, as pg_get_expr prints them (blanks
 * folded). Only these exact forms: anything else that names a function or a table is caller-gated.
 */
const AUTH_CALL = (names: string) => `(?:auth\\.(?:${names})\\(\\)|\\( SELECT auth\\.(?:${names})\\(\\) AS \\w+\\))`;
const API_ROLE_LITERAL = `'(?:anon|authenticated)'`;
const SIGNED_IN = [
  new RegExp(`^\\(${AUTH_CALL('uid|jwt|role')} IS NOT NULL\\)$`),
  new RegExp(`^\\(${AUTH_CALL('role')} = ${API_ROLE_LITERAL}::text\\)$`),
  new RegExp(`^\\(${API_ROLE_LITERAL}::text = ${AUTH_CALL('role')}\\)$`),
  new RegExp(`^\\((?:CURRENT_USER|CURRENT_ROLE) = ${API_ROLE_LITERAL}::name\\)$`),
  new RegExp(`^\\(${API_ROLE_LITERAL}::name = (?:CURRENT_USER|CURRENT_ROLE)\\)$`),
  // Some row of auth.users is the caller: every signed-in user.
  new RegExp(`^\\(EXISTS \\( SELECT 1 FROM auth\\.users(?: (\\w+))? WHERE \\((?:\\1|users)\\.id = ${AUTH_CALL('uid')}\\)\\)\\)$`),
];

function policyKind(tree: string | null, text: string | null): PolicyKind | undefined {
  if (tree === null) return undefined;
  if (readsRow(tree)) return 'row';
  if (dependsOnNothing(tree)) return 'constant';
  const folded = (text ?? '').replace(/\s+/g, ' ');
  return SIGNED_IN.some((form) => form.test(folded)) ? 'signed-in' : 'caller-gated';
}

/** The aal claim of the caller's JWT, as pg_get_expr prints `auth.jwt()->>'aal'`, `(select auth.jwt()->>'aal')`, `(select auth.jwt())->>'aal'`. */
const AAL_CLAIM = `(?:\\(auth\\.jwt\\(\\) ->> 'aal'::text\\)|\\( SELECT \\(auth\\.jwt\\(\\) ->> 'aal'::text\\)\\)|\\(\\( SELECT auth\\.jwt\\(\\) AS \\w+\\) ->> 'aal'::text\\))`;
const REQUIRES_AAL2 = [new RegExp(`^\\(${AAL_CLAIM} = 'aal2'::text\\)$`), new RegExp(`^\\('aal2'::text = ${AAL_CLAIM}\\)$`)];

/**
 * `aal2` only when the condition cannot hold without aal2: the comparison is the whole condition or one of its top-level
 * AND terms (under an OR, or in Supabase's "aal2 once a factor is enrolled" form, an aal1 session can still pass).
 */
function aalRequirement(text: string | null): 'aal2' | 'other' | 'none' {
  if (text === null || !text.includes("'aal'")) return 'none';
  const folded = text.replace(/\s+/g, ' ');
  return topLevelAndTerms(folded).some((term) => REQUIRES_AAL2.some((form) => form.test(term))) ? 'aal2' : 'other';
}

/** `((a) AND (b))` → [`(a)`, `(b)`]: the terms of an AND at the outermost level, string literals skipped; else the whole. */
function topLevelAndTerms(expression: string): string[] {
  const inner = wrapsWhole(expression) ? expression.slice(1, -1) : expression;
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (char === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && inner.startsWith(' AND ', i)) {
      terms.push(inner.slice(start, i));
      start = i + ' AND '.length;
    }
  }
  terms.push(inner.slice(start));
  return terms.length > 1 ? terms : [expression];
}

/** The first parenthesis closes at the very end. */
function wrapsWhole(expression: string): boolean {
  if (!expression.startsWith('(')) return false;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i === expression.length - 1;
  }
  return false;
}

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

interface TableRow extends Omit<DatabaseTable, 'apiRolesAsOwner' | 'rlsEnabled' | 'rlsForced' | 'apiAccess' | 'policies' | 'triggers'> {
  api_roles_as_owner: string[];
  rls_enabled: boolean;
  rls_forced: boolean;
  api_access: string[];
  policies: (Omit<DatabaseTable['policies'][number], 'usingConstant' | 'withCheckConstant' | 'usingKind' | 'withCheckKind' | 'usingAal'> & { usingTree: string | null; withCheckTree: string | null })[];
  triggers: (Omit<DatabaseTable['triggers'][number], 'events'> & { type: number })[];
}

export const databaseSchemaCollector = defineCollector(databaseSchema, (context) =>
  withDatabase(context, 'reading the catalog (pg_class, pg_policy, pg_trigger, pg_proc, pg_extension)', async (client) => {
    const exposed = await exposedSchemas(context, client);
    const phiTables = context.config.supabase?.phiTables ?? [];
    const apiRoles = [...API_ROLES];
    const tables = (await client.query<TableRow>(TABLES_SQL, [exposed.schemas, phiTables, apiRoles, ROLES_TO_READ])).rows.map(
      (row): DatabaseTable => ({
        schema: row.schema,
        name: row.name,
        kind: row.kind,
        owner: row.owner,
        apiRolesAsOwner: row.api_roles_as_owner,
        rlsEnabled: row.rls_enabled,
        rlsForced: row.rls_forced,
        policies: row.policies.map(({ usingTree, withCheckTree, ...policy }) => ({
          ...policy,
          usingConstant: rowIndependent(usingTree),
          withCheckConstant: rowIndependent(withCheckTree),
          usingKind: policyKind(usingTree, policy.using),
          withCheckKind: policyKind(withCheckTree, policy.withCheck),
          usingAal: aalRequirement(policy.using),
        })),
        apiAccess: row.api_access,
        columns: row.columns,
        triggers: row.triggers
          .map(({ type, ...trigger }) => ({ ...trigger, events: triggerEvents(type) }))
          .filter((trigger) => trigger.events.some((event) => event !== 'TRUNCATE')),
      }),
    );
    const views = (await client.query<{ schema: string; name: string; materialized: boolean; security_invoker: boolean; api_access: string[]; base_tables: string[] }>(VIEWS_SQL, [exposed.schemas, apiRoles])).rows;
    const functions = (
      await client.query<{ schema: string; name: string; arguments: string; security_definer: boolean; returns_trigger: boolean; search_path: string | null; api_execute: string[]; search_path_writable: string[] }>(
        FUNCTIONS_SQL,
        [exposed.schemas, apiRoles],
      )
    ).rows.map(
      (row): DatabaseFunction => ({
        schema: row.schema,
        name: row.name,
        arguments: row.arguments,
        securityDefiner: row.security_definer,
        returnsTrigger: row.returns_trigger,
        searchPath: row.search_path,
        apiExecute: row.api_execute,
        searchPathWritable: row.search_path_writable,
      }),
    );
    const roles = (await client.query<{ name: string; bypass_rls: boolean; superuser: boolean }>(ROLES_SQL, [ROLES_TO_READ])).rows;
    const extensions = (await client.query<{ name: string; schema: string; version: string; member_schemas: string[] }>(EXTENSIONS_SQL)).rows.map(
      (row) => ({ name: row.name, schema: row.schema, version: row.version, memberSchemas: row.member_schemas }),
    );
    const audit = (
      await client.query<{
        installed: boolean;
        log: string | null;
        role_log: { role: string; log: string }[];
        server: { log: string | null; source: string } | null;
        settings: { role: string | null; inDatabase: boolean; log: string }[];
      }>(PGAUDIT_SQL)
    ).rows[0];
    return {
      exposedSchemas: exposed.schemas,
      exposedSchemasSource: exposed.source,
      tables,
      views: views.map((view) => ({ schema: view.schema, name: view.name, securityInvoker: view.security_invoker, materialized: view.materialized, apiAccess: view.api_access, baseTables: view.base_tables })),
      functions,
      apiRoles: roles.map((role) => ({ name: role.name, bypassRls: role.bypass_rls, superuser: role.superuser })),
      extensions,
      pgaudit: { installed: audit?.installed ?? false, log: audit?.log ?? null, roleLog: audit?.role_log ?? [], server: audit?.server ?? null, settings: audit?.settings ?? [] },
    };
  }),
);
