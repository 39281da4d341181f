import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { cloudtrailTrails } from '../../src/facts/aws-account.js';

type Trail = FactValue<typeof cloudtrailTrails>[number];

/** The first requirement a trail misses, in the order a fix would go; null when it meets them all. */
function gap(trail: Trail): 'not-multi-region' | 'not-logging' | 'delivery-failing' | 'no-validation' | null {
  if (!trail.multiRegion) return 'not-multi-region';
  if (!trail.isLogging) return 'not-logging';
  if (trail.latestDeliveryError) return 'delivery-failing';
  if (!trail.logFileValidation) return 'no-validation';
  return null;
}
const RANK = { 'no-validation': 0, 'delivery-failing': 1, 'not-logging': 2, 'not-multi-region': 3 } as const;

export default defineCheck({
  meta: {
    id: 'aws.cloudtrail.enabled',
    title: 'CloudTrail records every region, with log file validation',
    failureTitle: 'CloudTrail does not record every region with validated logs',
    description: 'The audit trail of who did what in the account: a multi-region trail that is logging, with log file validation so tampering with the logs can be detected.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 1,
    remediation: {
      text: 'Make the trail multi-region, turn on log file validation and start logging',
      command: 'aws cloudtrail update-trail --name {{trail}} --is-multi-region-trail --enable-log-file-validation --region {{region}} && aws cloudtrail start-logging --name {{trail}} --region {{region}}',
      effortMinutes: 15,
    },
    messages: {
      compliant: 'Trail {{trail}} logs every region, with log file validation',
      'no-trails': 'No CloudTrail trail exists',
      'not-multi-region': 'Trail {{trail}} records only {{region}}; no multi-region trail',
      'not-logging': 'Multi-region trail {{trail}} is not logging',
      'no-validation': 'Multi-region trail {{trail}} has log file validation off',
      'delivery-failing': 'Multi-region trail {{trail}} cannot deliver its logs: {{error}}',
    },
  },
  facts: { trails: cloudtrailTrails },
  evaluate({ trails }, { config }): Finding[] {
    const region = config.aws?.region ?? 'us-east-1';
    if (trails.length === 0) {
      return [{ resource: 'cloudtrail', status: 'fail', code: 'no-trails', args: { trail: `${config.project}-audit`, region } }];
    }
    const evidence = {
      trails: trails.map((t) => `${t.name} (${[t.multiRegion ? 'multi-region' : 'single-region', t.isLogging ? 'logging' : 'not logging', t.logFileValidation ? 'validated' : 'no validation'].join(', ')})`),
    };
    const good = trails.find((t) => gap(t) === null);
    if (good) return [{ resource: good.arn, status: 'pass', code: 'compliant', args: { trail: good.name, region: good.homeRegion }, evidence }];
    // Report the trail closest to compliant: it is the cheapest to fix.
    const closest = [...trails].sort((a, b) => RANK[gap(a)!] - RANK[gap(b)!])[0]!;
    const args = { trail: closest.name, region: closest.homeRegion, error: closest.latestDeliveryError ?? '' };
    return [{ resource: closest.arn, status: 'fail', code: gap(closest)!, args, evidence }];
  },
});
