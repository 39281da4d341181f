import { describe, expect, it } from 'vitest';
import cloudwatchLogsDelivery from '../../../checks/aws/aws.cloudtrail.cloudwatch-logs.js';
import { cloudtrailTrailSettings } from '../../../src/facts/aws-detection.js';
import { renderedCommands, renderedMessages, runCase } from '../../support/check-tester.js';

// The tester's clock: 2025-10-11T22:30:00Z.
const GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail/audit:*';
const trail = (fields: Record<string, unknown>) =>
  cloudtrailTrailSettings.schema.element.parse({
    name: 'audit', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit', homeRegion: 'us-east-1', multiRegion: true, isLogging: true,
    kmsKeyId: null, cloudWatchLogsLogGroupArn: GROUP, latestCloudWatchLogsDeliveryError: null, s3DataEvents: [], ...fields,
  });
const HEALTHY = { managementEvents: { read: true, write: true, excludedSources: [] }, cloudWatchLogsLogGroupExists: true, cloudWatchLogsLogGroupError: null, latestCloudWatchLogsDeliveryTime: '2025-10-11T22:25:00.000Z' };
const run = (...trails: Record<string, unknown>[]) =>
  runCase(cloudwatchLogsDelivery, { name: 'trails', facts: { trails: trails.map(trail) }, expected: [] }).map(([resource, status, code]) => `${resource.replace(/^.*trail\//, '')} ${status} ${code}`);

describe('aws.cloudtrail.cloudwatch-logs: evidence that delivery happens', () => {
  it('a snapshot from before the log group, delivery time and management events were collected is unverified, never pass', () => {
    expect(run({})).toEqual(['audit unverified log-group-unknown']);
    expect(run({ cloudWatchLogsLogGroupExists: true, cloudWatchLogsLogGroupError: null })).toEqual(['audit unverified delivery-unknown']);
    expect(renderedMessages(cloudwatchLogsDelivery, { trails: [trail({})] })[0]).toMatch(/not collected/);
    expect(run({ ...HEALTHY, managementEvents: undefined })).toEqual(['audit pass delivered', 'cloudtrail unverified management-events-unknown']);
  });

  it('delivered minutes ago passes; a day and more ago fails, with the time', () => {
    expect(run(HEALTHY)).toEqual(['audit pass delivered']);
    expect(run({ ...HEALTHY, latestCloudWatchLogsDeliveryTime: '2025-10-10T12:00:00.000Z' })).toEqual(['audit fail delivery-stale']);
    expect(renderedMessages(cloudwatchLogsDelivery, { trails: [trail({ ...HEALTHY, latestCloudWatchLogsDeliveryTime: '2025-10-10T12:00:00.000Z' })] })[0]).toMatch(/2025-10-10T12:00:00.000Z/);
  });

  it('a missing log group fails with the command that creates it again', () => {
    expect(run({ ...HEALTHY, cloudWatchLogsLogGroupExists: false })).toEqual(['audit fail log-group-missing']);
    expect(renderedCommands(cloudwatchLogsDelivery, { trails: [trail({ ...HEALTHY, cloudWatchLogsLogGroupExists: false })] })).toEqual(['aws logs create-log-group --log-group-name cloudtrail/audit --region us-east-1']);
  });

  it('the ARN is the trail’s data: its region is one shell word in the command, and an ARN of another form gets none', () => {
    const hostile = trail({ ...HEALTHY, cloudWatchLogsLogGroupExists: false, cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1 $(id):1:log-group:g:*' });
    expect(renderedCommands(cloudwatchLogsDelivery, { trails: [hostile] })).toEqual(["aws logs create-log-group --log-group-name g --region 'us-east-1 $(id)'"]);
    const odd = trail({ ...HEALTHY, cloudWatchLogsLogGroupExists: false, cloudWatchLogsLogGroupArn: 'not-an-arn' });
    expect(run({ ...HEALTHY, cloudWatchLogsLogGroupExists: false, cloudWatchLogsLogGroupArn: 'not-an-arn' })).toEqual(['audit fail log-group-missing']);
    expect(renderedCommands(cloudwatchLogsDelivery, { trails: [odd] })).toEqual([undefined]);
  });

  it('a delivering trail that records management reads only is no alarm source for root sign-in or policy changes', () => {
    expect(run({ ...HEALTHY, managementEvents: { read: true, write: false, excludedSources: [] } })).toEqual(['audit pass delivered', 'cloudtrail fail not-account-wide']);
  });
});
