import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { exposedTables, qualifiedName, sqlName } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.rls-enabled',
    title: 'Row-level security is on for every exposed table',
    failureTitle: 'Exposed tables without row-level security',
    description: 'Every table of a schema served by the Data API (PostgREST) is readable and writable with the public anon key unless row-level security is enabled on it.',
    section: 'application',
    severity: 'critical',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Enable row-level security on the table, then add the policies it needs',
      command: `psql "$SUPABASE_DB_URL" -c 'alter table {{sqlName}} enable row level security;'`,
      effortMinutes: 15,
    },
    messages: {
      enabled: 'Row-level security is on for {{resource}}',
      disabled: 'Row-level security is OFF for {{resource}}: the anon key can reach it through the Data API',
      'no-tables': 'No table in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }) {
    const tables = exposedTables(schema);
    const schemas = schema.exposedSchemas.join(', ');
    if (tables.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-tables', args: { schemas, sqlName: '<schema>.<table>' } }];
    return tables.map(
      (table): Finding => ({
        resource: qualifiedName(table),
        status: table.rlsEnabled ? 'pass' : 'fail',
        code: table.rlsEnabled ? 'enabled' : 'disabled',
        args: { sqlName: sqlName(table) },
        evidence: { rlsEnabled: table.rlsEnabled, rlsForced: table.rlsForced, policies: table.policyCount, exposedVia: schema.exposedSchemasSource },
      }),
    );
  },
});
