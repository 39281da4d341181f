import { z } from '../../src/zod.js';
import { defineCheck } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';
import { recordAttestationCommand } from '../lib/record-attestation.js';

export default defineCheck({
  meta: {
    id: 'compliance.training',
    title: 'Workforce HIPAA training is current',
    failureTitle: 'Workforce HIPAA training is missing or older than 12 months',
    description: 'Every member of the workforce who can reach PHI must receive security awareness training, renewed at least yearly.',
    section: 'compliance',
    severity: 'medium',
    layer: 'operational',
    hipaa: ['164.308(a)(5)(i)'],
    phase: 5,
    attestations: ['training'],
    remediation: {
      text: 'Train the workforce (security awareness, phishing, PHI handling), keep the attendance list, and record the `training` attestation',
      command: recordAttestationCommand('training', 'docs/compliance/training-attendance.csv'),
      effortMinutes: 480,
    },
    messages: { ...ATTESTATION_MESSAGES },
    options: () => z.object({ maxAgeDays: z.number().int().positive().default(365).describe('How old the training may be, in days.') }),
  },
  facts: { attestations },
  evaluate({ attestations }, { now, options }) {
    return [evaluateAttestation(attestations, 'training', now, options.maxAgeDays)];
  },
});
