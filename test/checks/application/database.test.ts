import { describe, expect, it } from 'vitest';
import auditLogging from '../../../checks/application/app.db.audit-logging.js';
import extensions from '../../../checks/application/app.db.extensions.js';
import rlsEnabled from '../../../checks/application/app.db.rls-enabled.js';
import rlsPolicies from '../../../checks/application/app.db.rls-policies.js';
import securityDefinerViews from '../../../checks/application/app.db.security-definer-views.js';
import sensitiveColumns from '../../../checks/application/app.db.sensitive-columns.js';
import serviceKeyExposure from '../../../checks/application/app.secrets.service-key-exposure.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

type Trigger = { name: string; function: string; events: string[] };
const table = (name: string, over: { schema?: string; rlsEnabled?: boolean; policyCount?: number; columns?: string[]; triggers?: Trigger[] } = {}) => ({
  schema: 'public', name, rlsEnabled: true, rlsForced: false, policyCount: 1, columns: ['id'], triggers: [], ...over,
});
const schema = (over: Record<string, unknown> = {}) => ({
  exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', tables: [], views: [],
  extensions: [{ name: 'pgcrypto', schema: 'extensions', version: '1.3' }, { name: 'uuid-ossp', schema: 'extensions', version: '1.1' }],
  pgaudit: { installed: false, log: null, roleLog: [] }, ...over,
});
const auditTrigger = (events = ['INSERT', 'UPDATE', 'DELETE']): Trigger => ({ name: 'audit_i_u_d', function: 'audit.insert_update_delete_trigger', events });

describe('app.db.rls-enabled', () => {
  const cases: CheckCase[] = [
    { name: 'RLS on passes', facts: { schema: schema({ tables: [table('clients')] }) }, expected: [['public.clients', 'pass', 'enabled']] },
    { name: 'RLS off fails', facts: { schema: schema({ tables: [table('flags', { rlsEnabled: false })] }) }, expected: [['public.flags', 'fail', 'disabled']] },
    { name: 'tables outside exposed schemas are not assessed', facts: { schema: schema({ tables: [table('secret', { schema: 'private', rlsEnabled: false }), table('clients')] }) }, expected: [['public.clients', 'pass', 'enabled']] },
    { name: 'no exposed table is not applicable', facts: { schema: schema() }, expected: [['database', 'not_applicable', 'no-tables']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(rlsEnabled, c)).toEqual(c.expected));
});

describe('app.db.rls-policies', () => {
  const cases: CheckCase[] = [
    { name: 'RLS with a policy passes', facts: { schema: schema({ tables: [table('clients', { policyCount: 2 })] }) }, expected: [['public.clients', 'pass', 'has-policies']] },
    { name: 'RLS without policy fails', facts: { schema: schema({ tables: [table('clients', { policyCount: 0 })] }) }, expected: [['public.clients', 'fail', 'no-policy']] },
    { name: 'policies on a table with RLS off fail', facts: { schema: schema({ tables: [table('clients', { rlsEnabled: false, policyCount: 3 })] }) }, expected: [['public.clients', 'fail', 'policies-ignored']] },
    { name: 'RLS off and no policy is left to rls-enabled', facts: { schema: schema({ tables: [table('flags', { rlsEnabled: false, policyCount: 0 })] }) }, expected: [['public.flags', 'not_applicable', 'rls-off']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(rlsPolicies, c)).toEqual(c.expected));
});

describe('app.db.sensitive-columns', () => {
  const cases: CheckCase[] = [
    { name: 'PHI columns behind RLS pass', facts: { schema: schema({ tables: [table('clients', { columns: ['id', 'date_of_birth', 'ssn'] })] }) }, expected: [['public.clients', 'pass', 'protected']] },
    { name: 'PHI columns without RLS fail', facts: { schema: schema({ tables: [table('patients', { rlsEnabled: false, columns: ['id', 'mrn', 'primary_diagnosis'] })] }) }, expected: [['public.patients', 'fail', 'exposed']] },
    { name: 'look-alike names are not PHI', facts: { schema: schema({ tables: [table('flags', { rlsEnabled: false, columns: ['id', 'lesson', 'dobby', 'address_id'] })] }) }, expected: [['database', 'pass', 'none-found']] },
    {
      name: 'each PHI pattern is recognised',
      facts: { schema: schema({ tables: ['dob', 'birth_date', 'medical_record_number', 'diagnoses', 'medications', 'insurance_member_id', 'icd10_code', 'social_security_number'].map((column) => table(column, { rlsEnabled: false, columns: [column] })) }) },
      expected: ['dob', 'birth_date', 'medical_record_number', 'diagnoses', 'medications', 'insurance_member_id', 'icd10_code', 'social_security_number'].map((column) => [`public.${column}`, 'fail', 'exposed']),
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(sensitiveColumns, c)).toEqual(c.expected));
});

describe('app.db.security-definer-views', () => {
  const view = (name: string, securityInvoker: boolean, materialized = false) => ({ schema: 'public', name, securityInvoker, materialized });
  const cases: CheckCase[] = [
    { name: 'security_invoker view passes', facts: { schema: schema({ views: [view('summaries', true)] }) }, expected: [['public.summaries', 'pass', 'invoker']] },
    { name: 'definer view fails', facts: { schema: schema({ views: [view('all_clients', false)] }) }, expected: [['public.all_clients', 'fail', 'definer']] },
    { name: 'materialized view fails', facts: { schema: schema({ views: [view('stats', false, true)] }) }, expected: [['public.stats', 'fail', 'materialized']] },
    { name: 'no view is not applicable', facts: { schema: schema() }, expected: [['database', 'not_applicable', 'no-views']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(securityDefinerViews, c)).toEqual(c.expected));
});

describe('app.db.audit-logging', () => {
  const phi = { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: ['clients', 'clinical_notes'] } };
  const cases: CheckCase[] = [
    { name: 'audit triggers pass', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger()] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'pass', 'trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'a PHI table without audit fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger()] }), table('clinical_notes', { triggers: [{ name: 'set_updated_at', function: 'public.touch', events: ['UPDATE'] }] })] }) }, expected: [['public.clients', 'pass', 'trigger'], ['public.clinical_notes', 'fail', 'not-audited']] },
    { name: 'an audit trigger missing DELETE fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger(['INSERT', 'UPDATE'])] }), table('clinical_notes', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'fail', 'partial-trigger'], ['public.clinical_notes', 'pass', 'trigger']] },
    { name: 'pgaudit logging writes passes', config: phi, facts: { schema: schema({ tables: [table('clients'), table('clinical_notes')], pgaudit: { installed: true, log: 'write, ddl', roleLog: [] } }) }, expected: [['public.clients', 'pass', 'pgaudit'], ['public.clinical_notes', 'pass', 'pgaudit']] },
    { name: 'pgaudit role setting counts', config: phi, facts: { schema: schema({ tables: [table('clients'), table('clinical_notes')], pgaudit: { installed: true, log: null, roleLog: [{ role: 'authenticated', log: 'all' }] } }) }, expected: [['public.clients', 'pass', 'pgaudit'], ['public.clinical_notes', 'pass', 'pgaudit']] },
    { name: 'pgaudit logging only DDL does not count', config: phi, facts: { schema: schema({ tables: [table('clients'), table('clinical_notes')], pgaudit: { installed: true, log: 'ddl', roleLog: [] } }) }, expected: [['public.clients', 'fail', 'not-audited'], ['public.clinical_notes', 'fail', 'not-audited']] },
    { name: 'a configured PHI table that does not exist fails', config: phi, facts: { schema: schema({ tables: [table('clients', { triggers: [auditTrigger()] })] }) }, expected: [['public.clients', 'pass', 'trigger'], ['clinical_notes', 'fail', 'table-missing']] },
    { name: 'no phiTables configured is unverified', facts: { schema: schema({ tables: [table('clients')] }) }, expected: [['database', 'unverified', 'no-phi-tables']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(auditLogging, c)).toEqual(c.expected));
});

