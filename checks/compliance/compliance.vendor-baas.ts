import { defineCheck, type Finding } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';
import { attestationExpression, RECORD_ATTESTATION } from '../lib/record-attestation.js';

export default defineCheck({
  meta: {
    id: 'compliance.vendor-baas',
    title: 'Every PHI vendor has a BAA',
    failureTitle: 'A vendor handling PHI has no BAA',
    description: 'Every vendor listed under `vendors:` (they create, receive, keep or send PHI: Supabase, Twilio, email and video providers, ...) needs a signed Business Associate Agreement, recorded as the `<vendor>-baa` attestation.',
    section: 'compliance',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(b)(1)'],
    phase: 1,
    remediation: {
      text: 'Sign a BAA with the vendor (or stop sending it PHI), then record it as the `<vendor>-baa` attestation with its evidence',
      command: RECORD_ATTESTATION,
      effortMinutes: 60,
      effortLabel: '1 h of work, then 1–2 business days waiting for each signature, vendors in parallel',
      waitDays: 2,
    },
    messages: {
      ...ATTESTATION_MESSAGES,
      'assessed-elsewhere': "{{resource}}'s BAA is assessed by {{check}}: not counted twice",
      'no-vendors': 'No vendors listed under `vendors:`: list every vendor that handles PHI so its BAA is checked',
    },
  },
  facts: { attestations },
  evaluate({ attestations }, { config, now }) {
    if (config.vendors.length === 0) return [{ resource: 'vendors', status: 'not_applicable', code: 'no-vendors', args: { key: '<vendor>-baa', yqExpression: attestationExpression('<vendor>-baa', 'docs/compliance/<vendor>-baa.pdf') } }];
    return config.vendors.map((vendor): Finding => {
      // supabase.baa (critical) already weighs a missing Supabase BAA when the Supabase section is assessed.
      if (vendor === 'supabase' && config.supabase) return { resource: vendor, status: 'not_applicable', code: 'assessed-elsewhere', args: { check: 'supabase.baa', key: 'supabase-baa' } };
      const finding = evaluateAttestation(attestations, `${vendor}-baa`, now);
      return { ...finding, resource: vendor };
    }).map((f) => ({ ...f, args: { ...f.args, yqExpression: attestationExpression(String(f.args?.key), `docs/compliance/${String(f.args?.key)}.pdf`) } }));
  },
});
