import { z } from '../../src/zod.js';
import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseSecurityAdvisors } from '../../src/facts/supabase-management.js';
import { projectRefOf } from '../lib/supabase.js';

/** Advisor levels, most severe first. */
const LEVELS = ['ERROR', 'WARN', 'INFO'] as const;

export default defineCheck({
  meta: {
    id: 'supabase.advisors.security',
    title: 'Security advisor reports nothing at or above the threshold',
    failureTitle: 'Security advisor reports security lints',
    description:
      "Supabase's security advisor lints the project (RLS disabled in public, security-definer views, exposed auth.users, always-true RLS policies, mutable function search_path, leaked service keys, ...). Each lint at or above `failOn` (default WARN) is a hole to close before go-live.",
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.308(a)(1)(ii)(B)'],
    phase: 1,
    options: () => z.object({
      failOn: z.enum(['ERROR', 'WARN', 'INFO']).default('WARN').describe('The least severe advisor level that fails the check.'),
    }),
    remediation: {
      text: 'Fix each lint following its remediation link (Dashboard → Advisors → Security Advisor)',
      // `supabase db lint` runs plpgsql_check on functions, not the security advisor: list the advisor's own lints.
      command: `curl -fsS "https://api.supabase.com/v1/projects/{{projectRef}}/advisors/security" -H "Authorization: Bearer $SUPABASE_ACCESS_TOKEN" | jq '.lints[] | select(.level | IN({{levels}})) | {name, level, title, detail, remediation}'`,
      effortMinutes: 30,
    },
    messages: {
      clean: 'No security lint at {{threshold}} or above ({{below}} below it)',
      lint: '{{level}} {{lint}} ({{title}}) on {{entity}}',
      'unknown-level': '{{lint}} ({{title}}) on {{entity}} has level {{level}}, which readiness does not know: whether it is above the threshold is unknown, review it',
    },
  },
  facts: { lints: supabaseSecurityAdvisors },
  evaluate({ lints }, { config, options }) {
    const projectRef = projectRefOf(config);
    const failing = LEVELS.slice(0, LEVELS.indexOf(options.failOn) + 1) as readonly string[];
    const levels = failing.map((level) => `"${level}"`).join(', ');
    // A level the advisor may add later is not "below the threshold": it is reviewed, not passed.
    const known = (lint: (typeof lints)[number]) => (LEVELS as readonly string[]).includes(lint.level.toUpperCase());
    const over = lints.filter((lint) => failing.includes(lint.level.toUpperCase()) || !known(lint));
    if (over.length === 0) {
      const below = lints.filter((lint) => !failing.includes(lint.level.toUpperCase()));
      return [
        {
          resource: config.supabase?.projectRef ?? 'project',
          status: 'pass',
          code: 'clean',
          args: { threshold: options.failOn, below: below.length, projectRef, levels },
          evidence: { below: below.map((lint) => `${lint.level} ${lint.name}${lint.entity ? ` ${lint.entity}` : ''}`) },
        },
      ];
    }
    return over.map(
      (lint): Finding => ({
        resource: `${lint.name}${lint.entity ? `:${lint.entity}` : ''}`,
        status: known(lint) ? 'fail' : 'unverified',
        code: known(lint) ? 'lint' : 'unknown-level',
        args: { title: lint.title, lint: lint.name, level: lint.level, entity: lint.entity ?? 'the project', projectRef, levels },
        evidence: { lint: lint.name, level: lint.level, entity: lint.entity, cacheKey: lint.cacheKey },
      }),
    );
  },
});
