import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { exposedTables, phiColumns, qualifiedName, sqlName } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.sensitive-columns',
    title: 'PHI columns are behind row-level security',
    failureTitle: 'PHI columns are exposed without row-level security',
    description: 'Columns that look like PHI (ssn, date of birth, diagnosis, medical record number, medications, ...) on a table of an exposed schema without RLS can be read by anyone holding the public anon key.',
    section: 'application',
    severity: 'critical',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Enable row-level security on the table now (it denies everything until policies exist), then write its policies',
      command: `psql "$SUPABASE_DB_URL" -c 'alter table {{sqlName}} enable row level security;'`,
      effortMinutes: 30,
    },
    messages: {
      protected: '{{resource}} holds PHI-looking columns ({{columns}}) behind RLS',
      exposed: '{{resource}} exposes PHI-looking columns ({{columns}}) without RLS',
      'none-found': 'No PHI-looking column in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }) {
    const withPhi = exposedTables(schema).flatMap((table) => {
      const columns = phiColumns(table);
      return columns.length > 0 ? [{ table, columns }] : [];
    });
    if (withPhi.length === 0) return [{ resource: 'database', status: 'pass', code: 'none-found', args: { schemas: schema.exposedSchemas.join(', '), sqlName: '<schema>.<table>' } }];
    return withPhi.map(
      ({ table, columns }): Finding => ({
        resource: qualifiedName(table),
        status: table.rlsEnabled ? 'pass' : 'fail',
        code: table.rlsEnabled ? 'protected' : 'exposed',
        args: { columns: columns.join(', '), sqlName: sqlName(table) },
        evidence: { columns, rlsEnabled: table.rlsEnabled },
      }),
    );
  },
});
