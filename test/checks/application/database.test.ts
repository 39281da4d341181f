import { describe, expect, it } from 'vitest';
import auditLogging from '../../../checks/application/app.db.audit-logging.js';
import definerFunctions from '../../../checks/application/app.db.definer-functions.js';
import extensions from '../../../checks/application/app.db.extensions.js';
import rlsEnabled from '../../../checks/application/app.db.rls-enabled.js';
import rlsPolicies from '../../../checks/application/app.db.rls-policies.js';
import securityDefinerViews from '../../../checks/application/app.db.security-definer-views.js';
import sensitiveColumns from '../../../checks/application/app.db.sensitive-columns.js';
import serviceKeyExposure from '../../../checks/application/app.secrets.service-key-exposure.js';
import { isPhiColumn } from '../../../checks/lib/database.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

type Trigger = { name: string; function: string; events: string[]; enabled: boolean; functionInserts: boolean; functionExtension: string | null; when?: string | null; updateOf?: string[] };
type Policy = { name: string; command: string; permissive: boolean; roles: string[]; using: string | null; withCheck: string | null; usingConstant: boolean; withCheckConstant: boolean; usingKind?: string; withCheckKind?: string };
const policy = (over: Partial<Policy> = {}): Policy => ({
  name: 'own_rows', command: 'SELECT', permissive: true, roles: ['authenticated'], using: '(owner = auth.uid())', withCheck: null, usingConstant: false, withCheckConstant: false, ...over,
});
const table = (
  name: string,
  over: { schema?: string; kind?: string; owner?: string; apiRolesAsOwner?: string[]; rlsEnabled?: boolean; rlsForced?: boolean; policies?: Policy[]; apiAccess?: string[]; columns?: string[]; triggers?: Trigger[] } = {},
) => ({
  schema: 'public', name, kind: 'table', owner: 'postgres', rlsEnabled: true, rlsForced: false, policies: [policy()], apiAccess: ['anon', 'authenticated'], columns: ['id'], triggers: [], ...over,
});
const schema = (over: Record<string, unknown> = {}) => ({
  exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', tables: [], views: [], functions: [], apiRoles: [],
  extensions: [{ name: 'pgcrypto', schema: 'extensions', version: '1.3', memberSchemas: ['extensions'] }, { name: 'uuid-ossp', schema: 'extensions', version: '1.1', memberSchemas: ['extensions'] }],
  pgaudit: { installed: false, log: null, roleLog: [] }, ...over,
});
/** pgaudit as the collector reads it: installed, no server value (not loaded), and these pg_db_role_setting rows. */
const pgaudit = (over: Record<string, unknown> = {}) => ({ installed: true, log: null, roleLog: [], server: null, settings: [], ...over });
const auditTrigger = (events = ['INSERT', 'UPDATE', 'DELETE'], over: Partial<Trigger> = {}): Trigger => ({
  name: 'audit_i_u_d', function: 'audit.insert_update_delete_trigger', events, enabled: true, functionInserts: true, functionExtension: null, when: null, updateOf: [], ...over,
});

