import { defineCheck, type Finding } from '../../src/model.js';
import { securityHubHubs } from '../../src/facts/aws-detection.js';
import { assessedRegions } from '../lib/regions.js';

export default defineCheck({
  meta: {
    id: 'aws.securityhub.enabled',
    title: 'Security Hub is on in every assessed region',
    failureTitle: 'Security Hub is off in an assessed region',
    description: 'Security Hub gathers GuardDuty, Config and Inspector findings in one place and checks the account against security standards continuously, between readiness runs.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(1)(ii)(D)'],
    phase: 4,
    remediation: { text: 'Enable Security Hub with the default standards in the region', command: 'aws securityhub enable-security-hub --enable-default-standards --region {{region}}', effortMinutes: 15 },
    messages: {
      enabled: 'Security Hub is enabled in {{region}}',
      disabled: 'Security Hub is not enabled in {{region}}',
      'region-not-read': 'Security Hub was not read in {{region}}',
    },
  },
  facts: { hubs: securityHubHubs },
  evaluate({ hubs }, { config }) {
    return assessedRegions(config, hubs).map((region): Finding => {
      const hub = hubs.find((h) => h.region === region);
      if (!hub) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      return { resource: region, status: hub.enabled ? 'pass' : 'fail', code: hub.enabled ? 'enabled' : 'disabled', args: { region }, evidence: { hubArn: hub.hubArn } };
    });
  },
});
