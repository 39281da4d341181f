import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseSecrets } from '../../src/facts/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.secrets.required',
    title: 'Required Edge Function secrets are set',
    failureTitle: 'Required Edge Function secrets are missing',
    description: 'Edge Functions read their configuration (e.g. the Aurora connection) from project secrets; a missing one breaks them at run time. Only names are compared: values are never read.',
    section: 'supabase',
    severity: 'critical',
    layer: 'application',
    hipaa: [],
    phase: 1,
    remediation: {
      text: 'Set the missing secrets (from a file or your secret store, never on a shared screen)',
      // The value is typed unseen and passed in a file: never in shell history or the process list.
      command: "read -rs VALUE && printf '%s=%s\\n' {{resource}} \"$VALUE\" > .secret.env && npx supabase secrets set --project-ref {{projectRef}} --env-file .secret.env; rm -f .secret.env",
      effortMinutes: 5,
    },
    messages: {
      present: 'Secret {{resource}} is set',
      missing: 'Secret {{resource}} is not set',
      'none-required': 'No secret is listed in supabase.requiredSecrets',
    },
  },
  facts: { secrets: supabaseSecrets },
  evaluate({ secrets }, { config }) {
    const required = config.supabase?.requiredSecrets ?? [];
    const projectRef = config.supabase?.projectRef ?? '<project-ref>';
    if (required.length === 0) return [{ resource: 'secrets', status: 'not_applicable', code: 'none-required' }];
    return required.map((name): Finding => {
      const present = secrets.names.includes(name);
      return { resource: name, status: present ? 'pass' : 'fail', code: present ? 'present' : 'missing', args: { projectRef } };
    });
  },
});
