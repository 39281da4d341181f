import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { securityHubHubs } from '../../src/facts/aws-detection.js';
import { assessedRegions } from '../lib/regions.js';
import { shellQuote } from '../lib/shell.js';

type Subscription = Extract<NonNullable<FactValue<typeof securityHubHubs>[number]['standards']>, { read: true }>['subscriptions'][number];

/** `aws-foundational-security-best-practices/v/1.0.0` of `arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0` (CIS 1.2.0's is a `ruleset/`). */
const nameOf = (arn: string) => arn.split(':').slice(5).join(':').replace(/^(standards|ruleset)\//, '');
const listed = (subscriptions: Subscription[]) =>
  subscriptions.length ? subscriptions.map((s) => `${nameOf(s.standardsArn)} (${s.status}${s.statusReason ? `: ${s.statusReason}` : ''})`).join(', ') : 'no standard is subscribed';

/** AWS Foundational Security Best Practices, the default standard, in the hub's partition and region. */
function enableFoundational(region: string, hubArn: string | null): string {
  const partition = hubArn?.split(':')[1] || 'aws';
  const requests = JSON.stringify([{ StandardsArn: `arn:${partition}:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0` }]);
  return `aws securityhub batch-enable-standards --standards-subscription-requests ${shellQuote(requests)} --region ${shellQuote(region)}`;
}

export default defineCheck({
  meta: {
    id: 'aws.securityhub.enabled',
    title: 'Security Hub is on in every assessed region',
    failureTitle: 'Security Hub is off in an assessed region',
    failureTitles: { 'no-standards': 'Security Hub evaluates no security standard in an assessed region' },
    description: 'Security Hub gathers GuardDuty, Config and Inspector findings in one place and checks the account against security standards continuously, between readiness runs. It evaluates controls only of the standards it subscribes to that are READY: a hub enabled without them checks nothing.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(1)(ii)(D)'],
    phase: 4,
    remediation: {
      text: 'Enable Security Hub with the default standards in the region; where it is on but no standard is READY, enable AWS Foundational Security Best Practices (a standard INCOMPLETE or FAILED names its reason: usually AWS Config not recording)',
      command: '{{fix}}',
      effortMinutes: 15,
    },
    messages: {
      enabled: 'Security Hub is enabled in {{region}}, evaluating {{standards}}',
      disabled: 'Security Hub is not enabled in {{region}}',
      'no-standards': 'Security Hub is on in {{region}} but no security standard is READY, so no control is evaluated: {{standards}}',
      'standards-pending': 'Security Hub is on in {{region}} but its standards are still being enabled, none READY yet: {{standards}}',
      'standards-not-read': 'Security Hub is on in {{region}} but its security standards could not be read: {{reason}}',
      'standards-not-collected': 'Security Hub is on in {{region}} but its security standards were not collected (a snapshot from before they were): collect again',
      'region-not-read': 'Security Hub was not read in {{region}}',
    },
  },
  facts: { hubs: securityHubHubs },
  evaluate({ hubs }, { config }) {
    return assessedRegions(config, hubs).map((region): Finding => {
      const hub = hubs.find((h) => h.region === region);
      if (!hub) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      const evidence = { hubArn: hub.hubArn };
      if (!hub.enabled) return { resource: region, status: 'fail', code: 'disabled', args: { region, fix: `aws securityhub enable-security-hub --enable-default-standards --region ${shellQuote(region)}` }, evidence };
      if (!hub.standards) return { resource: region, status: 'unverified', code: 'standards-not-collected', args: { region }, evidence };
      if (!hub.standards.read) return { resource: region, status: 'unverified', code: 'standards-not-read', args: { region, reason: hub.standards.reason }, evidence };
      const { subscriptions } = hub.standards;
      const standards = listed(subscriptions);
      const detail = { ...evidence, standards: subscriptions.map((s) => s.standardsArn), statuses: subscriptions.map((s) => s.status) };
      const ready = subscriptions.filter((s) => s.status === 'READY');
      if (ready.length) return { resource: region, status: 'pass', code: 'enabled', args: { region, standards: ready.map((s) => nameOf(s.standardsArn)).join(', ') }, evidence: detail };
      // A standard being enabled may become READY within minutes: what it will evaluate is not known yet.
      if (subscriptions.some((s) => s.status === 'PENDING')) return { resource: region, status: 'unverified', code: 'standards-pending', args: { region, standards }, evidence: detail };
      return { resource: region, status: 'fail', code: 'no-standards', args: { region, standards, fix: enableFoundational(region, hub.hubArn) }, evidence: detail };
    });
  },
});
