import { defineCheck } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';

export default defineCheck({
  meta: {
    id: 'aws.baa',
    title: 'AWS Business Associate Addendum is in force',
    failureTitle: 'AWS Business Associate Addendum is not in force',
    description: 'PHI may only be stored on AWS under an accepted Business Associate Addendum (AWS Artifact → Agreements), or one signed with AWS and recorded with evidence.',
    section: 'aws',
    severity: 'critical',
    layer: 'operational',
    hipaa: ['164.308(b)(1)', '164.314(a)'],
    phase: 1,
    remediation: {
      text: 'Accept the AWS Business Associate Addendum in AWS Artifact (Agreements → Account agreements), then record it as the `aws-baa` attestation with its evidence',
      command: 'open https://console.aws.amazon.com/artifact/home#!/agreements',
      effortMinutes: 960,
      effortLabel: '1–2 business days',
    },
    messages: { ...ATTESTATION_MESSAGES },
  },
  facts: { attestations },
  evaluate({ attestations }, { now }) {
    return [evaluateAttestation(attestations, 'aws-baa', now)];
  },
});
