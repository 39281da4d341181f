import { defineCheck, type Finding } from '../../src/model.js';
import { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import { loggingTrails, TRAIL_MESSAGES, updateTrail } from '../lib/trails.js';

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
      ...TRAIL_MESSAGES,
    },
  },
  facts: { trails: cloudtrailTrailSettings },
  evaluate({ trails }) {
    const logging = loggingTrails(trails);
    if (logging.length === 0) return [{ resource: 'cloudtrail', status: 'fail', code: 'no-trails' }];
    return logging.map((trail): Finding => {
      const evidence = { logGroup: trail.cloudWatchLogsLogGroupArn, deliveryError: trail.latestCloudWatchLogsDeliveryError };
      const args = { name: trail.name, fix: updateTrail(trail, '--cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn>') };
      if (!trail.cloudWatchLogsLogGroupArn) return { resource: trail.arn, status: 'fail', code: 'not-delivered', args, evidence };
      if (trail.latestCloudWatchLogsDeliveryError) return { resource: trail.arn, status: 'fail', code: 'delivery-failing', args: { ...args, error: trail.latestCloudWatchLogsDeliveryError }, evidence };
      return { resource: trail.arn, status: 'pass', code: 'delivered', args: { name: trail.name, group: trail.cloudWatchLogsLogGroupArn }, evidence };
    });
  },
});
