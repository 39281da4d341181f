import { describe, expect, it } from 'vitest';
import dataEvents from '../../../checks/aws/aws.cloudtrail.data-events.js';
import { renderedCommands, runCase } from '../../support/check-tester.js';

const trail = (s3DataEvents: { arnPrefixes: string[]; readWrite: 'All' | 'ReadOnly' | 'WriteOnly' }[]) => ({
  name: 'audit', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit', homeRegion: 'us-east-1', multiRegion: true, isLogging: true,
  kmsKeyId: null, cloudWatchLogsLogGroupArn: null, latestCloudWatchLogsDeliveryError: null, s3DataEvents,
});
const buckets = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `phi-${i}`, region: 'us-east-1', exists: true }));

describe('aws.cloudtrail.data-events fix command at scale', () => {
  it('names each PHI bucket while there are few', () => {
    const [command] = renderedCommands(dataEvents, { buckets: buckets(3), trails: [trail([])] });
    expect(command).toContain('arn:aws:s3:::phi-0/');
    expect(command).toContain('arn:aws:s3:::phi-2/');
  });

  it('records every bucket instead of naming thousands: one bounded command, the same for every result', () => {
    const commands = renderedCommands(dataEvents, { buckets: buckets(2_000), trails: [trail([])] });
    expect(commands).toHaveLength(2_000);
    expect(new Set(commands).size).toBe(1);
    expect(commands[0]!.length).toBeLessThan(400);
    expect(commands[0]).toContain('"Values":["arn:aws:s3"]');
  });

  it('the selector that fix writes makes every bucket pass', () => {
    const results = runCase(dataEvents, { name: 'all-s3', facts: { buckets: buckets(30), trails: [trail([{ arnPrefixes: ['arn:aws:s3'], readWrite: 'All' }])] }, expected: [] });
    expect(results.every(([, status]) => status === 'pass')).toBe(true);
  });

  it('a prefix of another bucket name does not cover the bucket', () => {
    const results = runCase(dataEvents, { name: 'prefix', facts: { buckets: [{ name: 'phi', region: 'us-east-1', exists: true }], trails: [trail([{ arnPrefixes: ['arn:aws:s3:::phi-archive/'], readWrite: 'All' }])] }, expected: [] });
    expect(results).toEqual([['phi', 'fail', 'not-recorded']]);
  });
});