describe('app.db.rls-enabled', () => {
  const cases: CheckCase[] = [
    { name: 'RLS on passes', facts: { schema: schema({ tables: [table('clients')] }) }, expected: [['public.clients', 'pass', 'enabled']] },
    { name: 'RLS off fails', facts: { schema: schema({ tables: [table('flags', { rlsEnabled: false })] }) }, expected: [['public.flags', 'fail', 'disabled']] },
    { name: 'tables outside exposed schemas are not assessed', facts: { schema: schema({ tables: [table('secret', { schema: 'private', rlsEnabled: false }), table('clients')] }) }, expected: [['public.clients', 'pass', 'enabled']] },
    { name: 'no exposed table is not applicable', facts: { schema: schema() }, expected: [['database', 'not_applicable', 'no-tables']] },
    { name: 'RLS off on a table no API role can reach is not applicable', facts: { schema: schema({ tables: [table('jobs', { rlsEnabled: false, apiAccess: [] })] }) }, expected: [['public.jobs', 'not_applicable', 'unreachable']] },
    { name: 'a leaf partition without RLS fails on its own', facts: { schema: schema({ tables: [table('visits', { kind: 'partitioned' }), table('visits_2025', { kind: 'partition', rlsEnabled: false })] }) }, expected: [['public.visits', 'pass', 'enabled'], ['public.visits_2025', 'fail', 'disabled']] },
    { name: 'a reachable foreign table fails (it cannot have RLS)', facts: { schema: schema({ tables: [table('remote', { kind: 'foreign', rlsEnabled: false, policies: [] })] }) }, expected: [['public.remote', 'fail', 'foreign-table']] },
    { name: 'a table owned by an API role without FORCE fails', facts: { schema: schema({ tables: [table('notes', { owner: 'anon' })] }) }, expected: [['public.notes', 'fail', 'owner-bypasses']] },
    { name: 'a table owned by an API role with FORCE passes', facts: { schema: schema({ tables: [table('notes', { owner: 'authenticator', rlsForced: true })] }) }, expected: [['public.notes', 'pass', 'enabled']] },
    { name: 'a table owned by a role whose privileges authenticated inherits fails', facts: { schema: schema({ tables: [table('notes', { owner: 'app_owner', apiRolesAsOwner: ['authenticated'] })] }) }, expected: [['public.notes', 'fail', 'owner-bypasses']] },
    { name: 'a table owned by a role no API role inherits passes', facts: { schema: schema({ tables: [table('notes', { owner: 'app_owner', apiRolesAsOwner: [] })] }) }, expected: [['public.notes', 'pass', 'enabled']] },
    { name: 'an earlier snapshot: an owner other than an API or platform role is unverified', facts: { schema: schema({ tables: [table('notes', { owner: 'app_owner' })] }) }, expected: [['public.notes', 'unverified', 'owner-membership-not-collected']] },
    { name: 'an earlier snapshot: an owner other than an API or platform role with FORCE passes', facts: { schema: schema({ tables: [table('notes', { owner: 'app_owner', rlsForced: true })] }) }, expected: [['public.notes', 'pass', 'enabled']] },
    {
      name: 'an API role with BYPASSRLS fails',
      facts: { schema: schema({ tables: [table('clients')], apiRoles: [{ name: 'anon', bypassRls: false, superuser: false }, { name: 'authenticated', bypassRls: true, superuser: false }] }) },
      expected: [['role authenticated', 'fail', 'role-bypasses-rls'], ['public.clients', 'pass', 'enabled']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(rlsEnabled, c)).toEqual(c.expected));
});

describe('app.db.rls-policies', () => {
  const phi = { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: ['notes'] } };
  const open = (over: Partial<Policy> = {}) => policy({ name: 'open', roles: ['anon'], using: 'true', usingConstant: true, ...over });
  const cases: CheckCase[] = [
    { name: 'RLS with a policy passes', facts: { schema: schema({ tables: [table('clients', { policies: [policy(), policy({ name: 'b' })] })] }) }, expected: [['public.clients', 'pass', 'has-policies']] },
    { name: 'RLS without policy fails', facts: { schema: schema({ tables: [table('clients', { policies: [] })] }) }, expected: [['public.clients', 'fail', 'no-policy']] },
    { name: 'policies on a table with RLS off fail', facts: { schema: schema({ tables: [table('clients', { rlsEnabled: false, policies: [policy(), policy(), policy()] })] }) }, expected: [['public.clients', 'fail', 'policies-ignored']] },
    { name: 'RLS off and no policy is left to rls-enabled', facts: { schema: schema({ tables: [table('flags', { rlsEnabled: false, policies: [] })] }) }, expected: [['public.flags', 'not_applicable', 'rls-off']] },
    { name: 'USING (true) for anon on a declared PHI table fails', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open()] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'USING (1 = 1) for public on a PHI-column table fails', facts: { schema: schema({ tables: [table('labs', { columns: ['id', 'lab_result'], policies: [open({ roles: ['public'], using: '(1 = 1)' })] })] }) }, expected: [['public.labs', 'fail', 'always-true']] },
    { name: 'WITH CHECK (true) for authenticated on PHI fails', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [policy({ command: 'INSERT', using: null, withCheck: 'true', withCheckConstant: true })] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'USING (true) on a table without PHI passes', facts: { schema: schema({ tables: [table('flags', { policies: [open()] })] }) }, expected: [['public.flags', 'pass', 'has-policies']] },
    { name: 'USING (true) for service_role only passes', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ roles: ['service_role'] })] })] }) }, expected: [['public.notes', 'pass', 'has-policies']] },
    { name: 'a restrictive always-true policy restricts nothing more, but opens nothing', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [policy(), open({ permissive: false })] })] }) }, expected: [['public.notes', 'pass', 'has-policies']] },
    { name: 'a constant that mentions false or null can be true: (true OR false), (NULL IS NULL)', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ using: '(true OR false)' }), open({ name: 'n', roles: ['public'], using: '(NULL::unknown IS NULL)' })] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'a condition that reads no column (auth.uid() IS NOT NULL) for authenticated on PHI fails', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ roles: ['authenticated'], using: '(auth.uid() IS NOT NULL)' })] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'a NULL policy opens nothing', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ using: 'NULL::boolean' })] })] }) }, expected: [['public.notes', 'pass', 'has-policies']] },
    { name: 'a constant false policy opens nothing', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ using: '(1 = 0)' }), open({ name: 'f', using: 'false' })] })] }) }, expected: [['public.notes', 'pass', 'has-policies']] },
    { name: 'a policy trusting user_metadata fails', facts: { schema: schema({ tables: [table('flags', { policies: [policy({ using: "((auth.jwt() -> 'user_metadata'::text) ->> 'role'::text) = 'admin'::text" })] })] }) }, expected: [['public.flags', 'fail', 'user-metadata']] },
    { name: 'a constant USING kind for anon on PHI fails', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ usingKind: 'constant' })] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'a signed-in-only USING kind for authenticated on PHI fails', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ roles: ['authenticated'], using: '(auth.uid() IS NOT NULL)', usingKind: 'signed-in' })] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'a caller-gated USING (is_admin()) on PHI is unverified, not pass', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [policy(), open({ roles: ['authenticated'], using: 'is_admin()', usingKind: 'caller-gated' })] })] }) }, expected: [['public.notes', 'unverified', 'caller-gated']] },
    { name: 'a caller-gated WITH CHECK on PHI is unverified', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [policy({ command: 'INSERT', using: null, withCheck: 'is_admin()', withCheckConstant: true, withCheckKind: 'caller-gated' })] })] }) }, expected: [['public.notes', 'unverified', 'caller-gated']] },
    { name: 'an always-true policy beside a caller-gated one still fails', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ name: 'admins', roles: ['authenticated'], using: 'is_admin()', usingKind: 'caller-gated' }), open({ usingKind: 'constant' })] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'a caller-gated policy for service_role only passes', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ roles: ['service_role'], using: 'is_admin()', usingKind: 'caller-gated' })] })] }) }, expected: [['public.notes', 'pass', 'has-policies']] },
    { name: 'a caller-gated policy on a table without PHI passes', facts: { schema: schema({ tables: [table('flags', { policies: [open({ roles: ['authenticated'], using: 'is_admin()', usingKind: 'caller-gated' })] })] }) }, expected: [['public.flags', 'pass', 'has-policies']] },
    { name: 'a row-reading USING kind passes even if the old boolean were set', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [policy({ usingConstant: false, usingKind: 'row' })] })] }) }, expected: [['public.notes', 'pass', 'has-policies']] },
    { name: 'an old snapshot (no kind) of is_admin() fails as before', config: phi, facts: { schema: schema({ tables: [table('notes', { policies: [open({ roles: ['authenticated'], using: 'is_admin()' })] })] }) }, expected: [['public.notes', 'fail', 'always-true']] },
    { name: 'a table no API role can reach is not applicable', config: phi, facts: { schema: schema({ tables: [table('notes', { apiAccess: [], policies: [open()] })] }) }, expected: [['public.notes', 'not_applicable', 'unreachable']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(rlsPolicies, c)).toEqual(c.expected));

  it('says whom a caller-gated policy lets through and what to do', () => {
    expect(renderedMessages(rlsPolicies, { schema: schema({ tables: [table('notes', { policies: [open({ name: 'admins', roles: ['authenticated'], using: 'is_admin()', usingKind: 'caller-gated' })] })] }) }, phi)).toEqual([
      'public.notes holds PHI and policy admins (SELECT) admits callers by who they are (its condition names a function or another table, not a column of the row): whoever it admits sees every row; readiness cannot tell whom it admits — review it, and waive this result once reviewed',
    ]);
  });

  it('counts in words: "1 policy", "2 policies"', () => {
    expect(renderedMessages(rlsPolicies, { schema: schema({ tables: [table('a'), table('b', { policies: [policy(), policy()] })] }) })).toEqual(['public.a has RLS on and 1 policy', 'public.b has RLS on and 2 policies']);
  });
});

