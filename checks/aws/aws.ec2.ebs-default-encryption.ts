import { defineCheck, type Finding } from '../../src/model.js';
import { ec2EbsEncryptionByDefault } from '../../src/facts/aws-network.js';
import { assessedRegions } from '../lib/regions.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'aws.ec2.ebs-default-encryption',
    title: 'New EBS volumes are encrypted by default in every assessed region',
    failureTitle: 'EBS encryption by default is off in an assessed region',
    description: 'With encryption by default, no volume or snapshot created in the region (a bastion, a build host, a restored copy) can hold PHI unencrypted by mistake.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(2)(iv)'],
    phase: 1,
    remediation: { text: 'Turn on EBS encryption by default in the region, with a default KMS key of the account that is enabled', command: '{{fix}}', effortMinutes: 5 },
    messages: {
      enabled: 'EBS encryption by default is on in {{region}}',
      disabled: 'EBS encryption by default is OFF in {{region}}',
      'region-not-read': 'EBS encryption by default was not read in {{region}}',
      'key-not-read': 'EBS encryption by default is on in {{region}}, but its default KMS key was not read ({{reason}})',
      'key-unusable': 'EBS encryption by default in {{region}} uses KMS key {{key}}, which is {{state}}: new encrypted volumes cannot be created with it',
      'key-missing': 'EBS encryption by default in {{region}} uses KMS key {{key}}, which does not exist: new encrypted volumes cannot be created with it',
      'key-other-account': 'EBS encryption by default in {{region}} uses KMS key {{key}} of account {{keyAccount}}, not the account assessed: whether it stays usable is decided there',
    },
    failureTitles: {
      'key-unusable': 'The default EBS encryption key of an assessed region is not usable',
      'key-missing': 'The default EBS encryption key of an assessed region does not exist',
    },
  },
  facts: { regions: ec2EbsEncryptionByDefault },
  evaluate({ regions }, { config }) {
    return assessedRegions(config, regions).map((region): Finding => {
      const entry = regions.find((r) => r.region === region);
      if (!entry) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      const evidence = { EbsEncryptionByDefault: entry.enabled, ...(entry.defaultKey ? { KmsKeyId: entry.defaultKey.id, KeyState: entry.defaultKey.state } : {}) };
      const inRegion = `--region ${shellQuote(region)}`;
      if (!entry.enabled) return { resource: region, status: 'fail', code: 'disabled', args: { region, fix: `aws ec2 enable-ebs-encryption-by-default ${inRegion}` }, evidence };
      // Encryption by default with a key that cannot encrypt makes every new volume fail to create, or leaves data unreadable.
      const key = entry.defaultKey;
      if (!key || (!key.state && key.manager !== 'AWS')) return { resource: region, status: 'unverified', code: 'key-not-read', args: { region, reason: key?.error ?? 'not collected' }, evidence };
      const name = key.arn ?? key.id ?? 'unknown';
      // Back to the AWS managed key where the key cannot simply be turned on again.
      const reset = `aws ec2 reset-ebs-default-kms-key-id ${inRegion}`;
      if (key.state && key.state !== 'Enabled' && key.state !== 'NotFound') {
        const enable = `aws kms enable-key --key-id ${shellQuote(name)} ${inRegion}`;
        const fix = key.state === 'Disabled' ? enable : key.state === 'PendingDeletion' ? `aws kms cancel-key-deletion --key-id ${shellQuote(name)} ${inRegion} && ${enable}` : reset;
        return { resource: region, status: 'fail', code: 'key-unusable', args: { region, key: name, state: key.state, fix }, evidence };
      }
      if (key.otherAccount) return { resource: region, status: 'unverified', code: 'key-other-account', args: { region, key: name, keyAccount: key.otherAccount }, evidence };
      if (key.state === 'NotFound') return { resource: region, status: 'fail', code: 'key-missing', args: { region, key: name, fix: reset }, evidence };
      return { resource: region, status: 'pass', code: 'enabled', args: { region }, evidence };
    });
  },
});
