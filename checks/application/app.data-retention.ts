import { defineCheck, optional, type Finding } from '../../src/model.js';
import { s3Lifecycle } from '../../src/facts/aws.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';

export default defineCheck({
  meta: {
    id: 'app.data-retention',
    title: 'A data retention policy is in force',
    failureTitle: 'No data retention policy is in force',
    description: 'Records must be kept as long as required (HIPAA documentation 6 years, state medical-record laws often longer) and then disposed of: a retention policy is attested (`data-retention`), or enforced by an S3 lifecycle expiration on a configured bucket.',
    section: 'application',
    severity: 'medium',
    layer: 'operational',
    hipaa: ['164.316(b)(2)(i)'],
    phase: 5,
    attestations: ['data-retention'],
    remediation: {
      text: 'Write the retention policy and record it as the `data-retention` attestation, and/or enforce it with an S3 lifecycle expiration (7 years shown)',
      command:
        'aws s3api put-bucket-lifecycle-configuration --bucket {{bucket}} --lifecycle-configuration \'{"Rules":[{"ID":"retention","Status":"Enabled","Filter":{},"Expiration":{"Days":2555}}]}\'',
      effortMinutes: 240,
    },
    messages: {
      ...ATTESTATION_MESSAGES,
      'lifecycle-expiration': 'Bucket {{bucket}} expires objects after {{days}} days (rule {{rule}})',
      'lifecycle-unverified': 'No `data-retention` attestation, and S3 lifecycle rules could not be read: {{reason}}',
    },
  },
  facts: { attestations, lifecycle: optional(s3Lifecycle) },
  evaluate({ attestations, lifecycle }, { config, now }) {
    const attested = evaluateAttestation(attestations, 'data-retention', now);
    const configured = new Set(config.aws?.s3.buckets?.map((bucket) => bucket.name) ?? []);
    const firstBucket = [...configured][0] ?? '<bucket>';
    if (attested.status === 'pass') return [{ ...attested, args: { ...attested.args, bucket: firstBucket } }];
    if (lifecycle.ok) {
      for (const bucket of lifecycle.value.filter((b) => configured.size === 0 || configured.has(b.bucket))) {
        const rule = bucket.rules.find((r) => r.enabled && r.expirationDays !== null);
        if (rule) {
          const args = { bucket: bucket.bucket, days: rule.expirationDays!, rule: rule.id ?? '(unnamed)' };
          return [{ resource: bucket.bucket, status: 'pass', code: 'lifecycle-expiration', args, evidence: { bucket: bucket.bucket, rule: rule.id, prefix: rule.prefix, expirationDays: rule.expirationDays } }];
        }
      }
    } else if (lifecycle.failure.kind !== 'NotConfigured' && attested.code === 'attestation-missing') {
      // An expiration rule may exist where we could not look: that is not a fail, nor a pass.
      const finding: Finding = { resource: 'data-retention', status: 'unverified', code: 'lifecycle-unverified', args: { reason: lifecycle.failure.message, bucket: firstBucket }, evidence: { failure: lifecycle.failure.kind } };
      return [finding];
    }
    return [{ ...attested, args: { ...attested.args, bucket: firstBucket } }];
  },
});
