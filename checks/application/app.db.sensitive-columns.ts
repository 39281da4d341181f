import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { declaredPhi, exposedTables, phiColumns, qualifiedName, shellWord, sqlName } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.sensitive-columns',
    title: 'PHI is behind row-level security',
    failureTitle: 'PHI is exposed without row-level security',
    description:
      'A table of `supabase.phiTables`, whatever its columns, or one whose columns look like PHI (ssn, date of birth, diagnosis, medical record number, patient id, medications, ...) or like credentials and payment data, in an exposed schema without RLS can be read by anyone holding the public anon key. Column names are only a guess: with no table recognised and none listed in `supabase.phiTables`, the check is unverified.',
    section: 'application',
    severity: 'critical',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Enable row-level security on the table now (it denies everything until policies exist), then write its policies',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 30,
    },
    messages: {
      protected: '{{resource}} holds PHI ({{why}}) behind RLS',
      exposed: '{{resource}} exposes PHI ({{why}}) without RLS',
      unreachable: '{{resource}} holds PHI ({{why}}) without RLS, but neither anon nor authenticated holds a privilege on it',
      'none-found': 'No table of supabase.phiTables and no PHI-looking column in the exposed schemas ({{schemas}})',
      'phi-undeclared':
        'No PHI-looking column in the exposed schemas ({{schemas}}), and supabase.phiTables names no table: which tables hold PHI is unknown (column names are only a guess; a patients table of first_name, phone, notes matches none). List them in supabase.phiTables',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const phiTables = config.supabase?.phiTables ?? [];
    // Compared without case: `patient` is how the table "Patient" that Prisma and other quoting tools create is spoken of.
    const foldedPhiTables = phiTables.map((entry) => entry.toLowerCase());
    const withPhi = exposedTables(schema).flatMap((table) => {
      const columns = phiColumns(table);
      const declared = declaredPhi({ schema: table.schema.toLowerCase(), name: table.name.toLowerCase() }, foldedPhiTables);
      return declared || columns.length > 0 ? [{ table, columns, declared }] : [];
    });
    if (withPhi.length === 0) {
      const args = { schemas: schema.exposedSchemas.join(', ') };
      return [phiTables.length > 0 ? { resource: 'database', status: 'pass', code: 'none-found', args } : { resource: 'database', status: 'unverified', code: 'phi-undeclared', args }];
    }
    return withPhi.map(({ table, columns, declared }): Finding => {
      const why = [declared ? 'listed in supabase.phiTables' : '', columns.length > 0 ? `columns ${columns.join(', ')}` : ''].filter(Boolean).join('; ');
      const protectedByRls = table.rlsEnabled && table.kind !== 'foreign';
      const status = protectedByRls ? 'pass' : table.apiAccess.length === 0 ? 'not_applicable' : 'fail';
      return {
        resource: qualifiedName(table),
        status,
        code: status === 'pass' ? 'protected' : status === 'fail' ? 'exposed' : 'unreachable',
        args: { why, sql: shellWord(`alter table ${sqlName(table)} enable row level security;`) },
        evidence: { declared, columns, rlsEnabled: table.rlsEnabled, kind: table.kind, apiAccess: table.apiAccess },
      };
    });
  },
});