describe('app.db.sensitive-columns', () => {
  const cases: CheckCase[] = [
    { name: 'PHI columns behind RLS pass', facts: { schema: schema({ tables: [table('clients', { columns: ['id', 'date_of_birth', 'ssn'] })] }) }, expected: [['public.clients', 'pass', 'protected']] },
    { name: 'PHI columns without RLS fail', facts: { schema: schema({ tables: [table('patients', { rlsEnabled: false, columns: ['id', 'mrn', 'primary_diagnosis'] })] }) }, expected: [['public.patients', 'fail', 'exposed']] },
    { name: 'look-alike names are not PHI', config: { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: ['intake_forms'] } }, facts: { schema: schema({ tables: [table('flags', { rlsEnabled: false, columns: ['id', 'lesson', 'dobby', 'address_id', 'secretary', 'passage'] })] }) }, expected: [['database', 'pass', 'none-found']] },
    // Column names are a guess: a patients table of first_name, phone, notes without RLS matches none. With no table
    // declared as PHI, "none found" says only that the guess found nothing.
    { name: 'nothing recognised and no supabase.phiTables is unverified, not a pass', facts: { schema: schema({ tables: [table('patients', { rlsEnabled: false, columns: ['id', 'first_name', 'last_name', 'phone', 'home_address', 'notes'] })] }) }, expected: [['database', 'unverified', 'phi-undeclared']] },
    { name: 'a declared PHI table is PHI whatever its columns', config: { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: ['intake_forms'] } }, facts: { schema: schema({ tables: [table('intake_forms', { rlsEnabled: false, columns: ['id', 'answers'] })] }) }, expected: [['public.intake_forms', 'fail', 'exposed']] },
    { name: 'a foreign table holding PHI is exposed (no RLS possible)', facts: { schema: schema({ tables: [table('remote', { kind: 'foreign', rlsEnabled: false, columns: ['mrn'] })] }) }, expected: [['public.remote', 'fail', 'exposed']] },
    { name: 'PHI no API role can reach is not applicable', facts: { schema: schema({ tables: [table('archive', { rlsEnabled: false, apiAccess: [], columns: ['ssn'] })] }) }, expected: [['public.archive', 'not_applicable', 'unreachable']] },
    {
      name: 'each PHI pattern is recognised',
      facts: { schema: schema({ tables: ['dob', 'birth_date', 'medical_record_number', 'diagnoses', 'medications', 'insurance_member_id', 'icd10_code', 'social_security_number'].map((column) => table(column, { rlsEnabled: false, columns: [column] })) }) },
      expected: ['dob', 'birth_date', 'medical_record_number', 'diagnoses', 'medications', 'insurance_member_id', 'icd10_code', 'social_security_number'].map((column) => [`public.${column}`, 'fail', 'exposed']),
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(sensitiveColumns, c)).toEqual(c.expected));

  it.each([
    ['ssn', true], ['dob', true], ['dateOfBirth', true], ['DateOfBirth', true], ['birthdate', true], ['patient_id', true], ['patientId', true], ['patient', true],
    ['mrn', true], ['medicalRecordNumber', true], ['diagnosis', true], ['primary_diagnosis', true], ['medications', true], ['prescription', true],
    ['insurance_member_id', true], ['icd10_code', true], ['social_security_number', true], ['lab_result', true], ['allergies', true],
    ['password', true], ['password_hash', true], ['passwordHash', true], ['api_key', true], ['apiKey', true], ['refresh_token', true], ['totp_secret', true], ['private_key', true],
    ['credit_card', true], ['creditCardNumber', true], ['card_number', true], ['cvv', true], ['iban', true], ['bank_account', true], ['routing_number', true],
    ['id', false], ['lesson', false], ['dobby', false], ['address_id', false], ['secretary', false], ['passage', false], ['outpatient_clinic_name', false], ['created_at', false], ['status', false],
  ] as const)('column %s looks like PHI: %s', (column, expected) => expect(isPhiColumn(column)).toBe(expected));
});

