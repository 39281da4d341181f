import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseAuthConfig } from '../../src/facts/supabase-management.js';
import { authConfigPatch, projectRefOf } from '../lib/supabase.js';

const MIN_LENGTH = 12;

export default defineCheck({
  meta: {
    id: 'supabase.auth.password-policy',
    title: 'Password policy is strong',
    failureTitle: 'Password policy is weak',
    description: `Passwords must be at least ${MIN_LENGTH} characters and checked against known leaked passwords (HaveIBeenPwned).`,
    section: 'supabase',
    severity: 'medium',
    layer: 'application',
    hipaa: ['164.308(a)(5)(ii)(D)'],
    phase: 1,
    remediation: {
      text: `Raise the minimum length to ${MIN_LENGTH} and turn on leaked-password protection (Dashboard → Authentication → Providers → Email)`,
      command: authConfigPatch(`{"password_min_length":${MIN_LENGTH},"password_hibp_enabled":true}`),
      effortMinutes: 10,
    },
    messages: {
      'length-ok': 'Minimum password length is {{length}}',
      'length-short': 'Minimum password length is {{length}}, below {{required}}',
      'leaked-check-on': 'Leaked passwords are refused',
      'leaked-check-off': 'Leaked-password protection is off',
    },
  },
  facts: { auth: supabaseAuthConfig },
  evaluate({ auth }, { config }): Finding[] {
    const projectRef = projectRefOf(config);
    const length = auth.passwordMinLength ?? 0;
    const longEnough = length >= MIN_LENGTH;
    const hibp = auth.passwordHibpEnabled === true;
    return [
      {
        resource: 'min-length',
        status: longEnough ? 'pass' : 'fail',
        code: longEnough ? 'length-ok' : 'length-short',
        args: { length, required: MIN_LENGTH, projectRef },
        evidence: { password_min_length: auth.passwordMinLength, password_required_characters: auth.passwordRequiredCharacters },
      },
      {
        resource: 'leaked-password-protection',
        status: hibp ? 'pass' : 'fail',
        code: hibp ? 'leaked-check-on' : 'leaked-check-off',
        args: { projectRef },
        evidence: { password_hibp_enabled: auth.passwordHibpEnabled },
      },
    ];
  },
});
