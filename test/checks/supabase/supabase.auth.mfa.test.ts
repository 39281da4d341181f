import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mfa from '../../../checks/supabase/supabase.auth.mfa.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../../support/management-api-server.js';
import { runCase } from '../../support/check-tester.js';
import { collectForChecks } from '../../support/supabase-collect.js';

/** supabase.auth.mfa, fed by the real collector from the Management API stand-in (GET /v1/projects/{ref}/config/auth). */
const authPath = `/v1/projects/${PROJECT_REF}/config/auth`;

let server: ManagementApiServer;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url } });
const withAuth = async (over: Record<string, unknown>, drop: string[] = []) => {
  const body: Record<string, unknown> = {
    ...(projectRoutes()[authPath] as Record<string, unknown>),
    mfa_totp_enroll_enabled: true,
    mfa_totp_verify_enabled: true,
    mfa_max_enrolled_factors: 10,
    ...over,
  };
  for (const key of drop) delete body[key];
  server.script(authPath, { status: 200, body });
  return (await collectForChecks([mfa], config())).results(mfa);
};

beforeAll(async () => {
  server = await startManagementApi(projectRoutes());
});
afterAll(() => server.stop());

describe('supabase.auth.mfa against the Management API answer', () => {
  it('TOTP enrolment and verification on, up to 10 factors per user, passes', async () => {
    expect(await withAuth({})).toEqual([['auth', 'pass', 'enabled']]);
  });

  it('mfa_max_enrolled_factors 0: Auth refuses every enrolment, so no user can have a second factor: fails', async () => {
    expect(await withAuth({ mfa_max_enrolled_factors: 0 })).toEqual([['auth', 'fail', 'no-factor-allowed']]);
  });

  it('mfa_max_enrolled_factors 0.5 is truncated to 0 by Auth: fails', async () => {
    expect(await withAuth({ mfa_max_enrolled_factors: 0.5 })).toEqual([['auth', 'fail', 'no-factor-allowed']]);
  });

  it('mfa_max_enrolled_factors null in the answer is unverified, never a pass', async () => {
    expect(await withAuth({ mfa_max_enrolled_factors: null })).toEqual([['auth', 'unverified', 'max-factors-unknown']]);
  });

  it('mfa_max_enrolled_factors absent from the answer is unverified, never a pass', async () => {
    expect(await withAuth({}, ['mfa_max_enrolled_factors'])).toEqual([['auth', 'unverified', 'max-factors-unknown']]);
  });

  it('TOTP enrolment on but verification off fails (the factor would never be checked)', async () => {
    expect(await withAuth({ mfa_totp_verify_enabled: false })).toEqual([['auth', 'fail', 'enroll-only']]);
  });

  it('phone (SMS) MFA alone fails: it is not counted as a factor', async () => {
    expect(await withAuth({ mfa_totp_enroll_enabled: false, mfa_totp_verify_enabled: false, mfa_phone_enroll_enabled: true, mfa_phone_verify_enabled: true })).toEqual([['auth', 'fail', 'disabled']]);
  });

  it('TOTP enrolment absent from the answer is unverified, never a pass', async () => {
    expect(await withAuth({}, ['mfa_totp_enroll_enabled'])).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });
});

describe('supabase.auth.mfa on a snapshot taken before mfa_max_enrolled_factors was collected', () => {
  const auth = {
    mfaTotpEnroll: true, mfaTotpVerify: true, mfaWebAuthnEnroll: false, mfaWebAuthnVerify: false,
    sessionsInactivityTimeout: 0.25, sessionsTimebox: 12, passwordMinLength: 12, passwordHibpEnabled: true, passwordRequiredCharacters: '',
  };
  it('is unverified, never a pass', () => {
    const expected: [string, 'unverified', string][] = [['auth', 'unverified', 'max-factors-unknown']];
    expect(runCase(mfa, { name: 'old snapshot', config: { supabase: { projectRef: PROJECT_REF } }, facts: { auth }, expected })).toEqual(expected);
  });
});
