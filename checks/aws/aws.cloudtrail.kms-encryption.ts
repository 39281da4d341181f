import { defineCheck, type Finding } from '../../src/model.js';
import { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import { loggingTrails, TRAIL_MESSAGES, updateTrail } from '../lib/trails.js';

export default defineCheck({
  meta: {
    id: 'aws.cloudtrail.kms-encryption',
    title: 'CloudTrail logs are encrypted with a KMS key',
    failureTitle: 'CloudTrail logs are not encrypted with a KMS key',
    description: 'With SSE-KMS, reading the audit trail needs both S3 access and the key, and every decryption is itself logged; with S3 default encryption anyone who can read the bucket reads the trail.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(2)(iv)'],
    phase: 1,
    remediation: {
      text: 'Choose a KMS key whose policy lets CloudTrail encrypt (and the log readers decrypt), and set it on the trail (`<kms-key-arn>`; or Trail → Edit → Log file SSE-KMS encryption)',
      command: '{{fix}}',
      effortMinutes: 30,
    },
    messages: {
      encrypted: 'Trail {{name}} encrypts its log files with {{key}}',
      'not-encrypted': 'Trail {{name}} does not encrypt its log files with a KMS key',
      'key-not-enabled': 'Key {{key}} of trail {{name}} is {{state}}: CloudTrail cannot write log files, so the audit trail has stopped',
      'key-missing': 'Trail {{name}} names key {{key}}, which was not found: CloudTrail cannot write log files',
      'key-state-unknown': 'Whether key {{key}} of trail {{name}} is enabled is unknown: {{reason}}',
      ...TRAIL_MESSAGES,
    },
  },
  facts: { trails: cloudtrailTrailSettings },
  evaluate({ trails }) {
    const logging = loggingTrails(trails);
    if (logging.length === 0) return [{ resource: 'cloudtrail', status: 'fail', code: 'no-trails' }];
    return logging.map((trail): Finding => {
      if (trail.kmsKeyId) {
        const base = { resource: trail.arn, args: { name: trail.name, key: trail.kmsKeyId }, evidence: { kmsKeyId: trail.kmsKeyId, keyState: trail.kmsKeyState ?? null } };
        // A disabled key, or one pending deletion or gone, encrypts nothing: CloudTrail stops delivering log files.
        if (trail.kmsKeyState === undefined || trail.kmsKeyState === null) {
          const reason = trail.kmsKeyStateError ?? 'it was not collected (a snapshot from before): collect again';
          return { ...base, status: 'unverified', code: 'key-state-unknown', args: { ...base.args, reason } };
        }
        if (trail.kmsKeyState === 'NotFound') return { ...base, status: 'fail', code: 'key-missing' };
        if (trail.kmsKeyState !== 'Enabled') return { ...base, status: 'fail', code: 'key-not-enabled', args: { ...base.args, state: trail.kmsKeyState } };
        return { ...base, status: 'pass', code: 'encrypted' };
      }
      return { resource: trail.arn, status: 'fail', code: 'not-encrypted', args: { name: trail.name, fix: updateTrail(trail, '--kms-key-id <kms-key-arn>') }, evidence: { kmsKeyId: null } };
    });
  },
});
