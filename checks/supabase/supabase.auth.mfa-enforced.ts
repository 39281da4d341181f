import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabasePolicy, type DatabaseTable } from '../../src/facts/postgres.js';
import { declaredPhi, exposedTables, holdsPhi, qualifiedName, shellWord, sqlIdentifier, sqlName } from '../lib/database.js';

const COMMANDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
type Command = (typeof COMMANDS)[number];

/** Policies that bind a signed-in caller: those for authenticated, or for every role. */
const bindsSignedIn = (policy: DatabasePolicy): boolean => policy.roles.includes('authenticated') || policy.roles.includes('public');

/** ALL stands for the four commands. */
const commandsOf = (policy: DatabasePolicy): Command[] => (policy.command === 'ALL' ? [...COMMANDS] : [policy.command]);

/**
 * Commands an aal2 restrictive policy holds back from an aal1 session. Its USING guards reads, updates and deletes;
 * an INSERT is judged by WITH CHECK, which an ALL policy takes from USING only when it has none of its own.
 */
function aal2Guards(policy: DatabasePolicy): Command[] {
  return commandsOf(policy).filter((command) => command !== 'INSERT' || (policy.command === 'ALL' && (policy.withCheck === null || policy.withCheck === policy.using)));
}

export default defineCheck({
  meta: {
    id: 'supabase.auth.mfa-enforced',
    title: 'Tables holding PHI require a second factor (aal2)',
    failureTitle: 'A password alone reaches PHI: aal2 is not required',
    description:
      'MFA that users may skip protects nobody: with TOTP merely available, a stolen password signs in at aal1 and the Data API serves PHI to that session. Each table holding PHI that authenticated users reach needs a RESTRICTIVE policy requiring `auth.jwt() ->> \'aal\' = \'aal2\'` for every command they may run; checks in the front end do not count, as the API is called directly.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text: 'Add a restrictive policy requiring aal2 to the table (with MFA enrolment on; see supabase.auth.mfa), after every staff user has enrolled a factor',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 30,
    },
    messages: {
      required: '{{resource}} holds PHI and restrictive policy {{names}} requires aal2',
      'aal1-reads': '{{resource}} holds PHI and an aal1 session (password only) reads it: no restrictive policy requires aal2 for SELECT',
      'aal1-writes': '{{resource}} holds PHI and an aal1 session (password only) may {{commands}} rows: aal2 is required for {{covered}}',
      unrecognised: '{{resource}} holds PHI and policy {{names}} reads the aal claim in a form readiness does not recognise as requiring aal2 (under an OR, only for enrolled users, or a negation): review it, and waive this result once reviewed',
      'rls-off': '{{resource}} holds PHI and row-level security does not apply to it: no policy, aal2 or other, holds back a password-only session (see app.db.sensitive-columns)',
      'not-collected': 'The aal conditions of the policies on {{resource}} were not collected (snapshot taken before they were): run `readiness check` against the database again',
      'not-reachable': '{{resource}} holds PHI but signed-in users reach no row of it through the Data API (no privilege, or no permissive policy for them)',
      'no-phi-tables': 'No table of the exposed schemas ({{schemas}}) holds PHI',
      'phi-undeclared': 'No table of the exposed schemas ({{schemas}}) is known to hold PHI: list them in supabase.phiTables',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const phiTables = config.supabase?.phiTables ?? [];
    const withPhi = exposedTables(schema).filter((table) => holdsPhi(table, phiTables));
    if (withPhi.length === 0) {
      const args = { schemas: schema.exposedSchemas.join(', ') };
      return [phiTables.length > 0 ? { resource: 'database', status: 'not_applicable', code: 'no-phi-tables', args } : { resource: 'database', status: 'unverified', code: 'phi-undeclared', args }];
    }
    return withPhi.map((table) => judge(table, declaredPhi(table, phiTables)));
  },
});

function judge(table: DatabaseTable, declared: boolean): Finding {
  const resource = qualifiedName(table);
  const requireAal2 = `create policy ${sqlIdentifier('require_aal2')} on ${sqlName(table)} as restrictive to authenticated using ((select auth.jwt() ->> 'aal') = 'aal2');`;
  const args = { sql: shellWord(requireAal2) };
  const evidence = {
    declared,
    rlsEnabled: table.rlsEnabled,
    kind: table.kind,
    apiAccess: table.apiAccess,
    policies: table.policies.map((policy) => `${policy.name} (${policy.permissive ? 'permissive' : 'restrictive'} ${policy.command} to ${policy.roles.join(', ')}): using ${policy.using ?? '-'}`),
  };
  if (!table.apiAccess.includes('authenticated')) return { resource, status: 'not_applicable', code: 'not-reachable', evidence };
  // RLS does not apply to a foreign table; without it no policy applies at all.
  if (!table.rlsEnabled || table.kind === 'foreign') return { resource, status: 'fail', code: 'rls-off', args: { sql: shellWord(`alter table ${sqlName(table)} enable row level security; ${requireAal2}`) }, evidence };
  const signedIn = table.policies.filter(bindsSignedIn);
  if (signedIn.some((policy) => policy.usingAal === undefined)) return { resource, status: 'unverified', code: 'not-collected', args, evidence };
  // What a signed-in caller may do: permissive policies grant it; restrictive ones only narrow it.
  const granted = new Set(signedIn.filter((policy) => policy.permissive).flatMap(commandsOf));
  if (granted.size === 0) return { resource, status: 'not_applicable', code: 'not-reachable', evidence };
  const requiring = signedIn.filter((policy) => !policy.permissive && policy.usingAal === 'aal2');
  const guarded = new Set(requiring.flatMap(aal2Guards));
  const open = COMMANDS.filter((command) => granted.has(command) && !guarded.has(command));
  if (open.length === 0) return { resource, status: 'pass', code: 'required', args: { ...args, names: requiring.map((p) => p.name).join(', ') }, evidence };
  const unclear = signedIn.filter((policy) => !policy.permissive && policy.usingAal === 'other');
  if (unclear.length > 0) return { resource, status: 'unverified', code: 'unrecognised', args: { ...args, names: unclear.map((p) => p.name).join(', ') }, evidence };
  if (open.includes('SELECT')) return { resource, status: 'fail', code: 'aal1-reads', args, evidence };
  const covered = COMMANDS.filter((command) => guarded.has(command));
  return { resource, status: 'fail', code: 'aal1-writes', args: { ...args, commands: open.join(', '), covered: covered.length > 0 ? covered.join(', ') : 'no command' }, evidence };
}
