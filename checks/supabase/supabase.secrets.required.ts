import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseSecrets } from '../../src/facts/supabase.js';

/** Secret names the CLI refuses to set (`Env name cannot start with SUPABASE_, skipping`): the platform's own. */
const RESERVED_PREFIX = 'SUPABASE_';

export default defineCheck({
  meta: {
    id: 'supabase.secrets.required',
    title: 'Required Edge Function secrets are set',
    failureTitle: 'Required Edge Function secrets are missing',
    description:
      'Edge Functions read their configuration (e.g. the Aurora connection) from project secrets; a missing one breaks them at run time, and so does one set to an empty value or a placeholder (changeme, TODO, xxx, ...). Names are compared exactly (environment variables are case-sensitive); values are never read: the API answers a digest of each, compared with the digests of those values and then dropped.',
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
      'reserved-name': 'Secret {{resource}} is not set, and cannot be: Supabase reserves names starting with SUPABASE_ (it sets its own) and `supabase secrets set` skips them; rename it in the functions and in supabase.requiredSecrets',
      empty: 'Secret {{resource}} is set to an empty value',
      placeholder: 'Secret {{resource}} is set to a placeholder (such as changeme or TODO), not a real value',
      'value-unknown': 'Secret {{resource}} exists, but the API answered no digest of its value: whether it is empty or a placeholder is unknown',
      'value-not-collected': 'Secret {{resource}} exists, but whether its value is empty or a placeholder was not collected (collect again)',
      'none-required': 'No secret is listed in supabase.requiredSecrets',
    },
  },
  facts: { secrets: supabaseSecrets },
  evaluate({ secrets }, { config }) {
    const required = config.supabase?.requiredSecrets ?? [];
    const projectRef = config.supabase?.projectRef ?? '<project-ref>';
    if (required.length === 0) return [{ resource: 'secrets', status: 'not_applicable', code: 'none-required' }];
    return required.map((name): Finding => {
      const args = { projectRef };
      if (!secrets.names.includes(name)) {
        // The set command would be skipped for such a name: none is given (its project ref is left out, so it is not rendered).
        if (name.startsWith(RESERVED_PREFIX)) return { resource: name, status: 'fail', code: 'reserved-name' };
        return { resource: name, status: 'fail', code: 'missing', args };
      }
      // A name alone does not make a usable secret: an empty or placeholder value breaks the function just the same.
      if (!secrets.values) return { resource: name, status: 'unverified', code: 'value-not-collected', args };
      const kinds = secrets.values.filter((value) => value.name === name).map((value) => value.kind);
      if (kinds.includes('empty')) return { resource: name, status: 'fail', code: 'empty', args };
      if (kinds.includes('placeholder')) return { resource: name, status: 'fail', code: 'placeholder', args };
      if (kinds.length === 0 || kinds.includes('unknown')) return { resource: name, status: 'unverified', code: 'value-unknown', args };
      return { resource: name, status: 'pass', code: 'present', args };
    });
  },
});