describe('app.db.extensions', () => {
  const cases: CheckCase[] = [
    { name: 'installed in extensions passes', facts: { schema: schema() }, expected: [['pgcrypto', 'pass', 'installed'], ['uuid-ossp', 'pass', 'installed']] },
    { name: 'missing fails', facts: { schema: schema({ extensions: [{ name: 'pgcrypto', schema: 'extensions', version: '1.3' }] }) }, expected: [['pgcrypto', 'pass', 'installed'], ['uuid-ossp', 'fail', 'missing']] },
    {
      name: 'any extension in public fails',
      facts: { schema: schema({ extensions: [{ name: 'pgcrypto', schema: 'public', version: '1.3' }, { name: 'uuid-ossp', schema: 'extensions', version: '1.1' }, { name: 'pg_trgm', schema: 'public', version: '1.6' }] }) },
      expected: [['pgcrypto', 'fail', 'in-public'], ['uuid-ossp', 'pass', 'installed'], ['pg_trgm', 'fail', 'in-public']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(extensions, c)).toEqual(c.expected));
});

describe('app.secrets.service-key-exposure', () => {
  const scan = (findings: { file: string; line: number; kind: string }[], over: Record<string, unknown> = {}) => ({ source: 'git', filesScanned: 10, buildDir: 'dist', findings, unscanned: [], buildDirMissing: false, ...over });
  const cases: CheckCase[] = [
    { name: 'clean scan passes', facts: { scan: scan([]) }, expected: [['repository', 'pass', 'clean']] },
    { name: 'a configured build folder that does not exist is unverified', facts: { scan: scan([], { buildDirMissing: true }) }, expected: [['dist', 'unverified', 'build-dir-missing']] },
    { name: 'a file too large to scan is unverified', facts: { scan: scan([], { unscanned: [{ file: 'dist/vendor.js', reason: 'too-large' }] }) }, expected: [['repository', 'unverified', 'files-unscanned']] },
    { name: 'a found key fails even when another file was not scanned', facts: { scan: scan([{ file: '.env', line: 2, kind: 'service-role-jwt' }], { unscanned: [{ file: 'big.sql', reason: 'too-large' }] }) }, expected: [['.env:2', 'fail', 'exposed']] },
    {
      name: 'one failure per place',
      facts: { scan: scan([{ file: '.env', line: 2, kind: 'service-role-jwt' }, { file: 'dist/assets/a.js', line: 1, kind: 'database-url-password' }]) },
      expected: [['.env:2', 'fail', 'exposed'], ['dist/assets/a.js:1', 'fail', 'exposed']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(serviceKeyExposure, c)).toEqual(c.expected));
});
