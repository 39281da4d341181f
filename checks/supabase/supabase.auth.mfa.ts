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
      disabled: 'No MFA factor (TOTP or WebAuthn) is enabled for enrolment and verification',
    },
  },
  facts: { auth: supabaseAuthConfig },
  evaluate({ auth }, { config }) {
    const totp = auth.mfaTotpEnroll === true && auth.mfaTotpVerify === true;
    const webAuthn = auth.mfaWebAuthnEnroll === true && auth.mfaWebAuthnVerify === true;
    const factors = [totp ? 'TOTP' : null, webAuthn ? 'WebAuthn' : null].filter(Boolean).join(', ');
    const evidence = {
      mfa_totp_enroll_enabled: auth.mfaTotpEnroll,
      mfa_totp_verify_enabled: auth.mfaTotpVerify,
      mfa_web_authn_enroll_enabled: auth.mfaWebAuthnEnroll,
      mfa_web_authn_verify_enabled: auth.mfaWebAuthnVerify,
    };
    const args = { factors, projectRef: projectRefOf(config) };
    if (totp || webAuthn) return [{ resource: 'auth', status: 'pass', code: 'enabled', args, evidence }];
    const enrollOnly = auth.mfaTotpEnroll === true || auth.mfaWebAuthnEnroll === true;
    const enrolled = [auth.mfaTotpEnroll ? 'TOTP' : null, auth.mfaWebAuthnEnroll ? 'WebAuthn' : null].filter(Boolean).join(', ');
    if (enrollOnly) return [{ resource: 'auth', status: 'fail', code: 'enroll-only', args: { ...args, factors: enrolled }, evidence }];
    return [{ resource: 'auth', status: 'fail', code: 'disabled', args, evidence }];
  },
});
