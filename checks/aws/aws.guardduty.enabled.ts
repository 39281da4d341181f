import type { Config } from '../../src/config/schema.js';
import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { guardDutyDetectors } from '../../src/facts/aws-detection.js';
import { assessedRegions } from '../lib/regions.js';
import { shellQuote } from '../lib/shell.js';

type Detector = FactValue<typeof guardDutyDetectors>[number]['detectors'][number];

/** The protection plans that watch where PHI lives, by GuardDuty feature name. */
const PLANS = { S3_DATA_EVENTS: 'S3 Protection', RDS_LOGIN_EVENTS: 'RDS Protection' } as const;
type Plan = keyof typeof PLANS;

/**
 * S3 Protection always: PHI buckets are the premise, buckets the config leaves out are assumed to hold PHI, and the config
 * says no bucket's region. RDS Protection unless the config selects no database (`clusters: []` and no instance listed).
 */
function requiredPlans(config: Config): Plan[] {
  const rds = config.aws?.rds;
  const noDatabase = rds?.clusters?.length === 0 && !rds.instances?.length;
  return noDatabase ? ['S3_DATA_EVENTS'] : ['S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS'];
}

const named = (plans: readonly Plan[]) => plans.map((p) => `${p} (${PLANS[p]})`).join(', ');
const featuresArg = (plans: readonly Plan[]) => shellQuote(JSON.stringify(plans.map((Name) => ({ Name, Status: 'ENABLED' }))));

/** The required plans a detector has not ENABLED: seen DISABLED (off), or not in GetDetector's answer at all (unreported). */
function plansOf(detector: Detector, required: readonly Plan[]): { off: Plan[]; unreported: Plan[] } {
  const status = new Map((detector.features ?? []).map((f) => [f.name, f.status]));
  const notOn = required.filter((p) => status.get(p) !== 'ENABLED');
  return { off: notOn.filter((p) => status.has(p)), unreported: notOn.filter((p) => !status.has(p)) };
}

export default defineCheck({
  meta: {
    id: 'aws.guardduty.enabled',
    title: 'GuardDuty is on in every assessed region',
    failureTitle: 'GuardDuty is off in an assessed region',
    description:
      'GuardDuty watches CloudTrail, VPC flow and DNS logs for stolen credentials, crypto-mining and data exfiltration; without it nobody is told when PHI leaves the account (information system activity review). Its S3 Protection (reads of the PHI buckets) and RDS Protection (logins to the databases) must be on too: without them a detector that is on does not see PHI being taken.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(1)(ii)(D)'],
    phase: 4,
    remediation: { text: 'Enable GuardDuty in the region with S3 Protection and RDS Protection on (and route its findings to the on-call channel)', command: '{{fix}}', effortMinutes: 10 },
    messages: {
      enabled: 'GuardDuty detector {{detector}} is enabled in {{region}}',
      disabled: 'GuardDuty detector {{detector}} exists in {{region}} but is {{status}}',
      'no-detector': 'GuardDuty is not enabled in {{region}}',
      'region-not-read': 'GuardDuty was not read in {{region}}',
      'protection-off': 'GuardDuty detector {{detector}} is enabled in {{region}} but its protection for where PHI lives is off: {{plans}}',
      'features-not-reported': 'GuardDuty detector {{detector}} is enabled in {{region}}, but GetDetector did not report {{plans}}, so it is not known to be on',
      'features-not-collected': 'GuardDuty detector {{detector}} is enabled in {{region}}, but its protection plans were not collected (a snapshot from before), so S3 and RDS Protection are not known to be on',
    },
  },
  facts: { regions: guardDutyDetectors },
  evaluate({ regions }, { config }) {
    const required = requiredPlans(config);
    return assessedRegions(config, regions).map((region): Finding => {
      const entry = regions.find((r) => r.region === region);
      if (!entry) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      const enabled = entry.detectors.filter((d) => d.status === 'ENABLED');
      // AWS allows one detector per region; should a value hold more, one watching everything is enough.
      const watching = enabled.find((d) => d.features && required.every((p) => d.features!.some((f) => f.name === p && f.status === 'ENABLED')));
      if (watching) return { resource: region, status: 'pass', code: 'enabled', args: { region, detector: watching.id }, evidence: { detector: watching.id, plans: required } };
      const judged = enabled[0];
      if (judged) {
        const args = { region, detector: judged.id };
        if (!judged.features) return { resource: region, status: 'unverified', code: 'features-not-collected', args, evidence: { detector: judged.id } };
        const { off, unreported } = plansOf(judged, required);
        const evidence = { detector: judged.id, off, unreported };
        if (off.length > 0) {
          const fix = `aws guardduty update-detector --detector-id ${shellQuote(judged.id)} --features ${featuresArg(off)} --region ${shellQuote(region)}`;
          return { resource: region, status: 'fail', code: 'protection-off', args: { ...args, plans: named(off), fix }, evidence };
        }
        return { resource: region, status: 'unverified', code: 'features-not-reported', args: { ...args, plans: named(unreported) }, evidence };
      }
      const other = entry.detectors[0];
      // A disabled detector must be re-enabled, not created again (create-detector fails on it).
      if (other) {
        const fix = `aws guardduty update-detector --detector-id ${shellQuote(other.id)} --enable --features ${featuresArg(required)} --region ${shellQuote(region)}`;
        return { resource: region, status: 'fail', code: 'disabled', args: { detector: other.id, status: other.status ?? 'unknown', fix }, evidence: { detector: other.id, status: other.status } };
      }
      const fix = `aws guardduty create-detector --enable --features ${featuresArg(Object.keys(PLANS) as Plan[])} --region ${shellQuote(region)}`;
      return { resource: region, status: 'fail', code: 'no-detector', args: { region, fix }, evidence: { detectors: 0 } };
    });
  },
});
