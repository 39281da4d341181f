import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabaseFunction } from '../../src/facts/postgres.js';
import { shellWord, sqlIdentifier } from '../lib/database.js';

const signature = (fn: DatabaseFunction): string => `${fn.schema}.${fn.name}(${fn.arguments})`;
const sqlSignature = (fn: DatabaseFunction): string => `${sqlIdentifier(fn.schema)}.${sqlIdentifier(fn.name)}(${fn.arguments})`;

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
      'no-functions': 'No function in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }) {
    if (schema.functions.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-functions', args: { schemas: schema.exposedSchemas.join(', ') } }];
    return schema.functions.map((fn): Finding => {
      const resource = signature(fn);
      const evidence = { securityDefiner: fn.securityDefiner, returnsTrigger: fn.returnsTrigger, searchPath: fn.searchPath, apiExecute: fn.apiExecute };
      const args = { roles: fn.apiExecute.join(', '), searchPath: fn.searchPath ?? '' };
      if (fn.securityDefiner && !fn.returnsTrigger && fn.apiExecute.length > 0) {
        return { resource, status: 'fail', code: 'definer-exposed', args: { ...args, sql: shellWord(`revoke execute on function ${sqlSignature(fn)} from public, anon, authenticated;`) }, evidence };
      }
      if (fn.searchPath === null) return { resource, status: 'fail', code: 'mutable-search-path', args: { ...args, sql: shellWord(`alter function ${sqlSignature(fn)} set search_path = '';`) }, evidence };
      return { resource, status: 'pass', code: fn.securityDefiner ? 'definer-fixed' : 'safe', args, evidence };
    });
  },
});
