import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances, s3Encryption } from '../../src/facts/aws.js';
import { kmsKeys } from '../../src/facts/aws-network.js';
import { shellQuote } from '../lib/shell.js';

/** The key id of a key id or key ARN; alias references cannot be resolved from these facts. */
const keyIdOf = (reference: string) => reference.split(':key/').pop()!;

export default defineCheck({
  meta: {
    id: 'aws.kms.rotation',
    title: 'Customer-managed KMS keys that protect PHI rotate',
    failureTitle: 'A customer-managed KMS key that protects PHI does not rotate',
    description: 'Yearly automatic rotation limits how much PHI any one key version protects. Keys used by the assessed databases and buckets must rotate; AWS-managed keys rotate on their own.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(2)(iv)'],
    phase: 1,
    remediation: { text: 'Turn on automatic rotation of the key', command: 'aws kms enable-key-rotation --key-id {{keyId}} --region {{region}}', effortMinutes: 5 },
    messages: {
      rotating: 'Key {{key}} (used by {{usedBy}}) rotates automatically',
      'not-rotating': 'Key {{key}} (used by {{usedBy}}) does NOT rotate',
      'aws-managed': 'Key {{key}} (used by {{usedBy}}) is AWS-managed and rotates automatically',
      'not-rotatable': 'Key {{key}} (used by {{usedBy}}) cannot rotate automatically ({{reason}}): rotate it by hand',
      'key-not-found': 'Key {{key}} (used by {{usedBy}}) was not found among the keys of the selected regions',
      'no-keys-used': 'No assessed database or bucket uses a KMS key',
    },
  },
  facts: { keys: kmsKeys, clusters: rdsClusters, instances: rdsInstances, encryption: s3Encryption },
  evaluate({ keys, clusters, instances, encryption }) {
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
      const withRegion = { ...args, keyId: shellQuote(id), region: key.region };
      if (key.manager === 'AWS') return { resource: key.arn, status: 'pass', code: 'aws-managed', args: withRegion, evidence };
      if (key.rotationEnabled === true) return { resource: key.arn, status: 'pass', code: 'rotating', args: withRegion, evidence };
      if (key.rotationEnabled === false) return { resource: key.arn, status: 'fail', code: 'not-rotating', args: withRegion, evidence };
      const reason = key.origin && key.origin !== 'AWS_KMS' ? `origin ${key.origin}` : key.state !== 'Enabled' ? `state ${key.state ?? 'unknown'}` : `spec ${key.keySpec ?? 'unknown'}`;
      return { resource: key.arn, status: 'fail', code: 'not-rotatable', args: { key: id, usedBy: args.usedBy, reason }, evidence };
    });
  },
});
