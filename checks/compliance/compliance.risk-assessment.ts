import { z } from '../../src/zod.js';
import { defineCheck } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';

export default defineCheck({
  meta: {
    id: 'compliance.risk-assessment',
    title: 'A risk assessment was done in the last 12 months',
    failureTitle: 'No risk assessment in the last 12 months',
    description: 'An accurate and thorough assessment of the risks to the confidentiality, integrity and availability of ePHI is required, and must be kept current (at least yearly).',
    section: 'compliance',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(a)(1)(ii)(A)'],
    phase: 5,
    attestations: ['risk-assessment'],
    remediation: {
      text: 'Run the security risk assessment (e.g. the HHS SRA tool), keep the report, and record the `risk-assessment` attestation',
      command: 'open https://www.healthit.gov/topic/privacy-security-and-hipaa/security-risk-assessment-tool',
      effortMinutes: 960,
      effortLabel: '2–3 business days',
    },
    messages: { ...ATTESTATION_MESSAGES },
    options: () => z.object({ maxAgeDays: z.number().int().positive().default(365).describe('How old the risk assessment may be, in days.') }),
  },
  facts: { attestations },
  evaluate({ attestations }, { now, options }) {
    return [evaluateAttestation(attestations, 'risk-assessment', now, options.maxAgeDays)];
  },
});