describe('app.db.security-definer-views', () => {
  const view = (name: string, securityInvoker: boolean, materialized = false, apiAccess = ['anon', 'authenticated']) => ({ schema: 'public', name, securityInvoker, materialized, apiAccess });
  const cases: CheckCase[] = [
    { name: 'security_invoker view passes', facts: { schema: schema({ views: [{ ...view('summaries', true), baseTables: ['public.clients'] }], tables: [table('clients')] }) }, expected: [['public.summaries', 'pass', 'invoker']] },
    { name: 'definer view fails', facts: { schema: schema({ views: [view('all_clients', false)] }) }, expected: [['public.all_clients', 'fail', 'definer']] },
    { name: 'materialized view fails', facts: { schema: schema({ views: [view('stats', false, true)] }) }, expected: [['public.stats', 'fail', 'materialized']] },
    { name: 'no view is not applicable', facts: { schema: schema() }, expected: [['database', 'not_applicable', 'no-views']] },
    { name: 'a definer view no API role can reach is not applicable', facts: { schema: schema({ views: [view('internal', false, false, [])] }) }, expected: [['public.internal', 'not_applicable', 'unreachable']] },
    { name: 'a materialized view no API role can reach is not applicable', facts: { schema: schema({ views: [view('stats', false, true, [])] }) }, expected: [['public.stats', 'not_applicable', 'unreachable']] },
    {
      name: 'an invoker view reading a PHI table of another schema without RLS fails',
      facts: { schema: schema({ views: [{ ...view('patient_summary', true), baseTables: ['private.patients'] }], tables: [table('patients', { schema: 'private', rlsEnabled: false, apiAccess: ['authenticated'], columns: ['id', 'date_of_birth'] })] }) },
      expected: [['public.patient_summary', 'fail', 'base-table-rls-off']],
    },
    {
      name: 'an invoker view reading a PHI table with RLS, a table without PHI, or another exposed view passes',
      facts: {
        schema: schema({
          views: [{ ...view('summary', true), baseTables: ['private.patients', 'private.hours', 'public.other'] }, { ...view('other', true), baseTables: [] }],
          tables: [table('patients', { schema: 'private', columns: ['id', 'ssn'] }), table('hours', { schema: 'private', rlsEnabled: false })],
        }),
      },
      expected: [['public.summary', 'pass', 'invoker'], ['public.other', 'pass', 'invoker']],
    },
    {
      name: 'a declared PHI base table without RLS that no API role reaches is unverified: SELECT without schema USAGE reads through the view',
      config: { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: ['private.notes'] } },
      facts: { schema: schema({ views: [{ ...view('notes_view', true), baseTables: ['private.notes'] }], tables: [table('notes', { schema: 'private', rlsEnabled: false, apiAccess: [] })] }) },
      expected: [['public.notes_view', 'unverified', 'base-table-grants-unknown']],
    },
    { name: 'an invoker view reading a table not collected is unverified', facts: { schema: schema({ views: [{ ...view('v', true), baseTables: ['vault.charts'] }] }) }, expected: [['public.v', 'unverified', 'base-table-not-collected']] },
    { name: 'an invoker view from a snapshot without base tables is unverified', facts: { schema: schema({ views: [view('summaries', true)] }) }, expected: [['public.summaries', 'unverified', 'base-tables-not-collected']] },
    { name: 'an invoker view no API role can reach passes as before', facts: { schema: schema({ views: [view('internal', true, false, [])] }) }, expected: [['public.internal', 'pass', 'invoker']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(securityDefinerViews, c)).toEqual(c.expected));
});

