import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { qualifiedName, shellWord, sqlName } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.security-definer-views',
    title: 'Exposed views respect row-level security',
    failureTitle: 'Exposed views bypass row-level security',
    description: "A view runs with its owner's rights unless created with security_invoker = true (Postgres 15+): through the Data API it returns rows the caller's RLS policies would hide. Materialized views never apply RLS.",
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Make the view run with the caller\'s rights (a materialized view must move out of the exposed schemas or lose its grants to anon/authenticated)',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 15,
    },
    messages: {
      invoker: 'View {{resource}} runs with security_invoker',
      definer: 'View {{resource}} runs with its owner\'s rights and bypasses RLS',
      materialized: 'Materialized view {{resource}} is in an exposed schema and ignores RLS',
      unreachable: '{{resource}} bypasses RLS, but neither anon nor authenticated holds a privilege on it',
      'no-views': 'No view in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }) {
    if (schema.views.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-views', args: { schemas: schema.exposedSchemas.join(', ') } }];
    return schema.views.map((view): Finding => {
      const resource = qualifiedName(view);
      const evidence = { securityInvoker: view.securityInvoker, materialized: view.materialized, apiAccess: view.apiAccess };
      const sql = shellWord(view.materialized ? `revoke select on ${sqlName(view)} from anon, authenticated;` : `alter view ${sqlName(view)} set (security_invoker = true);`);
      if (!view.materialized && view.securityInvoker) return { resource, status: 'pass', code: 'invoker', args: { sql }, evidence };
      if (view.apiAccess.length === 0) return { resource, status: 'not_applicable', code: 'unreachable', args: { sql }, evidence };
      return { resource, status: 'fail', code: view.materialized ? 'materialized' : 'definer', args: { sql }, evidence };
    });
  },
});
