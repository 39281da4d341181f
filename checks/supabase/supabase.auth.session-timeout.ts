import { z } from '../../src/zod.js';
import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseAuthConfig } from '../../src/facts/supabase-management.js';
import { authConfigPatch, projectRefOf } from '../lib/supabase.js';

/** Minutes shown without float noise (0.25 h → 15). */
const minutes = (hours: number) => Math.round(hours * 60 * 100) / 100;

export default defineCheck({
  meta: {
    id: 'supabase.auth.session-timeout',
    title: 'Sessions end after a short idle time and a bounded lifetime',
    failureTitle: 'Sessions do not time out soon enough',
    description:
      'Automatic logoff (HIPAA 164.312(a)(2)(iii)): an inactivity timeout ends idle sessions (NIST SP 800-53 AC-11 session lock, 15 minutes by default here, as common in EHRs) and a timebox bounds every session (12 hours by default), so a forgotten workstation does not stay signed in to PHI. The Management API gives both in hours (`sessions_inactivity_timeout: 0.25` is 15 minutes); 0 or null is "never". Supabase applies both only when a session is refreshed: an access token stays valid against the Data API for `jwt_exp` seconds (3600 by default), so `jwt_exp` must not be longer than the inactivity timeout, and the inactivity finding is unverified when it was not collected.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(2)(iii)'],
    phase: 1,
    options: () => z.object({
      maxInactivityMinutes: z.number().positive().default(15).describe('Longest accepted inactivity timeout, in minutes.'),
      maxTimeboxHours: z.number().positive().default(12).describe('Longest accepted session timebox, in hours.'),
    }),
    remediation: {
      text: 'Set the inactivity timeout and the session timebox (Dashboard → Authentication → Sessions, a Pro-plan feature; the API takes hours) and shorten the access token expiry (jwt_exp, in seconds) to the inactivity timeout',
      command: authConfigPatch('{"sessions_inactivity_timeout":{{suggestedInactivityHours}},"sessions_timebox":{{suggestedTimeboxHours}},"jwt_exp":{{suggestedJwtExpirySeconds}}}'),
      effortMinutes: 15,
    },
    messages: {
      'inactivity-set': 'Idle sessions end after {{minutes}} min (at most {{maxMinutes}} min)',
      'inactivity-not-set': 'No inactivity timeout: idle sessions stay signed in',
      'inactivity-too-long': 'Idle sessions end only after {{minutes}} min ({{hours}} h), more than {{maxMinutes}} min',
      'jwt-expiry-too-long': 'An access token stays valid for {{jwtMinutes}} min (jwt_exp {{jwtSeconds}} s) after the session goes idle, more than {{maxMinutes}} min',
      'jwt-expiry-unknown': 'The access token lifetime (jwt_exp) is unknown (not collected, or left to the server default): a token may stay valid past the {{maxMinutes}} min inactivity timeout',
      'timebox-set': 'Every session ends after {{hours}} h (at most {{maxHours}} h)',
      'timebox-not-set': 'No session timebox: a session can last forever with refresh tokens',
      'timebox-too-long': 'Sessions last up to {{hours}} h, more than {{maxHours}} h',
    },
  },
  facts: { auth: supabaseAuthConfig },
  evaluate({ auth }, { config, options }) {
    const { maxInactivityMinutes, maxTimeboxHours } = options;
    const maxJwtSeconds = Math.floor(maxInactivityMinutes * 60);
    const common = { projectRef: projectRefOf(config), suggestedInactivityHours: maxInactivityMinutes / 60, suggestedTimeboxHours: maxTimeboxHours, suggestedJwtExpirySeconds: maxJwtSeconds, maxMinutes: maxInactivityMinutes, maxHours: maxTimeboxHours };
    const inactivity = auth.sessionsInactivityTimeout;
    const timebox = auth.sessionsTimebox;
    // Both timeouts act only on refresh: until it expires, the access token keeps reading the Data API.
    const jwtExp = auth.jwtExpirySeconds ?? null;
    const inactivityFinding: Finding = {
      resource: 'inactivity-timeout',
      ...(inactivity === null || inactivity <= 0
        ? { status: 'fail', code: 'inactivity-not-set' }
        : minutes(inactivity) > maxInactivityMinutes
          ? { status: 'fail', code: 'inactivity-too-long' }
          : jwtExp === null || jwtExp <= 0
            ? { status: 'unverified', code: 'jwt-expiry-unknown' }
            : jwtExp > maxJwtSeconds
              ? { status: 'fail', code: 'jwt-expiry-too-long' }
              : { status: 'pass', code: 'inactivity-set' }),
      args: { ...common, hours: inactivity ?? 0, minutes: minutes(inactivity ?? 0), jwtSeconds: jwtExp ?? 0, jwtMinutes: minutes((jwtExp ?? 0) / 3600) },
      evidence: { sessions_inactivity_timeout: inactivity, unit: 'hours', maxInactivityMinutes, jwt_exp: jwtExp },
    };
    const timeboxFinding: Finding = {
      resource: 'session-timebox',
      ...(timebox === null || timebox <= 0
        ? { status: 'fail', code: 'timebox-not-set' }
        : timebox > maxTimeboxHours
          ? { status: 'fail', code: 'timebox-too-long' }
          : { status: 'pass', code: 'timebox-set' }),
      args: { ...common, hours: timebox ?? 0 },
      evidence: { sessions_timebox: timebox, unit: 'hours', maxTimeboxHours },
    };
    return [inactivityFinding, timeboxFinding];
  },
});