describe('app.db.audit-logging', () => {
  const phi = { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: ['clients', 'clinical_notes'] } };
  const cases: CheckCase[] = [
    { name: 'audit triggers pass', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger()] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'pass', 'trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'a PHI table without audit fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger()] }), table('clinical_notes', { triggers: [{ name: 'set_updated_at', function: 'public.touch', events: ['UPDATE'], enabled: true, functionInserts: false, functionExtension: null }] })] }) }, expected: [['public.clients', 'pass', 'trigger'], ['public.clinical_notes', 'fail', 'not-audited']] },
    { name: 'an audit trigger missing DELETE fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(['INSERT', 'UPDATE'])] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'fail', 'partial-trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'pgaudit logging writes for the whole server passes', config: phi, facts: { schema: schema({ tables: [table('clients'), table('clinical_notes')], pgaudit: pgaudit({ server: { log: 'write, ddl', source: 'configuration file' } }) }) }, expected: [['public.clients', 'pass', 'pgaudit'], ['public.clinical_notes', 'pass', 'pgaudit']] },
    { name: "pgaudit set on authenticator, the Data API's login role, passes", config: phi, facts: { schema: schema({ tables: [table('clients'), table('clinical_notes')], pgaudit: pgaudit({ settings: [{ role: 'authenticator', inDatabase: false, log: 'write, ddl' }] }) }) }, expected: [['public.clients', 'pass', 'pgaudit'], ['public.clinical_notes', 'pass', 'pgaudit']] },
    { name: 'a pgaudit setting on authenticated alone fails: the Data API logs in as authenticator', config: phi, facts: { schema: schema({ tables: [table('clients'), table('clinical_notes')], pgaudit: pgaudit({ settings: [{ role: 'authenticated', inDatabase: false, log: 'all' }] }) }) }, expected: [['public.clients', 'fail', 'pgaudit-other-roles'], ['public.clinical_notes', 'fail', 'pgaudit-other-roles']] },
    { name: 'pgaudit logging only DDL does not count', config: phi, facts: { schema: schema({ tables: [table('clients'), table('clinical_notes')], pgaudit: pgaudit({ server: { log: 'ddl', source: 'configuration file' } }) }) }, expected: [['public.clients', 'fail', 'not-audited'], ['public.clinical_notes', 'fail', 'not-audited']] },
    { name: 'a configured PHI table that does not exist fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'pass', 'trigger'], ['clinical_notes', 'fail', 'table-missing']] },
    { name: 'no phiTables configured is unverified', facts: { schema: schema({ tables: [table('clients')] }) }, expected: [['database', 'unverified', 'no-phi-tables']] },
    { name: 'a disabled audit trigger fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(undefined, { enabled: false })] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'fail', 'disabled-trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'an audit trigger whose function records nothing fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(undefined, { function: 'public.audit_noop', functionInserts: false })] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'fail', 'no-op-trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'an audit trigger with a WHEN condition is unverified', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(undefined, { when: 'false' })] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'unverified', 'conditional-trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'an audit trigger on UPDATE OF some columns is unverified', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(undefined, { updateOf: ['body'] })] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'unverified', 'conditional-trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    {
      name: 'UPDATE OF some columns with another trigger on every update passes',
      config: phi,
      facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(undefined, { updateOf: ['body'] }), auditTrigger(['UPDATE'], { name: 'audit_u' })] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) },
      expected: [['public.clients', 'pass', 'trigger'], ['public.clinical_notes', 'pass', 'trigger']],
    },
    { name: 'a conditional audit trigger that misses DELETE fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(['INSERT', 'UPDATE'], { when: '(new.id > 0)' })] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'fail', 'partial-trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'a conditional audit trigger with pgaudit logging writes passes on pgaudit', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(undefined, { when: 'false' })] }), table('clinical_notes', { triggers: [auditTrigger()] })], pgaudit: pgaudit({ server: { log: 'write', source: 'configuration file' } }) }) }, expected: [['public.clients', 'pass', 'pgaudit'], ['public.clinical_notes', 'pass', 'trigger']] },
    {
      name: 'an earlier snapshot without the trigger condition and columns is unverified',
      config: phi,
      facts: { schema: schema({ tables: [table('clients', { triggers: [{ name: 'audit_i_u_d', function: 'audit.insert_update_delete_trigger', events: ['INSERT', 'UPDATE', 'DELETE'], enabled: true, functionInserts: true, functionExtension: null }] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) },
      expected: [['public.clients', 'unverified', 'trigger-scope-not-collected'], ['public.clinical_notes', 'pass', 'trigger']],
    },
    { name: "supa_audit's trigger function counts", config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(undefined, { name: 'audit_i_u_d', functionInserts: false, functionExtension: 'supa_audit' })] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'pass', 'trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    {
      name: 'a name without schema means that table in every exposed schema',
      config: phi,
      facts: { schema: schema({ exposedSchemas: ['public', 'api'], tables: [table('clients', { triggers: [auditTrigger()] }), table('clinical_notes', { triggers: [auditTrigger()] }), table('clinical_notes', { schema: 'api' })] }) },
      expected: [['public.clients', 'pass', 'trigger'], ['public.clinical_notes', 'pass', 'trigger'], ['api.clinical_notes', 'fail', 'not-audited']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(auditLogging, c)).toEqual(c.expected));
});

describe('app.db.definer-functions', () => {
  const fn = (name: string, over: Record<string, unknown> = {}) => ({ schema: 'public', name, arguments: '', securityDefiner: false, returnsTrigger: false, searchPath: "''", apiExecute: ['anon', 'authenticated'], ...over });
  const cases: CheckCase[] = [
    { name: 'an invoker function with a fixed search_path passes', facts: { schema: schema({ functions: [fn('lookup')] }) }, expected: [['public.lookup()', 'pass', 'safe']] },
    { name: 'a definer function anon may execute fails', facts: { schema: schema({ functions: [fn('all_notes', { securityDefiner: true, arguments: 'since date' })] }) }, expected: [['public.all_notes(since date)', 'fail', 'definer-exposed']] },
    { name: 'a definer function only service_role may execute passes', facts: { schema: schema({ functions: [fn('purge', { securityDefiner: true, apiExecute: [], searchPath: 'pg_catalog, pg_temp' })] }) }, expected: [['public.purge()', 'pass', 'definer-fixed']] },
    { name: 'a definer trigger function cannot be called through /rpc', facts: { schema: schema({ functions: [fn('handle_new_user', { securityDefiner: true, returnsTrigger: true, searchPath: 'pg_catalog, pg_temp' })] }) }, expected: [['public.handle_new_user()', 'pass', 'definer-fixed']] },
    { name: 'a function without its own search_path fails', facts: { schema: schema({ functions: [fn('lookup', { searchPath: null })] }) }, expected: [['public.lookup()', 'fail', 'mutable-search-path']] },
    { name: 'no function is not applicable', facts: { schema: schema() }, expected: [['database', 'not_applicable', 'no-functions']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(definerFunctions, c)).toEqual(c.expected));
});

describe('app.db.extensions', () => {
  const cases: CheckCase[] = [
    { name: 'installed in extensions passes', facts: { schema: schema() }, expected: [['pgcrypto', 'pass', 'installed'], ['uuid-ossp', 'pass', 'installed']] },
    { name: 'missing fails', facts: { schema: schema({ extensions: [{ name: 'pgcrypto', schema: 'extensions', version: '1.3', memberSchemas: ['extensions'] }] }) }, expected: [['pgcrypto', 'pass', 'installed'], ['uuid-ossp', 'fail', 'missing']] },
    {
      name: 'any extension in public fails',
      facts: { schema: schema({ extensions: [{ name: 'pgcrypto', schema: 'public', version: '1.3', memberSchemas: ['public'] }, { name: 'uuid-ossp', schema: 'extensions', version: '1.1', memberSchemas: ['extensions'] }, { name: 'pg_trgm', schema: 'public', version: '1.6', memberSchemas: ['public'] }] }) },
      expected: [['pgcrypto', 'fail', 'in-public'], ['uuid-ossp', 'pass', 'installed'], ['pg_trgm', 'fail', 'in-public']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(extensions, c)).toEqual(c.expected));
});

describe('app.secrets.service-key-exposure', () => {
  const scan = (findings: { file: string; line: number; kind: string; commit?: string }[], over: Record<string, unknown> = {}) => ({ source: 'git', filesScanned: 10, buildDir: 'dist', findings, unscanned: [], buildDirMissing: false, history: { commits: 40, shallow: false }, ...over });
  const cases: CheckCase[] = [
    { name: 'clean scan passes', facts: { scan: scan([]) }, expected: [['repository', 'pass', 'clean']] },
    { name: 'a configured build folder that does not exist is unverified', facts: { scan: scan([], { buildDirMissing: true }) }, expected: [['dist', 'unverified', 'build-dir-missing']] },
    { name: 'a file too large to scan is unverified', facts: { scan: scan([], { unscanned: [{ file: 'dist/vendor.js', reason: 'too-large' }] }) }, expected: [['repository', 'unverified', 'files-unscanned']] },
    { name: 'a found key fails, and the file not scanned is still said', facts: { scan: scan([{ file: '.env', line: 2, kind: 'service-role-jwt' }], { unscanned: [{ file: 'big.sql', reason: 'too-large' }] }) }, expected: [['.env:2', 'fail', 'exposed'], ['repository', 'unverified', 'files-unscanned']] },
    {
      name: 'a found key fails, and a history git could not read is still said',
      facts: { scan: scan([{ file: '.env', line: 2, kind: 'service-role-jwt' }], { gitError: 'fatal: detected dubious ownership in repository', history: null }) },
      expected: [['.env:2', 'fail', 'exposed'], ['repository', 'unverified', 'git-unreadable']],
    },
    {
      name: 'one failure per place',
      facts: { scan: scan([{ file: '.env', line: 2, kind: 'service-role-jwt' }, { file: 'dist/assets/a.js', line: 1, kind: 'database-url-password' }]) },
      expected: [['.env:2', 'fail', 'exposed'], ['dist/assets/a.js:1', 'fail', 'exposed']],
    },
    { name: 'a key found only in a commit of the history fails', facts: { scan: scan([{ file: '.env', line: 2, kind: 'database-password', commit: 'abc1234' }]) }, expected: [['abc1234:.env:2', 'fail', 'exposed-in-history']] },
    { name: 'a shallow clone is unverified, not clean', facts: { scan: scan([], { history: { commits: 1, shallow: true } }) }, expected: [['repository', 'unverified', 'shallow-history']] },
    {
      name: 'a shallow clone with findings fails them and says the history was not read',
      facts: { scan: scan([{ file: '.env', line: 2, kind: 'database-password' }], { history: { commits: 1, shallow: true } }) },
      expected: [['.env:2', 'fail', 'exposed'], ['repository', 'unverified', 'shallow-history']],
    },
    { name: 'a git scan that did not record the history (older snapshot) is unverified', facts: { scan: scan([], { history: undefined }) }, expected: [['repository', 'unverified', 'history-not-scanned']] },
    { name: 'outside a git work tree there is no history to scan', facts: { scan: scan([], { source: 'walk', history: null }) }, expected: [['repository', 'pass', 'clean']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(serviceKeyExposure, c)).toEqual(c.expected));
});
