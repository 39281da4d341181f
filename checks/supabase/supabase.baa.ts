import { defineCheck } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';

export default defineCheck({
  meta: {
    id: 'supabase.baa',
    title: 'Supabase BAA is in force',
    failureTitle: 'Supabase BAA is not in force',
    description: 'Supabase stores PHI only under its HIPAA add-on and a signed BAA; the Management API does not expose either, so it must be attested with evidence.',
    section: 'supabase',
    severity: 'critical',
    layer: 'operational',
    hipaa: ['164.308(b)(1)'],
    phase: 1,
    attestations: ['supabase-baa'],
    remediation: {
      text: 'Enable the HIPAA add-on for the organization, sign the Supabase BAA, mark the project as high-compliance, then record the `supabase-baa` attestation with its evidence',
      command: 'open https://supabase.com/docs/guides/security/hipaa-compliance',
      effortMinutes: 60,
      effortLabel: '1 h of work, then 1–2 business days waiting for the signature',
      waitDays: 2,
    },
    messages: { ...ATTESTATION_MESSAGES, 'not-assessed': 'Not assessed: {{reason}}' },
  },
  facts: { attestations },
  evaluate({ attestations }, { config, now }) {
    // Like the rest of the section: no `supabase:` means the stack is not assessed on Supabase, not that it lacks a BAA.
    const reason = 'no `supabase:` in the config';
    if (!config.supabase) return [{ resource: 'project', status: 'not_applicable', code: 'not-assessed', args: { reason }, evidence: { reason } }];
    return [evaluateAttestation(attestations, 'supabase-baa', now)];
  },
});
