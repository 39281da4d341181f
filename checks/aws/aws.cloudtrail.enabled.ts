import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { cloudtrailTrails } from '../../src/facts/aws-account.js';
import { shellQuote } from '../lib/shell.js';

type Trail = FactValue<typeof cloudtrailTrails>[number];

type Gap = 'not-multi-region' | 'not-logging' | 'no-management-events' | 'partial-management-events' | 'excluded-sources' | 'selectors-unknown' | 'delivery-failing' | 'no-validation';

/** The first requirement a trail misses, in the order a fix would go; null when it meets them all. */
function gap(trail: Trail): Gap | null {
  if (!trail.multiRegion) return 'not-multi-region';
  if (!trail.isLogging) return 'not-logging';
  if (!trail.managementEvents) return 'selectors-unknown';
  if (!trail.managementEvents.read && !trail.managementEvents.write) return 'no-management-events';
  if (!trail.managementEvents.read || !trail.managementEvents.write) return 'partial-management-events';
  // As AWS Config's multi-region-cloudtrail-enabled: a source left out (KMS, RDS Data API) is use of PHI keys and data unrecorded.
  if (trail.managementEvents.excludedSources.length > 0) return 'excluded-sources';
  if (trail.latestDeliveryError) return 'delivery-failing';
  if (!trail.logFileValidation) return 'no-validation';
  return null;
}
const RANK: Record<Gap, number> = {
  'no-validation': 0,
  'delivery-failing': 1,
  'excluded-sources': 2,
  'selectors-unknown': 3,
  'partial-management-events': 4,
  'no-management-events': 5,
  'not-logging': 6,
  'not-multi-region': 7,
};

/** Every management event, read and write, as advanced selectors (AWS gives a new trail this by default; moto gives none). */
const MANAGEMENT_EVENTS = `--advanced-event-selectors '[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]'`;

/**
 * The fix for the trail closest to compliant: every requirement it misses, in one command (made multi-region with
 * validation, given management events, started), so that pasting it leaves no second gap behind the first.
 */
function fixFor(trail: Trail, code: Gap): string {
  const name = shellQuote(trail.name);
  const region = `--region ${shellQuote(trail.homeRegion)}`;
  if (code === 'selectors-unknown') return `aws cloudtrail get-event-selectors --trail-name ${name} ${region}`;
  const steps: string[] = [];
  if (!trail.multiRegion || !trail.logFileValidation || code === 'delivery-failing') steps.push(`aws cloudtrail update-trail --name ${name} --is-multi-region-trail --enable-log-file-validation ${region}`);
  // Unknown selectors (an older snapshot) are not replaced blindly: the next run reads them.
  if (trail.managementEvents && !(trail.managementEvents.read && trail.managementEvents.write && trail.managementEvents.excludedSources.length === 0)) steps.push(`aws cloudtrail put-event-selectors --trail-name ${name} ${region} ${MANAGEMENT_EVENTS}`);
  if (!trail.isLogging || code === 'delivery-failing') steps.push(`aws cloudtrail start-logging --name ${name} ${region}`);
  return steps.join(' && ');
}

function describeEvents(events: Trail['managementEvents']): string {
  if (!events) return 'management events unknown';
  if (events.read && events.write) return events.excludedSources.length ? `management events read+write except ${events.excludedSources.join(', ')}` : 'management events read+write';
  return events.read ? 'management reads only' : events.write ? 'management writes only' : 'no management events';
}

export default defineCheck({
  meta: {
    id: 'aws.cloudtrail.enabled',
    title: 'CloudTrail records every region\'s management events, with log file validation',
    failureTitle: 'CloudTrail does not record every region\'s management events with validated logs',
    description: 'The audit trail of who did what in the account: a multi-region trail that is logging, whose event selectors (classic or advanced) record management events, both read and write, from every source (as AWS Config’s multi-region-cloudtrail-enabled: leaving out KMS or the RDS Data API leaves use of PHI keys and data unrecorded), with log file validation so tampering with the logs can be detected.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 1,
    remediation: {
      text: 'Make the trail multi-region, record management events (read and write; put-event-selectors replaces the selectors, so add back any data-event selectors you keep), turn on log file validation and start logging. With no trail at all, create one into a log bucket whose policy lets CloudTrail write (`<log-bucket>`; the console’s Create trail makes one)',
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
      'excluded-sources': 'Multi-region trail {{trail}} leaves out the management events of {{excluded}}',
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
      const at = `--region ${shellQuote(region)}`;
      const steps = [
        `aws cloudtrail create-trail --name ${name} --s3-bucket-name <log-bucket> --is-multi-region-trail --enable-log-file-validation ${at}`,
        `aws cloudtrail put-event-selectors --trail-name ${name} ${at} ${MANAGEMENT_EVENTS}`,
        `aws cloudtrail start-logging --name ${name} ${at}`,
      ].join(' && ');
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
      excluded: events?.excludedSources.join(', ') ?? '',
    };
    const steps = fixFor(closest, code);
    return [{ resource: closest.arn, status: code === 'selectors-unknown' ? 'unverified' : 'fail', code, args: { ...args, steps }, evidence }];
  },
});
