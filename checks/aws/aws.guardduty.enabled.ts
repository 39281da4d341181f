import { defineCheck, type Finding } from '../../src/model.js';
import { guardDutyDetectors } from '../../src/facts/aws-detection.js';
import { assessedRegions } from '../lib/regions.js';

export default defineCheck({
  meta: {
    id: 'aws.guardduty.enabled',
    title: 'GuardDuty is on in every assessed region',
    failureTitle: 'GuardDuty is off in an assessed region',
    description: 'GuardDuty watches CloudTrail, VPC flow and DNS logs for stolen credentials, crypto-mining and data exfiltration; without it nobody is told when PHI leaves the account (information system activity review).',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(1)(ii)(D)'],
    phase: 4,
    remediation: { text: 'Enable GuardDuty in the region (and route its findings to the on-call channel)', command: 'aws guardduty create-detector --enable --region {{region}}', effortMinutes: 10 },
    messages: {
      enabled: 'GuardDuty detector {{detector}} is enabled in {{region}}',
      disabled: 'GuardDuty detector {{detector}} exists in {{region}} but is {{status}}',
      'no-detector': 'GuardDuty is not enabled in {{region}}',
      'region-not-read': 'GuardDuty was not read in {{region}}',
    },
  },
  facts: { regions: guardDutyDetectors },
  evaluate({ regions }, { config }) {
    return assessedRegions(config, regions).map((region): Finding => {
      const entry = regions.find((r) => r.region === region);
      if (!entry) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      const enabled = entry.detectors.find((d) => d.status === 'ENABLED');
      if (enabled) return { resource: region, status: 'pass', code: 'enabled', args: { region, detector: enabled.id }, evidence: { detector: enabled.id } };
      const other = entry.detectors[0];
      // A disabled detector must be re-enabled, not created again (create-detector fails on it).
      if (other) return { resource: region, status: 'fail', code: 'disabled', args: { detector: other.id, status: other.status ?? 'unknown' }, evidence: { detector: other.id, status: other.status } };
      return { resource: region, status: 'fail', code: 'no-detector', args: { region }, evidence: { detectors: 0 } };
    });
  },
});
