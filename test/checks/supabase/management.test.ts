import { describe, expect, it } from 'vitest';
import advisors from '../../../checks/supabase/supabase.advisors.security.js';
import mfa from '../../../checks/supabase/supabase.auth.mfa.js';
import passwordPolicy from '../../../checks/supabase/supabase.auth.password-policy.js';
import sessionTimeout from '../../../checks/supabase/supabase.auth.session-timeout.js';
import backupsPitr from '../../../checks/supabase/supabase.backups.pitr.js';
import networkRestrictions from '../../../checks/supabase/supabase.network-restrictions.js';
import projectHealthy from '../../../checks/supabase/supabase.project.healthy.js';
import secretsRequired from '../../../checks/supabase/supabase.secrets.required.js';
import sslEnforcement from '../../../checks/supabase/supabase.ssl-enforcement.js';
import { makeConfig, renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const REF = 'abcdefghijklmnopqrst';
const supabase = { supabase: { projectRef: REF } };

const auth = (over: Record<string, unknown> = {}) => ({
  mfaTotpEnroll: true, mfaTotpVerify: true, mfaWebAuthnEnroll: false, mfaWebAuthnVerify: false,
  sessionsInactivityTimeout: 0.25, sessionsTimebox: 12, jwtExpirySeconds: 900, passwordMinLength: 12, passwordHibpEnabled: true, passwordRequiredCharacters: '', mfaMaxEnrolledFactors: 10, ...over,
});

describe('supabase.project.healthy', () => {
  const project = (status: string) => ({ ref: REF, name: 'ehr', region: 'us-east-1', status, databaseVersion: '15.8' });
  const service = (name: string, status = 'ACTIVE_HEALTHY', error: string | null = null) => ({ name, status, error });
  const ALL = ['auth', 'db', 'rest', 'storage', 'realtime'];
  const healthy = (names: string[]) => names.map((name): [string, 'pass', string] => [name, 'pass', 'service-healthy']);
  const cases: CheckCase[] = [
    { name: 'healthy project and services pass', facts: { project: project('ACTIVE_HEALTHY'), health: { services: ALL.map((name) => service(name)) } }, expected: [[REF, 'pass', 'healthy'], ...healthy(ALL)] },
    { name: 'paused project fails', facts: { project: project('INACTIVE'), health: { services: ALL.map((name) => service(name)) } }, expected: [[REF, 'fail', 'project-unhealthy'], ...healthy(ALL)] },
    { name: 'an unhealthy service fails on its own', facts: { project: project('ACTIVE_HEALTHY'), health: { services: ALL.map((name) => (name === 'auth' ? service('auth', 'UNHEALTHY', 'timeout') : service(name))) } }, expected: [[REF, 'pass', 'healthy'], ['auth', 'fail', 'service-unhealthy'], ...healthy(ALL.slice(1))] },
    {
      name: 'a service asked for and left out of the answer is unverified, not passed by the others being healthy',
      facts: { project: project('ACTIVE_HEALTHY'), health: { services: [service('auth'), service('rest')] } },
      expected: [[REF, 'pass', 'healthy'], ['auth', 'pass', 'service-healthy'], ['rest', 'pass', 'service-healthy'], ['db', 'unverified', 'service-not-reported'], ['storage', 'unverified', 'service-not-reported'], ['realtime', 'unverified', 'service-not-reported']],
    },
    { name: 'no service reported fails', facts: { project: project('ACTIVE_HEALTHY'), health: { services: [] } }, expected: [[REF, 'pass', 'healthy'], ['services', 'fail', 'no-services']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(projectHealthy, { config: supabase, ...c })).toEqual(c.expected));
});

describe('supabase.auth.mfa', () => {
  const cases: CheckCase[] = [
    { name: 'TOTP on passes', facts: { auth: auth() }, expected: [['auth', 'pass', 'enabled']] },
    { name: 'WebAuthn alone passes', facts: { auth: auth({ mfaTotpEnroll: false, mfaTotpVerify: false, mfaWebAuthnEnroll: true, mfaWebAuthnVerify: true }) }, expected: [['auth', 'pass', 'enabled']] },
    { name: 'enrol without verify fails', facts: { auth: auth({ mfaTotpVerify: false }) }, expected: [['auth', 'fail', 'enroll-only']] },
    { name: 'nothing enabled fails', facts: { auth: auth({ mfaTotpEnroll: false, mfaTotpVerify: false }) }, expected: [['auth', 'fail', 'disabled']] },
    { name: 'null (unset) fails', facts: { auth: auth({ mfaTotpEnroll: null, mfaTotpVerify: null }) }, expected: [['auth', 'fail', 'disabled']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(mfa, { config: supabase, ...c })).toEqual(c.expected));
});

describe('supabase.auth.session-timeout', () => {
  const cases: CheckCase[] = [
    { name: 'both set pass', facts: { auth: auth() }, expected: [['inactivity-timeout', 'pass', 'inactivity-set'], ['session-timebox', 'pass', 'timebox-set']] },
    { name: 'unset fails', facts: { auth: auth({ sessionsInactivityTimeout: null, sessionsTimebox: 0 }) }, expected: [['inactivity-timeout', 'fail', 'inactivity-not-set'], ['session-timebox', 'fail', 'timebox-not-set']] },
    { name: '30 min idle fails the 15 min default', facts: { auth: auth({ sessionsInactivityTimeout: 0.5 }) }, expected: [['inactivity-timeout', 'fail', 'inactivity-too-long'], ['session-timebox', 'pass', 'timebox-set']] },
    { name: '12 h 1 min timebox fails', facts: { auth: auth({ sessionsTimebox: 12 + 1 / 60 }) }, expected: [['inactivity-timeout', 'pass', 'inactivity-set'], ['session-timebox', 'fail', 'timebox-too-long']] },
    {
      name: 'explicit options: 30 min idle and 24 h timebox accepted',
      facts: { auth: auth({ sessionsInactivityTimeout: 0.5, sessionsTimebox: 24 }) },
      options: { maxInactivityMinutes: 30, maxTimeboxHours: 24 },
      expected: [['inactivity-timeout', 'pass', 'inactivity-set'], ['session-timebox', 'pass', 'timebox-set']],
    },
    {
      name: 'explicit options: a tighter limit fails what the default accepts',
      facts: { auth: auth() },
      options: { maxInactivityMinutes: 10, maxTimeboxHours: 8 },
      expected: [['inactivity-timeout', 'fail', 'inactivity-too-long'], ['session-timebox', 'fail', 'timebox-too-long']],
    },
    { name: 'a 7-day access token outlives the 15 min inactivity timeout: fails', facts: { auth: auth({ jwtExpirySeconds: 604800 }) }, expected: [['inactivity-timeout', 'fail', 'jwt-expiry-too-long'], ['session-timebox', 'pass', 'timebox-set']] },
    { name: 'a 15 min 1 s access token fails the 15 min limit', facts: { auth: auth({ jwtExpirySeconds: 901 }) }, expected: [['inactivity-timeout', 'fail', 'jwt-expiry-too-long'], ['session-timebox', 'pass', 'timebox-set']] },
    {
      name: 'explicit options: a 1 h access token is accepted with 60 min inactivity',
      facts: { auth: auth({ sessionsInactivityTimeout: 1, jwtExpirySeconds: 3600 }) },
      options: { maxInactivityMinutes: 60 },
      expected: [['inactivity-timeout', 'pass', 'inactivity-set'], ['session-timebox', 'pass', 'timebox-set']],
    },
    { name: 'jwt_exp null is unverified', facts: { auth: auth({ jwtExpirySeconds: null }) }, expected: [['inactivity-timeout', 'unverified', 'jwt-expiry-unknown'], ['session-timebox', 'pass', 'timebox-set']] },
    { name: 'a snapshot from before jwt_exp was collected is unverified', facts: { auth: auth({ jwtExpirySeconds: undefined }) }, expected: [['inactivity-timeout', 'unverified', 'jwt-expiry-unknown'], ['session-timebox', 'pass', 'timebox-set']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(sessionTimeout, { config: supabase, ...c })).toEqual(c.expected));

  it('the fix also shortens the access token to the inactivity limit, in seconds', () => {
    const [command] = renderedCommands(sessionTimeout, { auth: auth({ jwtExpirySeconds: 604800 }) }, supabase);
    expect(command).toContain('"jwt_exp":900');
  });

  it('the fix sends hours, the unit of the Management API', () => {
    const [command] = renderedCommands(sessionTimeout, { auth: auth({ sessionsInactivityTimeout: null }) }, supabase);
    expect(command).toContain('"sessions_inactivity_timeout":0.25,"sessions_timebox":12');
  });
});

describe('supabase.auth.password-policy', () => {
  const cases: CheckCase[] = [
    { name: '12 + HIBP passes', facts: { auth: auth() }, expected: [['min-length', 'pass', 'length-ok'], ['leaked-password-protection', 'pass', 'leaked-check-on']] },
    { name: 'defaults (6, no HIBP) fail', facts: { auth: auth({ passwordMinLength: 6, passwordHibpEnabled: false }) }, expected: [['min-length', 'fail', 'length-short'], ['leaked-password-protection', 'fail', 'leaked-check-off']] },
    { name: 'unset length fails', facts: { auth: auth({ passwordMinLength: null, passwordHibpEnabled: null }) }, expected: [['min-length', 'fail', 'length-short'], ['leaked-password-protection', 'fail', 'leaked-check-off']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(passwordPolicy, { config: supabase, ...c })).toEqual(c.expected));
});

describe('supabase.ssl-enforcement', () => {
  const cases: CheckCase[] = [
    { name: 'enforced passes', facts: { ssl: { database: true, appliedSuccessfully: true } }, expected: [[REF, 'pass', 'enforced']] },
    { name: 'off fails', facts: { ssl: { database: false, appliedSuccessfully: true } }, expected: [[REF, 'fail', 'not-enforced']] },
    { name: 'requested but not applied fails', facts: { ssl: { database: true, appliedSuccessfully: false } }, expected: [[REF, 'fail', 'not-applied']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(sslEnforcement, { config: supabase, ...c })).toEqual(c.expected));
});

describe('supabase.network-restrictions', () => {
  const restrictions = (over: Record<string, unknown> = {}) => ({ entitlement: 'allowed', status: 'applied', dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: [], ...over });
  const cases: CheckCase[] = [
    { name: 'restricted and applied passes', facts: { restrictions: restrictions() }, expected: [[REF, 'pass', 'restricted']] },
    { name: '0.0.0.0/0 fails', facts: { restrictions: restrictions({ dbAllowedCidrs: ['0.0.0.0/0'] }) }, expected: [[REF, 'fail', 'open']] },
    { name: '::/0 alone fails', facts: { restrictions: restrictions({ dbAllowedCidrsV6: ['::/0'] }) }, expected: [[REF, 'fail', 'open']] },
    { name: 'the two IPv4 halves 0.0.0.0/1 and 128.0.0.0/1 fail', facts: { restrictions: restrictions({ dbAllowedCidrs: ['0.0.0.0/1', '128.0.0.0/1'] }) }, expected: [[REF, 'fail', 'open']] },
    { name: 'the two IPv6 halves ::/1 and 8000::/1 fail', facts: { restrictions: restrictions({ dbAllowedCidrsV6: ['::/1', '8000::/1'] }) }, expected: [[REF, 'fail', 'open']] },
    { name: 'a range wider than any private block fails', facts: { restrictions: restrictions({ dbAllowedCidrs: ['203.0.113.0/24', '0.0.0.0/3'] }) }, expected: [[REF, 'fail', 'open']] },
    { name: 'the whole IPv4 internet written as an IPv4-mapped IPv6 range fails', facts: { restrictions: restrictions({ dbAllowedCidrsV6: ['::ffff:0.0.0.0/96'] }) }, expected: [[REF, 'fail', 'open']] },
    { name: 'a range that cannot be read fails as open', facts: { restrictions: restrictions({ dbAllowedCidrs: ['203.0.113.0/33'] }) }, expected: [[REF, 'fail', 'open']] },
    { name: 'private ranges pass', facts: { restrictions: restrictions({ dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: ['fc00::/7'] }) }, expected: [[REF, 'pass', 'restricted']] },
    { name: 'stored but not applied fails', facts: { restrictions: restrictions({ status: 'stored' }) }, expected: [[REF, 'fail', 'not-applied']] },
    { name: 'plan without the feature fails', facts: { restrictions: restrictions({ entitlement: 'disallowed' }) }, expected: [[REF, 'fail', 'not-entitled']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(networkRestrictions, { config: supabase, ...c })).toEqual(c.expected));

  it('names the open ranges as written, and an unreadable one as treated as open', () => {
    const facts = { restrictions: restrictions({ dbAllowedCidrs: ['0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/8', 'bogus'] }) };
    expect(renderedMessages(networkRestrictions, facts, supabase)).toEqual(['Direct database access is allowed from the internet at large (0.0.0.0/1, 128.0.0.0/1, bogus (an unreadable range, treated as open))']);
  });
});

describe('supabase.backups.pitr', () => {
  const backups = (over: Record<string, unknown> = {}) => ({
    pitrEnabled: true, walgEnabled: true, backupCount: 1, latestBackup: { status: 'COMPLETED', insertedAt: '2025-10-11T03:00:00Z' }, latestPhysicalBackupAt: '2025-10-11T22:00:00.000Z', ...over,
  });
  const cases: CheckCase[] = [
    { name: 'PITR and a fresh backup pass', facts: { backups: backups() }, expected: [['pitr', 'pass', 'pitr-enabled'], ['latest-backup', 'pass', 'backup-completed']] },
    { name: 'PITR off fails', facts: { backups: backups({ pitrEnabled: false }) }, expected: [['pitr', 'fail', 'pitr-disabled'], ['latest-backup', 'pass', 'backup-completed']] },
    // The restore window's latest point (02:00) is older than the failed backup (03:00): the failure is the latest word.
    { name: 'failed latest backup fails', facts: { backups: backups({ latestBackup: { status: 'FAILED', insertedAt: '2025-10-11T03:00:00Z' }, latestPhysicalBackupAt: '2025-10-11T02:00:00.000Z' }) }, expected: [['pitr', 'pass', 'pitr-enabled'], ['latest-backup', 'fail', 'backup-not-completed']] },
    // Without PITR, the daily backups are the only ones.
    { name: 'old backup fails', facts: { backups: backups({ pitrEnabled: false, latestPhysicalBackupAt: null, latestBackup: { status: 'COMPLETED', insertedAt: '2025-10-01T03:00:00Z' } }) }, expected: [['pitr', 'fail', 'pitr-disabled'], ['latest-backup', 'fail', 'backup-old']] },
    { name: 'no backup fails', facts: { backups: backups({ pitrEnabled: false, latestPhysicalBackupAt: null, latestBackup: null, backupCount: 0 }) }, expected: [['pitr', 'fail', 'pitr-disabled'], ['latest-backup', 'fail', 'no-backup']] },
    {
      name: 'a newer failed logical backup is not hidden by an older physical one written in another time zone',
      facts: { backups: backups({ latestBackup: { status: 'FAILED', insertedAt: '2025-10-11T09:00:00-05:00' }, latestPhysicalBackupAt: '2025-10-11T12:00:00.000Z' }) },
      expected: [['pitr', 'pass', 'pitr-enabled'], ['latest-backup', 'fail', 'backup-not-completed']],
    },
    { name: 'a recent physical backup counts under PITR', facts: { backups: backups({ latestBackup: null, latestPhysicalBackupAt: '2025-10-11T20:00:00.000Z' }) }, expected: [['pitr', 'pass', 'pitr-enabled'], ['latest-backup', 'pass', 'backup-completed']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(backupsPitr, { config: supabase, ...c })).toEqual(c.expected));
});

describe('supabase.advisors.security', () => {
  const lint = (name: string, level: string, entity: string | null = null) => ({ name, level, title: name, entity, cacheKey: `${name}_${entity}` });
  const cases: CheckCase[] = [
    { name: 'no lint passes', facts: { lints: [] }, expected: [[REF, 'pass', 'clean']] },
    { name: 'INFO lints pass', facts: { lints: [lint('unindexed_foreign_keys', 'INFO')] }, expected: [[REF, 'pass', 'clean']] },
    { name: 'a level readiness does not know is never below the threshold', facts: { lints: [lint('auth_users_exposed', 'CRITICAL', 'public.users'), lint('unindexed_foreign_keys', 'INFO')] }, expected: [['auth_users_exposed:public.users', 'unverified', 'unknown-level']] },
    {
      name: 'each ERROR and WARN security lint fails, by name',
      facts: { lints: [lint('rls_disabled_in_public', 'ERROR', 'public.flags'), lint('rls_policy_always_true', 'WARN', 'public.notes'), lint('function_search_path_mutable', 'WARN', 'public.f'), lint('unindexed_foreign_keys', 'INFO')] },
      expected: [['rls_disabled_in_public:public.flags', 'fail', 'lint'], ['rls_policy_always_true:public.notes', 'fail', 'lint'], ['function_search_path_mutable:public.f', 'fail', 'lint']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(advisors, { config: supabase, ...c })).toEqual(c.expected));

  it('the threshold is an option: failOn ERROR lets WARN lints pass', () => {
    const facts = { lints: [lint('rls_policy_always_true', 'WARN', 'public.notes')] };
    const findings = advisors.evaluate(facts as never, { config: makeConfig(supabase), now: new Date(), options: { failOn: 'ERROR' } });
    expect(findings.map((f) => [f.status, f.code])).toEqual([['pass', 'clean']]);
  });
});

describe('supabase.advisors.security remediation', () => {
  it('lists the security advisor\'s lints at or above the threshold (not `supabase db lint`, which checks PL/pgSQL)', () => {
    const lints = [{ name: 'rls_disabled_in_public', level: 'ERROR', title: 'RLS Disabled in Public', entity: 'public.clients', cacheKey: 'k' }];
    const [command] = renderedCommands(advisors, { lints }, supabase);
    expect(command).toContain(`https://api.supabase.com/v1/projects/${REF}/advisors/security`);
    expect(command).toContain('select(.level | IN("ERROR", "WARN"))');
  });
});

describe('supabase.secrets.required remediation', () => {
  it('reads the value unseen and passes it in a file, never on the command line', () => {
    const [command] = renderedCommands(secretsRequired, { secrets: { names: [] } }, { supabase: { projectRef: REF, requiredSecrets: ['DATABASE_PASSWORD'] } });
    expect(command).toBe(`read -rs VALUE && printf '%s=%s\\n' DATABASE_PASSWORD "$VALUE" > .secret.env && npx supabase secrets set --project-ref ${REF} --env-file .secret.env; rm -f .secret.env`);
  });

  it('gives no set command for a missing SUPABASE_ name, which the CLI refuses to set, and says to rename it', () => {
    const config = { supabase: { projectRef: REF, requiredSecrets: ['SUPABASE_AURORA_URL', 'AURORA_URL'] } };
    expect(runCase(secretsRequired, { name: 'reserved', facts: { secrets: { names: [], values: [] } }, config, expected: [] })).toEqual([
      ['SUPABASE_AURORA_URL', 'fail', 'reserved-name'],
      ['AURORA_URL', 'fail', 'missing'],
    ]);
    expect(renderedCommands(secretsRequired, { secrets: { names: [], values: [] } }, config)).toEqual([undefined, expect.stringContaining("printf '%s=%s\\n' AURORA_URL")]);
  });
});

