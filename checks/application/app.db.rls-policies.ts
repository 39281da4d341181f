import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { exposedTables, qualifiedName, sqlName } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.rls-policies',
    title: 'Row-level security tables have policies',
    failureTitle: 'Row-level security is not backed by policies',
    description: 'A table with RLS on and no policy is unusable from the app (every request is denied), which usually ends in someone switching RLS off; a policy on a table with RLS off protects nothing.',
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Write the access policies of the table (who may select, insert, update, delete which rows), or enable RLS where policies exist',
      command: `psql "$SUPABASE_DB_URL" -c '\\d {{sqlName}}'`,
      effortMinutes: 60,
    },
    messages: {
      'has-policies': '{{resource}} has RLS on and {{count}} policies',
      'no-policy': '{{resource}} has RLS on but no policy: every request from the app is denied',
      'policies-ignored': '{{resource}} has {{count}} policies but RLS is off: they are not enforced',
      'rls-off': '{{resource}} has RLS off and no policy (see app.db.rls-enabled)',
      'no-tables': 'No table in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }) {
    const tables = exposedTables(schema);
    if (tables.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-tables', args: { schemas: schema.exposedSchemas.join(', '), sqlName: '<schema>.<table>' } }];
    return tables.map((table): Finding => {
      const base = { resource: qualifiedName(table), args: { count: table.policyCount, sqlName: sqlName(table) }, evidence: { rlsEnabled: table.rlsEnabled, policies: table.policyCount } };
      if (table.rlsEnabled) return { ...base, status: table.policyCount > 0 ? 'pass' : 'fail', code: table.policyCount > 0 ? 'has-policies' : 'no-policy' };
      if (table.policyCount > 0) return { ...base, status: 'fail', code: 'policies-ignored' };
      return { ...base, status: 'not_applicable', code: 'rls-off' };
    });
  },
});
