import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabaseFunction } from '../../src/facts/postgres.js';
import { shellWord, sqlIdentifier } from '../lib/database.js';

const signature = (fn: DatabaseFunction): string => `${fn.schema}.${fn.name}(${fn.arguments})`;
const sqlSignature = (fn: DatabaseFunction): string => `${sqlIdentifier(fn.schema)}.${sqlIdentifier(fn.name)}(${fn.arguments})`;

/** The entries of a search_path as Postgres stores it (`public, "My Schema", pg_temp`), each as written there. */
const pathEntries = (searchPath: string): string[] => searchPath.match(/"(?:[^"]|"")*"|[^\s,]+/g) ?? [];
/** `""` is how Postgres stores `search_path = ''`. pg_catalog and pg_temp take no object a caller could plant for another session. */
const NO_SCHEMA = new Set(['""', "''", 'pg_catalog', 'pg_temp']);

/**
 * Unless pg_temp is listed last, Postgres searches the caller's temporary schema first for tables and types (not functions),
 * even with search_path = '': a SECURITY DEFINER function then reads the caller's temporary table, or runs the CHECK of the
 * caller's temporary domain with its owner's rights ("Writing SECURITY DEFINER Functions Safely").
 */
const tempSchemaLast = (searchPath: string): boolean => pathEntries(searchPath).at(-1) === 'pg_temp';
const withTempSchemaLast = (searchPath: string): string => {
  const schemas = pathEntries(searchPath).filter((entry) => entry !== 'pg_temp' && entry !== '""' && entry !== "''");
  return [...(schemas.length > 0 ? schemas : ['pg_catalog']), 'pg_temp'].join(', ');
};

export default defineCheck({
  meta: {
    id: 'app.db.definer-functions',
    title: 'Exposed functions run with the caller\'s rights and a fixed search_path',
    failureTitle: 'Exposed functions escape row-level security',
    description:
      "A SECURITY DEFINER function runs with its owner's rights, so RLS does not limit it: one in an exposed schema that anon or authenticated may execute is callable by anyone through the Data API (/rpc). A function without its own search_path resolves names through the caller's, which a caller can point at objects of their own.",
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Revoke EXECUTE from anon and authenticated (or move the function to a schema the Data API does not serve, or make it SECURITY INVOKER), and give every function a fixed search_path',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 20,
    },
    messages: {
      safe: '{{resource}} runs with the caller\'s rights and search_path = {{searchPath}}',
      'definer-fixed': '{{resource}} is SECURITY DEFINER with search_path = {{searchPath}}, and the Data API cannot call it (no EXECUTE for anon or authenticated, or a trigger function)',
      'definer-exposed': '{{resource}} is SECURITY DEFINER and {{roles}} may execute it through the Data API: it bypasses RLS',
      'mutable-search-path': '{{resource}} has no search_path of its own: it resolves names through its caller\'s',
      'temp-schema-first':
        "{{resource}} is SECURITY DEFINER with search_path = {{searchPath}}, which does not end with pg_temp: the caller's temporary schema is searched first, so a caller's temporary table or type takes the place of the one it names, with the owner's rights",
      'writable-search-path': '{{resource}} resolves names through {{schemas}}, where PUBLIC, anon or authenticated may create objects: one planted there runs in place of the one it names, with its caller\'s rights (its owner\'s if SECURITY DEFINER)',
      'writable-not-collected': '{{resource}} has search_path = {{searchPath}}, but who may create objects in those schemas was not collected (snapshot taken before it was): collect again',
      'no-functions': 'No function in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }) {
    if (schema.functions.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-functions', args: { schemas: schema.exposedSchemas.join(', ') } }];
    return schema.functions.map((fn): Finding => {
      const resource = signature(fn);
      const evidence = { securityDefiner: fn.securityDefiner, returnsTrigger: fn.returnsTrigger, searchPath: fn.searchPath, apiExecute: fn.apiExecute, searchPathWritable: fn.searchPathWritable ?? null };
      const args = { roles: fn.apiExecute.join(', '), searchPath: fn.searchPath ?? '' };
      if (fn.securityDefiner && !fn.returnsTrigger && fn.apiExecute.length > 0) {
        return { resource, status: 'fail', code: 'definer-exposed', args: { ...args, sql: shellWord(`revoke execute on function ${sqlSignature(fn)} from public, anon, authenticated;`) }, evidence };
      }
      if (fn.searchPath === null) return { resource, status: 'fail', code: 'mutable-search-path', args: { ...args, sql: shellWord(`alter function ${sqlSignature(fn)} set search_path = ${fn.securityDefiner ? 'pg_catalog, pg_temp' : "''"};`) }, evidence };
      if (fn.securityDefiner && !tempSchemaLast(fn.searchPath)) {
        return { resource, status: 'fail', code: 'temp-schema-first', args: { ...args, sql: shellWord(`alter function ${sqlSignature(fn)} set search_path = ${withTempSchemaLast(fn.searchPath)};`) }, evidence };
      }
      const writable = fn.searchPathWritable ?? (pathEntries(fn.searchPath).every((entry) => NO_SCHEMA.has(entry)) ? [] : undefined);
      if (writable === undefined) return { resource, status: 'unverified', code: 'writable-not-collected', args, evidence };
      if (writable.length > 0) {
        const schemas = writable.map(sqlIdentifier).join(', ');
        return { resource, status: 'fail', code: 'writable-search-path', args: { ...args, schemas: writable.join(', '), sql: shellWord(`revoke create on schema ${schemas} from public, anon, authenticated;`) }, evidence };
      }
      return { resource, status: 'pass', code: fn.securityDefiner ? 'definer-fixed' : 'safe', args, evidence };
    });
  },
});
