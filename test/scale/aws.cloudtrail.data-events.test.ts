import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.cloudtrail.data-events.js';
import { growth } from '../support/scans.js';

describe('aws.cloudtrail.data-events at scale', () => {
  it('the buckets a selector names are read once, not once per bucket', () => {
    const estate = (size: number) => {
      const buckets = Array.from({ length: size }, (_, i) => ({ name: `phi-${i}`, region: 'us-east-1', exists: true }));
      // Every other bucket named, in both forms the check accepts.
      const arnPrefixes = Array.from({ length: size }, (_, i) => (i % 2 ? `arn:aws:s3:::phi-${i - 1}/` : `arn:aws:s3:::other-${i}`));
      const trail = {
        name: 'audit', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit', homeRegion: 'us-east-1', multiRegion: true, isLogging: true,
        kmsKeyId: null, cloudWatchLogsLogGroupArn: null, latestCloudWatchLogsDeliveryError: null,
        s3DataEvents: [{ arnPrefixes, readWrite: 'All' }, { arnPrefixes: arnPrefixes.map((p) => p.replace(/\/$/, '')), readWrite: 'ReadOnly' }],
      };
      return { facts: { buckets, trails: [trail] } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBeGreaterThan(3);
    expect(scans).toBeLessThan(5);
  });
});
