import { defineCheck } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';
import { recordAttestationCommand } from '../lib/record-attestation.js';

export default defineCheck({
  meta: {
    id: 'app.patient-data-export',
    title: 'Patient data export (right of access) is in place',
    failureTitle: 'Patient data export (right of access) is not in place',
    description: 'Patients have the right to a copy of their PHI in the form they ask for, within 30 days; the export path must exist and be attested (tested with a real record set).',
    section: 'application',
    severity: 'medium',
    layer: 'application',
    hipaa: ['164.524'],
    phase: 5,
    attestations: ['patient-data-export'],
    remediation: {
      text: 'Build and test the patient export (all PHI of one client, as PDF/JSON), then record the `patient-data-export` attestation with the test evidence',
      command: recordAttestationCommand('patient-data-export', 'docs/compliance/patient-export-test.md'),
      effortMinutes: 960,
      effortLabel: '1–2 business days',
    },
    messages: { ...ATTESTATION_MESSAGES },
  },
  facts: { attestations },
  evaluate({ attestations }, { now }) {
    return [evaluateAttestation(attestations, 'patient-data-export', now)];
  },
});
