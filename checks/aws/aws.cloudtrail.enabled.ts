import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { cloudtrailTrails } from '../../src/facts/aws-account.js';
import { shellQuote } from '../lib/shell.js';

type Trail = FactValue<typeof cloudtrailTrails>[number];

type Gap = 'not-multi-region' | 'not-logging' | 'no-management-events' | 'partial-management-events' | 'selectors-unknown' | 'delivery-failing' | 'no-validation';

/** The first requirement a trail misses, in the order a fix would go; null when it meets them all. */
function gap(trail: Trail): Gap | null {
  if (!trail.multiRegion) return 'not-multi-region';
  if (!trail.isLogging) return 'not-logging';
  if (!trail.managementEvents) return 'selectors-unknown';
  if (!trail.managementEvents.read && !trail.managementEvents.write) return 'no-management-events';
  if (!trail.managementEvents.read || !trail.managementEvents.write) return 'partial-management-events';
  if (trail.latestDeliveryError) return 'delivery-failing';
  if (!trail.logFileValidation) return 'no-validation';
  return null;
}
const RANK: Record<Gap, number> = {
  'no-validation': 0,
  'delivery-failing': 1,
  'selectors-unknown': 2,
  'partial-management-events': 3,
  'no-management-events': 4,
  'not-logging': 5,
  'not-multi-region': 6,
};

// Trail names are [A-Za-z0-9._-]: safe in a shell command as they are.
/** The fix for a trail (its name is one shell word). */
const FIX: Record<'events' | 'unknown' | 'trail', (trail: string, region: string) => string> = {
  events: (trail, region) =>
    `aws cloudtrail put-event-selectors --trail-name ${trail} --region ${region} --advanced-event-selectors '[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]'`,
  unknown: (trail, region) => `aws cloudtrail get-event-selectors --trail-name ${trail} --region ${region}`,
  trail: (trail, region) => `aws cloudtrail update-trail --name ${trail} --is-multi-region-trail --enable-log-file-validation --region ${region} && aws cloudtrail start-logging --name ${trail} --region ${region}`,
};

function describeEvents(events: Trail['managementEvents']): string {
  if (!events) return 'management events unknown';
  if (events.read && events.write) return 'management events read+write';
  return events.read ? 'management reads only' : events.write ? 'management writes only' : 'no management events';
}

export default defineCheck({
  meta: {
    id: 'aws.cloudtrail.enabled',
    title: 'CloudTrail records every region\'s management events, with log file validation',
    failureTitle: 'CloudTrail does not record every region\'s management events with validated logs',
    description: 'The audit trail of who did what in the account: a multi-region trail that is logging, whose event selectors (classic or advanced) record management events, both read and write, with log file validation so tampering with the logs can be detected.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 1,
    remediation: {
      text: 'Make the trail multi-region, record management events (read and write; put-event-selectors replaces the selectors, so add back any data-event selectors you keep), turn on log file validation and start logging',
      command: '{{steps}}',
      effortMinutes: 15,
    },
    messages: {
      compliant: 'Trail {{trail}} logs every region, with log file validation',
      'no-trails': 'No CloudTrail trail exists',
      'not-multi-region': 'Trail {{trail}} records only {{region}}; no multi-region trail',
      'not-logging': 'Multi-region trail {{trail}} is not logging',
      'no-validation': 'Multi-region trail {{trail}} has log file validation off',
      'delivery-failing': 'Multi-region trail {{trail}} cannot deliver its logs: {{error}}',
      'no-management-events': 'Multi-region trail {{trail}} records no management events: its event selectors leave out who changed what',
      'partial-management-events': 'Multi-region trail {{trail}} records only management {{recorded}} events, not {{missing}} events',
      'selectors-unknown': 'The event selectors of trail {{trail}} were not read: which management events it records is unknown',
    },
  },
  facts: { trails: cloudtrailTrails },
  evaluate({ trails }, { config }): Finding[] {
    const region = config.aws?.region ?? 'us-east-1';
    if (trails.length === 0) {
      const trail = `${config.project}-audit`;
      const name = shellQuote(trail);
      const steps = `aws cloudtrail create-trail --name ${name} --s3-bucket-name <log-bucket> --is-multi-region-trail --enable-log-file-validation --region ${region} && aws cloudtrail start-logging --name ${name} --region ${region}`;
      return [{ resource: 'cloudtrail', status: 'fail', code: 'no-trails', args: { trail, region, steps } }];
    }
    const evidence = {
      trails: trails.map(
        (t) => `${t.name} (${[t.multiRegion ? 'multi-region' : 'single-region', t.isLogging ? 'logging' : 'not logging', describeEvents(t.managementEvents), t.logFileValidation ? 'validated' : 'no validation'].join(', ')})`,
      ),
    };
    const good = trails.find((t) => gap(t) === null);
    if (good) return [{ resource: good.arn, status: 'pass', code: 'compliant', args: { trail: good.name, region: good.homeRegion }, evidence }];
    // Report the trail closest to compliant: it is the cheapest to fix.
    const closest = [...trails].sort((a, b) => RANK[gap(a)!] - RANK[gap(b)!])[0]!;
    const code = gap(closest)!;
    const events = closest.managementEvents;
    const args = {
      trail: closest.name,
      region: closest.homeRegion,
      error: closest.latestDeliveryError ?? '',
      recorded: events?.read ? 'read' : 'write',
      missing: events?.read ? 'write' : 'read',
    };
    const eventsGap = code === 'no-management-events' || code === 'partial-management-events';
    const steps = FIX[code === 'selectors-unknown' ? 'unknown' : eventsGap ? 'events' : 'trail'](shellQuote(closest.name), closest.homeRegion);
    return [{ resource: closest.arn, status: code === 'selectors-unknown' ? 'unverified' : 'fail', code, args: { ...args, steps }, evidence }];
  },
});
