import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseAuthConfig } from '../../src/facts/supabase-management.js';
import { authConfigPatch, projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.auth.session-timeout',
    title: 'Sessions end automatically',
    failureTitle: 'Sessions never time out',
    description: 'Automatic logoff (HIPAA 164.312(a)(2)(iii)): an inactivity timeout ends idle sessions and a timebox bounds every session, so a forgotten workstation does not stay signed in to PHI. Values are hours, as the Management API reports them.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(2)(iii)'],
    phase: 1,
    remediation: {
      text: 'Set an inactivity timeout and a session timebox (Dashboard → Authentication → Sessions; a Pro-plan feature)',
      command: authConfigPatch('{"sessions_inactivity_timeout":{{suggested}},"sessions_timebox":12}'),
      effortMinutes: 15,
    },
    messages: {
      'inactivity-set': 'Idle sessions end after {{hours}} h',
      'inactivity-not-set': 'No inactivity timeout: idle sessions stay signed in',
      'timebox-set': 'Every session ends after {{hours}} h',
      'timebox-not-set': 'No session timebox: a session can last forever with refresh tokens',
    },
  },
  facts: { auth: supabaseAuthConfig },
  evaluate({ auth }, { config }) {
    const projectRef = projectRefOf(config);
    const setting = (resource: string, value: number | null, prefix: string, field: string): Finding => {
      const set = value !== null && value > 0;
      return {
        resource,
        status: set ? 'pass' : 'fail',
        code: set ? `${prefix}-set` : `${prefix}-not-set`,
        args: { hours: value ?? 0, projectRef, suggested: 0.25 },
        evidence: { [field]: value },
      };
    };
    return [
      setting('inactivity-timeout', auth.sessionsInactivityTimeout, 'inactivity', 'sessions_inactivity_timeout'),
      setting('session-timebox', auth.sessionsTimebox, 'timebox', 'sessions_timebox'),
    ];
  },
});
