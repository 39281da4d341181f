import { defineCheck, type Finding, type FactValue } from '../../src/model.js';
import { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import { shellQuote } from '../lib/shell.js';
import { loggingTrails, TRAIL_MESSAGES, updateTrail } from '../lib/trails.js';

type Trail = FactValue<typeof cloudtrailTrailSettings>[number];

/** CloudTrail delivers within minutes of an event, and an account makes management calls all day: a day without one means delivery has stopped. */
const STALE_HOURS = 24;

/** Alarms on root sign-in, policy changes or stopped logging need every region's management writes in the log group. */
const accountWide = (trail: Trail) => trail.multiRegion && trail.managementEvents?.write === true;

export default defineCheck({
  meta: {
    id: 'aws.cloudtrail.cloudwatch-logs',
    title: 'CloudTrail delivers to CloudWatch Logs',
    failureTitle: 'CloudTrail does not deliver to CloudWatch Logs',
    description: 'Events that only land in S3 are read after the fact; delivered to CloudWatch Logs they can raise alarms on root sign-in, policy changes or disabled logging while it happens.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Turn on CloudWatch Logs delivery for the trail: a log group and a role CloudTrail can assume to write to it (`<log-group-arn>`, `<role-arn>`; or Trail → Edit → CloudWatch Logs, which creates both), then add metric filters and alarms',
      command: '{{fix}}',
      effortMinutes: 30,
    },
    messages: {
      delivered: 'Trail {{name}} delivers to {{group}}',
      'not-delivered': 'Trail {{name}} does not deliver to CloudWatch Logs',
      'delivery-failing': 'Trail {{name}} fails to deliver to CloudWatch Logs: {{error}}',
      'delivery-stale': 'Trail {{name}} last delivered to CloudWatch Logs at {{time}}, more than {{hours}} hours ago: delivery has stopped',
      'never-delivered': 'Trail {{name}} names {{group}} but has not delivered to it yet (GetTrailStatus reports no LatestCloudWatchLogsDeliveryTime)',
      'delivery-unknown': 'When trail {{name}} last delivered to CloudWatch Logs is unknown: {{reason}}',
      'log-group-missing': 'Trail {{name}} delivers to {{group}}, which does not exist: nothing arrives there',
      'log-group-unknown': 'Whether log group {{group}} of trail {{name}} exists is unknown: {{reason}}',
      'not-account-wide': 'No trail delivering to CloudWatch Logs is multi-region and records management write events: activity elsewhere raises no alarm',
      'management-events-unknown': 'Whether a trail delivering to CloudWatch Logs records every region’s management events is unknown: {{reason}}',
      ...TRAIL_MESSAGES,
    },
  },
  facts: { trails: cloudtrailTrailSettings },
  evaluate({ trails }, { now }) {
    const logging = loggingTrails(trails);
    if (logging.length === 0) return [{ resource: 'cloudtrail', status: 'fail', code: 'no-trails' }];
    const findings = logging.map((trail): Finding => {
      const group = trail.cloudWatchLogsLogGroupArn;
      const time = trail.latestCloudWatchLogsDeliveryTime;
      const evidence = { logGroup: group, deliveryError: trail.latestCloudWatchLogsDeliveryError, logGroupExists: trail.cloudWatchLogsLogGroupExists ?? null, lastDelivered: time ?? null };
      const fix = updateTrail(trail, '--cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn>');
      if (!group) return { resource: trail.arn, status: 'fail', code: 'not-delivered', args: { name: trail.name, fix }, evidence };
      const args = { name: trail.name, group, fix };
      const base = { resource: trail.arn, args, evidence };
      if (trail.latestCloudWatchLogsDeliveryError) return { ...base, status: 'fail', code: 'delivery-failing', args: { ...args, error: trail.latestCloudWatchLogsDeliveryError } };
      if (trail.cloudWatchLogsLogGroupExists === false) {
        // The ARN comes from the trail: its region is quoted like its name, and an ARN not of this form gets no command.
        const [, region, name] = /^arn:[^:]+:logs:([^:]+):[^:]*:log-group:([^:]+)/.exec(group) ?? [];
        const create = region && name ? `aws logs create-log-group --log-group-name ${shellQuote(name)} --region ${shellQuote(region)}` : undefined;
        return { ...base, status: 'fail', code: 'log-group-missing', args: create ? { ...args, fix: create } : { name: trail.name, group } };
      }
      if (trail.cloudWatchLogsLogGroupExists !== true) {
        const reason = trail.cloudWatchLogsLogGroupError ?? 'it was not collected (a snapshot from before): collect again';
        return { ...base, status: 'unverified', code: 'log-group-unknown', args: { ...args, reason } };
      }
      if (time === undefined) return { ...base, status: 'unverified', code: 'delivery-unknown', args: { ...args, reason: 'it was not collected (a snapshot from before): collect again' } };
      if (time === null) return { ...base, status: 'unverified', code: 'never-delivered' };
      if (now.getTime() - Date.parse(time) > STALE_HOURS * 3_600_000) return { ...base, status: 'fail', code: 'delivery-stale', args: { ...args, time, hours: STALE_HOURS } };
      return { resource: trail.arn, status: 'pass', code: 'delivered', args: { name: trail.name, group }, evidence };
    });
    // A trail that delivers is no alarm source for the account unless it sees every region's management events.
    const delivering = logging.filter((_, i) => findings[i]!.status === 'pass');
    if (delivering.length > 0 && !delivering.some(accountWide)) {
      const fix = `aws cloudtrail update-trail --name <multi-region-trail> --cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn> --region <home-region>`;
      const unread = delivering.filter((trail) => trail.multiRegion && !trail.managementEvents).map((trail) => trail.name);
      const names = (trails: Trail[]) => trails.map((trail) => trail.name);
      const evidence = { delivering: names(delivering), singleRegion: names(delivering.filter((trail) => !trail.multiRegion)), noManagementWrites: names(delivering.filter((trail) => trail.managementEvents?.write === false)) };
      findings.push(
        unread.length
          ? { resource: 'cloudtrail', status: 'unverified', code: 'management-events-unknown', args: { fix, reason: `the event selectors of ${unread.join(', ')} were not collected (a snapshot from before): collect again` }, evidence }
          : { resource: 'cloudtrail', status: 'fail', code: 'not-account-wide', args: { fix }, evidence },
      );
    }
    return findings;
  },
});
