import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseSecurityAdvisors } from '../../src/facts/supabase-management.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.advisors.security',
    title: 'Security advisor reports no error',
    failureTitle: 'Security advisor reports errors',
    description: "Supabase's security advisor lints the project (RLS disabled in public, security-definer views, exposed auth.users, leaked service keys, ...); an ERROR-level lint is a hole to close before go-live.",
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.308(a)(1)(ii)(B)'],
    phase: 1,
    remediation: {
      text: 'Fix each ERROR lint following its remediation link (Dashboard → Advisors → Security Advisor)',
      // `supabase db lint` runs plpgsql_check on functions, not the security advisor: list the advisor's own ERROR lints.
      command: `curl -fsS "https://api.supabase.com/v1/projects/{{projectRef}}/advisors/security" -H "Authorization: Bearer $SUPABASE_ACCESS_TOKEN" | jq '.lints[] | select(.level == "ERROR") | {name, title, detail, remediation}'`,
      effortMinutes: 30,
    },
    messages: {
      clean: 'No ERROR-level security lint ({{warnings}} warnings, {{infos}} info)',
      error: '{{title}} ({{lint}}) on {{entity}}',
    },
  },
  facts: { lints: supabaseSecurityAdvisors },
  evaluate({ lints }, { config }) {
    const projectRef = projectRefOf(config);
    const errors = lints.filter((lint) => lint.level === 'ERROR');
    if (errors.length === 0) {
      const warnings = lints.filter((lint) => lint.level === 'WARN');
      return [
        {
          resource: config.supabase?.projectRef ?? 'project',
          status: 'pass',
          code: 'clean',
          args: { warnings: warnings.length, infos: lints.length - warnings.length, projectRef },
          evidence: { warnings: warnings.map((lint) => `${lint.name}${lint.entity ? ` ${lint.entity}` : ''}`) },
        },
      ];
    }
    return errors.map(
      (lint): Finding => ({
        resource: `${lint.name}${lint.entity ? `:${lint.entity}` : ''}`,
        status: 'fail',
        code: 'error',
        args: { title: lint.title, lint: lint.name, entity: lint.entity ?? 'the project', projectRef },
        evidence: { lint: lint.name, level: lint.level, entity: lint.entity, cacheKey: lint.cacheKey },
      }),
    );
  },
});
