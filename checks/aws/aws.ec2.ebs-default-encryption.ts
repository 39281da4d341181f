import { defineCheck, type Finding } from '../../src/model.js';
import { ec2EbsEncryptionByDefault } from '../../src/facts/aws-network.js';
import { assessedRegions } from '../lib/regions.js';

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
    remediation: { text: 'Turn on EBS encryption by default in the region', command: 'aws ec2 enable-ebs-encryption-by-default --region {{region}}', effortMinutes: 5 },
    messages: {
      enabled: 'EBS encryption by default is on in {{region}}',
      disabled: 'EBS encryption by default is OFF in {{region}}',
      'region-not-read': 'EBS encryption by default was not read in {{region}}',
    },
  },
  facts: { regions: ec2EbsEncryptionByDefault },
  evaluate({ regions }, { config }) {
    return assessedRegions(config, regions).map((region): Finding => {
      const entry = regions.find((r) => r.region === region);
      if (!entry) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      return { resource: region, status: entry.enabled ? 'pass' : 'fail', code: entry.enabled ? 'enabled' : 'disabled', args: { region }, evidence: { EbsEncryptionByDefault: entry.enabled } };
    });
  },
});
