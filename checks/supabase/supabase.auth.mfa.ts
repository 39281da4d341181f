import { defineCheck } from '../../src/model.js';
import { supabaseAuthConfig } from '../../src/facts/supabase-management.js';
import { authConfigPatch, projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.auth.mfa',
    title: 'Multi-factor authentication is available',
    failureTitle: 'Multi-factor authentication is not enabled',
    description: 'Users holding PHI need a second factor: TOTP (or WebAuthn) enrolment and verification must both be enabled in Supabase Auth.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text: 'Enable TOTP enrolment and verification (Dashboard → Authentication → Multi-Factor), then require aal2 for staff in the app',
      command: authConfigPatch('{"mfa_totp_enroll_enabled":true,"mfa_totp_verify_enabled":true}'),
      effortMinutes: 60,
    },
    messages: {
      enabled: 'MFA is enabled ({{factors}})',
      'enroll-only': 'MFA enrolment is on but verification is off ({{factors}})',
      'no-factor-allowed': 'MFA is on ({{factors}}) but a user may enrol at most {{maxFactors}} factors (mfa_max_enrolled_factors), so nobody can enrol one',
      'max-factors-unknown': 'MFA is on ({{factors}}) but how many factors a user may enrol (mfa_max_enrolled_factors) is unknown (not collected, or null): at 0 nobody can enrol one',
      disabled: 'No MFA factor (TOTP or WebAuthn) is enabled for enrolment and verification',
    },
  },
  facts: { auth: supabaseAuthConfig },
  evaluate({ auth }, { config }) {
    const totp = auth.mfaTotpEnroll === true && auth.mfaTotpVerify === true;
    const webAuthn = auth.mfaWebAuthnEnroll === true && auth.mfaWebAuthnVerify === true;
    const factors = [totp ? 'TOTP' : null, webAuthn ? 'WebAuthn' : null].filter(Boolean).join(', ');
    const maxFactors = auth.mfaMaxEnrolledFactors ?? null;
    const evidence = {
      mfa_totp_enroll_enabled: auth.mfaTotpEnroll,
      mfa_totp_verify_enabled: auth.mfaTotpVerify,
      mfa_web_authn_enroll_enabled: auth.mfaWebAuthnEnroll,
      mfa_web_authn_verify_enabled: auth.mfaWebAuthnVerify,
      mfa_max_enrolled_factors: maxFactors,
    };
    const args = { factors, maxFactors: maxFactors ?? 0, projectRef: projectRefOf(config) };
    if (totp || webAuthn) {
      // Auth refuses an enrolment once the user has int(mfa_max_enrolled_factors) factors: below 1, nobody gets one.
      if (maxFactors === null) return [{ resource: 'auth', status: 'unverified', code: 'max-factors-unknown', args, evidence }];
      if (maxFactors < 1) return [{ resource: 'auth', status: 'fail', code: 'no-factor-allowed', args, evidence }];
      return [{ resource: 'auth', status: 'pass', code: 'enabled', args, evidence }];
    }
    const enrollOnly = auth.mfaTotpEnroll === true || auth.mfaWebAuthnEnroll === true;
    const enrolled = [auth.mfaTotpEnroll ? 'TOTP' : null, auth.mfaWebAuthnEnroll ? 'WebAuthn' : null].filter(Boolean).join(', ');
    if (enrollOnly) return [{ resource: 'auth', status: 'fail', code: 'enroll-only', args: { ...args, factors: enrolled }, evidence }];
    return [{ resource: 'auth', status: 'fail', code: 'disabled', args, evidence }];
  },
});
