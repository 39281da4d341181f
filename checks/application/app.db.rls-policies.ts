import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { alwaysTruePolicies, callerGatedPolicies, count, exposedTables, holdsPhi, qualifiedName, shellWord, sqlName, userMetadataPolicies } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.rls-policies',
    title: 'Row-level security tables have policies that restrict rows',
    failureTitle: 'Row-level security is not backed by restricting policies',
    description:
      'A table with RLS on and no policy is unusable from the app (every request is denied), which usually ends in someone switching RLS off; a policy on a table with RLS off protects nothing. On a table holding PHI, a policy for anon, authenticated or public whose condition is always true (`using (true)`, `1 = 1`) hands every row to every caller, and a policy that trusts user_metadata trusts what each user may write about themselves.',
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Write the access policies of the table so that each caller reaches only their rows (compare with auth.uid(), read roles from app_metadata, never user_metadata), or enable RLS where policies exist',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 60,
    },
    messages: {
      'has-policies': '{{resource}} has RLS on and {{policies}}',
      'no-policy': '{{resource}} has RLS on but no policy: every request from the app is denied',
      'always-true': '{{resource}} holds PHI and policy {{names}} lets {{roles}} through on every row (its condition reads no column of the row: whoever it admits sees them all)',
      'caller-gated':
        '{{resource}} holds PHI and policy {{names}} admits callers by who they are (its condition names a function or another table, not a column of the row): whoever it admits sees every row; readiness cannot tell whom it admits — review it, and waive this result once reviewed',
      'user-metadata': '{{resource}}: policy {{names}} trusts user_metadata, which every user can edit about themselves',
      'policies-ignored': '{{resource}} has {{policies}} but RLS is off: they are not enforced',
      'rls-off': '{{resource}} has RLS off and no policy (see app.db.rls-enabled)',
      unreachable: '{{resource}} is not reachable by anon or authenticated: its policies are not assessed',
      'no-tables': 'No table in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const phiTables = config.supabase?.phiTables ?? [];
    const tables = exposedTables(schema);
    if (tables.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-tables', args: { schemas: schema.exposedSchemas.join(', ') } }];
    return tables.map((table): Finding => {
      const resource = qualifiedName(table);
      const policies = count(table.policies.length, 'policy', 'policies');
      const args = { policies, sql: shellWord(`\\d ${sqlName(table)}`) };
      const evidence = { rlsEnabled: table.rlsEnabled, policies: table.policies.map((policy) => `${policy.name} (${policy.command} to ${policy.roles.join(', ')}): using ${policy.using ?? '-'}; with check ${policy.withCheck ?? '-'}`), apiAccess: table.apiAccess };
      if (!table.rlsEnabled) return { resource, status: table.policies.length > 0 ? 'fail' : 'not_applicable', code: table.policies.length > 0 ? 'policies-ignored' : 'rls-off', args, evidence };
      if (table.apiAccess.length === 0) return { resource, status: 'not_applicable', code: 'unreachable', args, evidence };
      const metadata = userMetadataPolicies(table);
      if (metadata.length > 0) return { resource, status: 'fail', code: 'user-metadata', args: { ...args, names: metadata.map((p) => p.name).join(', ') }, evidence };
      const phi = holdsPhi(table, phiTables);
      const open = phi ? alwaysTruePolicies(table) : [];
      if (open.length > 0) {
        const roles = [...new Set(open.flatMap((policy) => policy.roles))].join(', ');
        return { resource, status: 'fail', code: 'always-true', args: { ...args, names: open.map((p) => `${p.name} (${p.command})`).join(', '), roles }, evidence };
      }
      const gated = phi ? callerGatedPolicies(table) : [];
      if (gated.length > 0) return { resource, status: 'unverified', code: 'caller-gated', args: { ...args, names: gated.map((p) => `${p.name} (${p.command})`).join(', ') }, evidence };
      if (table.policies.length === 0) return { resource, status: 'fail', code: 'no-policy', args, evidence };
      return { resource, status: 'pass', code: 'has-policies', args, evidence };
    });
  },
});
