import { describe, expect, it } from 'vitest';
import dataEvents from '../../../checks/aws/aws.cloudtrail.data-events.js';
import { renderedCommands, runCase } from '../../support/check-tester.js';

const trail = (homeRegion: string, multiRegion: boolean) => ({
  name: 'audit', arn: `arn:aws:cloudtrail:${homeRegion}:111122223333:trail/audit`, homeRegion, multiRegion, isLogging: true,
  kmsKeyId: null, cloudWatchLogsLogGroupArn: null, latestCloudWatchLogsDeliveryError: null,
  s3DataEvents: [{ arnPrefixes: ['arn:aws:s3'], readWrite: 'All' as const }],
});
const bucket = (region: string | null) => [{ name: 'phi', region, exists: true }];
const results = (region: string | null, homeRegion: string, multiRegion: boolean) =>
  runCase(dataEvents, { name: 'region', facts: { buckets: bucket(region), trails: [trail(homeRegion, multiRegion)] }, expected: [] });

describe('aws.cloudtrail.data-events: a trail records object events only in the regions it covers', () => {
  it('a single-region trail does not record a bucket of another region', () => {
    expect(results('eu-west-1', 'us-east-1', false)).toEqual([['phi', 'fail', 'not-recorded']]);
  });

  it('a single-region trail records a bucket of its home region', () => {
    expect(results('us-east-1', 'us-east-1', false)).toEqual([['phi', 'pass', 'recorded']]);
  });

  it('a multi-region trail records a bucket of any region', () => {
    expect(results('eu-west-1', 'us-east-1', true)).toEqual([['phi', 'pass', 'recorded']]);
  });

  it('a single-region trail is not counted for a bucket whose region is unknown', () => {
    expect(results(null, 'us-east-1', false)).toEqual([['phi', 'fail', 'not-recorded']]);
  });
});

describe('aws.cloudtrail.data-events: the fix names a trail that records the bucket once run', () => {
  const named = (name: string, homeRegion: string, multiRegion: boolean) => ({ ...trail(homeRegion, multiRegion), name, arn: `arn:aws:cloudtrail:${homeRegion}:111122223333:trail/${name}`, s3DataEvents: [] });
  const commands = (bucketRegion: string, trails: ReturnType<typeof named>[]) =>
    renderedCommands(dataEvents, { buckets: [{ name: 'phi', region: bucketRegion, exists: true }], trails });

  it('a single-region trail of another region is made multi-region first', () => {
    const [command] = commands('eu-west-1', [named('audit', 'us-east-1', false)]);
    expect(command).toMatch(/^aws cloudtrail update-trail --name audit --is-multi-region-trail --region us-east-1 && aws cloudtrail put-event-selectors --trail-name audit .* --region us-east-1$/);
  });

  it("a single-region trail homed in the bucket's region is the one named", () => {
    const [command] = commands('eu-west-1', [named('audit-us', 'us-east-1', false), named('audit-eu', 'eu-west-1', false)]);
    expect(command).toMatch(/^aws cloudtrail put-event-selectors --trail-name audit-eu .* --region eu-west-1$/);
  });

  it('a multi-region trail is preferred, with no widening', () => {
    const [command] = commands('eu-west-1', [named('audit-eu', 'eu-west-1', false), named('org', 'us-east-1', true)]);
    expect(command).toMatch(/^aws cloudtrail put-event-selectors --trail-name org .* --region us-east-1$/);
  });
});
