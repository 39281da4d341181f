import { defineCheck, optional, type FactOutcome, type FactValue, type Finding } from '../../src/model.js';
import { artifactAgreements } from '../../src/facts/aws-account.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';

type Agreements = FactValue<typeof artifactAgreements>;

const BAA = /business associate/i;

/** The ACTIVE Business Associate Addendum among the account's Artifact agreements, if any. */
function activeBaa(outcome: FactOutcome<Agreements>) {
  return outcome.ok ? outcome.value.find((a) => a.state === 'ACTIVE' && BAA.test(a.name)) : undefined;
}

/** A Business Associate Addendum that the customer or AWS terminated (CUSTOMER_TERMINATED, AWS_TERMINATED). */
function terminatedBaa(outcome: FactOutcome<Agreements>) {
  return outcome.ok ? outcome.value.find((a) => /_TERMINATED$/.test(a.state) && BAA.test(a.name)) : undefined;
}

export default defineCheck({
  meta: {
    id: 'aws.baa',
    title: 'AWS Business Associate Addendum is in force',
    failureTitle: 'AWS Business Associate Addendum is not in force',
    description: 'PHI may only be stored on AWS under an accepted Business Associate Addendum: read from AWS Artifact (ListCustomerAgreements) when the tool may, else from the `aws-baa` attestation with its evidence.',
    section: 'aws',
    severity: 'critical',
    layer: 'operational',
    hipaa: ['164.308(b)(1)'],
    phase: 1,
    attestations: ['aws-baa'],
    remediation: {
      text: 'Accept the AWS Business Associate Addendum in AWS Artifact (Agreements → Account agreements), then record it as the `aws-baa` attestation with its evidence',
      command: 'open https://console.aws.amazon.com/artifact/home#!/agreements',
      effortMinutes: 30,
      effortLabel: '30 min of work, then 1–2 business days waiting for the signature',
      waitDays: 2,
    },
    messages: {
      ...ATTESTATION_MESSAGES,
      'artifact-active': '{{name}} is ACTIVE in AWS Artifact since {{since}}',
      'artifact-no-baa': 'AWS Artifact shows no ACTIVE Business Associate Addendum, and no `aws-baa` attestation is recorded',
      'artifact-unreadable': 'AWS Artifact could not be read ({{reason}}) and no `aws-baa` attestation is recorded',
      'baa-terminated': '{{name}} ({{id}}) is {{state}} in AWS Artifact since {{until}}: the Business Associate Addendum is no longer in force',
      'artifact-contradicts-attestation': 'AWS Artifact shows no Business Associate Addendum for this account; the attestation says one was signed — an offline BAA is possible: confirm, and waive this result once confirmed',
    },
  },
  facts: { attestations, agreements: optional(artifactAgreements) },
  evaluate({ attestations, agreements }, { now }): Finding[] {
    const baa = activeBaa(agreements);
    if (baa) {
      const evidence = { source: 'AWS Artifact', agreement: baa.name, arn: baa.arn, id: baa.id, state: baa.state, effectiveStart: baa.effectiveStart };
      return [{ resource: 'aws-baa', status: 'pass', code: 'artifact-active', args: { name: baa.name, since: baa.effectiveStart ?? 'unknown' }, evidence }];
    }
    const terminated = terminatedBaa(agreements);
    if (terminated) {
      const evidence = { source: 'AWS Artifact', agreement: terminated.name, arn: terminated.arn, id: terminated.id, state: terminated.state, effectiveEnd: terminated.effectiveEnd };
      return [{ resource: 'aws-baa', status: 'fail', code: 'baa-terminated', args: { name: terminated.name, id: terminated.id, state: terminated.state, until: terminated.effectiveEnd ?? 'unknown' }, evidence }];
    }
    if (agreements.ok) {
      const names = agreements.value.map((a) => `${a.name} (${a.state})`);
      if (!attestations['aws-baa']) return [{ resource: 'aws-baa', status: 'fail', code: 'artifact-no-baa', evidence: { source: 'AWS Artifact', agreements: names } }];
      // Artifact was read and shows no BAA in force: the attestation alone cannot make this pass,
      // but an attestation that fails on its own still fails.
      const attested = evaluateAttestation(attestations, 'aws-baa', now);
      if (attested.status !== 'pass') return [attested];
      return [{ resource: 'aws-baa', status: 'unverified', code: 'artifact-contradicts-attestation', evidence: { ...attested.evidence, source: 'AWS Artifact', agreements: names } }];
    }
    if (attestations['aws-baa'] || agreements.failure.kind === 'NotConfigured') {
      return [evaluateAttestation(attestations, 'aws-baa', now)];
    }
    const { kind, message, fix } = agreements.failure;
    return [{ resource: 'aws-baa', status: 'unverified', code: 'artifact-unreadable', args: { reason: message }, evidence: { failure: kind, ...(fix ? { fix } : {}) } }];
  },
});
