import { z } from '../../src/zod.js';
import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances, s3Encryption } from '../../src/facts/aws.js';
import { kmsKeys } from '../../src/facts/aws-network.js';
import { shellQuote } from '../lib/shell.js';

/** The key id of a key id or key ARN; alias references cannot be resolved from these facts. */
const keyIdOf = (reference: string) => reference.split(':key/').pop()!;
/** The period KMS rotates on when GetKeyRotationStatus gives none: its API reference documents 365 days as the default. */
const DEFAULT_ROTATION_DAYS = 365;

export default defineCheck({
  meta: {
    id: 'aws.kms.rotation',
    title: 'Customer-managed KMS keys that protect PHI rotate',
    failureTitle: 'A customer-managed KMS key that protects PHI does not rotate',
    description: 'Yearly automatic rotation limits how much PHI any one key version protects. Keys used by the assessed databases and buckets must rotate, at least every `maxRotationDays` (365 by default; KMS takes 365 when no period is given); AWS-managed keys rotate on their own.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(2)(iv)'],
    phase: 1,
    options: () => z.object({
      maxRotationDays: z.number().int().min(90).max(2560).default(365).describe('Longest automatic rotation period accepted, in days (KMS accepts 90 to 2560); the fix command sets this period.'),
    }),
    remediation: { text: 'Turn on automatic rotation of the key, with a period of at most `maxRotationDays`', command: 'aws kms enable-key-rotation --key-id {{keyId}} --rotation-period-in-days {{maxRotationDays}} --region {{region}}', effortMinutes: 5 },
    messages: {
      rotating: 'Key {{key}} (used by {{usedBy}}) rotates automatically',
      'rotation-too-slow': 'Key {{key}} (used by {{usedBy}}) rotates only every {{days}} days (longest accepted: {{maxRotationDays}})',
      'rotation-period-not-collected': 'Key {{key}} (used by {{usedBy}}) rotates automatically, but its rotation period was not collected (a snapshot from an older version): collect again',
      'not-rotating': 'Key {{key}} (used by {{usedBy}}) does NOT rotate',
      'aws-managed': 'Key {{key}} (used by {{usedBy}}) is AWS-managed and rotates automatically',
      'not-rotatable': 'Key {{key}} (used by {{usedBy}}) cannot rotate automatically ({{reason}}): rotate it by hand',
      'key-not-found': 'Key {{key}} (used by {{usedBy}}) was not found among the keys of the selected regions',
      'no-keys-used': 'No assessed database or bucket uses a KMS key',
    },
  },
  facts: { keys: kmsKeys, clusters: rdsClusters, instances: rdsInstances, encryption: s3Encryption },
  evaluate({ keys, clusters, instances, encryption }, { options }) {
    const users = new Map<string, string[]>();
    const use = (reference: string | null, user: string) => {
      if (!reference) return;
      const id = keyIdOf(reference);
      const usedBy = users.get(id);
      if (usedBy) usedBy.push(user);
      else users.set(id, [user]);
    };
    for (const c of clusters) use(c.kmsKeyId, c.id);
    for (const i of instances.filter((i) => i.clusterId === null)) use(i.kmsKeyId, i.id);
    for (const b of encryption) for (const rule of b.rules) use(rule.kmsKeyId, b.bucket);
    if (users.size === 0) return [{ resource: 'kms', status: 'not_applicable', code: 'no-keys-used' }];
    // A key by its id or its ARN; the first key of a name wins, as a scan in order would find it.
    const keyByName = new Map<string, (typeof keys)[number]>();
    for (const key of keys) {
      if (!keyByName.has(key.id)) keyByName.set(key.id, key);
      if (!keyByName.has(key.arn)) keyByName.set(key.arn, key);
    }
    return [...users].map(([id, usedBy]): Finding => {
      const key = keyByName.get(id);
      const args = { key: id, usedBy: usedBy.join(', ') };
      if (!key) return { resource: id, status: 'unverified', code: 'key-not-found', args };
      const evidence = { manager: key.manager, state: key.state, keySpec: key.keySpec, rotationEnabled: key.rotationEnabled };
      const withRegion = { ...args, keyId: shellQuote(id), region: key.region, maxRotationDays: options.maxRotationDays };
      if (key.manager === 'AWS') return { resource: key.arn, status: 'pass', code: 'aws-managed', args: withRegion, evidence };
      if (key.rotationEnabled === true) {
        // The switch alone does not say how often: a key can be set to rotate only every 2560 days (7 years).
        if (key.rotationPeriodDays === undefined) return { resource: key.arn, status: 'unverified', code: 'rotation-period-not-collected', args, evidence };
        const days = key.rotationPeriodDays ?? DEFAULT_ROTATION_DAYS;
        const timed = { ...evidence, rotationPeriodDays: key.rotationPeriodDays };
        if (days > options.maxRotationDays) return { resource: key.arn, status: 'fail', code: 'rotation-too-slow', args: { ...withRegion, days }, evidence: timed };
        return { resource: key.arn, status: 'pass', code: 'rotating', args: withRegion, evidence: timed };
      }
      if (key.rotationEnabled === false) return { resource: key.arn, status: 'fail', code: 'not-rotating', args: withRegion, evidence };
      const reason = key.origin && key.origin !== 'AWS_KMS' ? `origin ${key.origin}` : key.state !== 'Enabled' ? `state ${key.state ?? 'unknown'}` : `spec ${key.keySpec ?? 'unknown'}`;
      return { resource: key.arn, status: 'fail', code: 'not-rotatable', args: { key: id, usedBy: args.usedBy, reason }, evidence };
    });
  },
});
