import { describe, expect, it } from 'vitest';
import kmsEncryption from '../../../checks/aws/aws.cloudtrail.kms-encryption.js';
import { renderedMessages, runCase } from '../../support/check-tester.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const trail = (key: Record<string, unknown>) => ({
  name: 'audit', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit', homeRegion: 'us-east-1', multiRegion: true, isLogging: true,
  kmsKeyId: KEY, cloudWatchLogsLogGroupArn: null, latestCloudWatchLogsDeliveryError: null, s3DataEvents: [], ...key,
});
const run = (key: Record<string, unknown>) => runCase(kmsEncryption, { name: 'key', facts: { trails: [trail(key)] }, expected: [] }).map(([, status, code]) => `${status} ${code}`);

describe('aws.cloudtrail.kms-encryption: the key state', () => {
  it('a snapshot from before the key state was collected is unverified, never pass', () => {
    expect(run({})).toEqual(['unverified key-state-unknown']);
    expect(renderedMessages(kmsEncryption, { trails: [trail({})] })[0]).toMatch(/not collected/);
  });

  it('DescribeKey failed: unverified, with the reason', () => {
    expect(run({ kmsKeyState: null, kmsKeyStateError: 'AccessDeniedException calling kms:DescribeKey: denied' })).toEqual(['unverified key-state-unknown']);
    expect(renderedMessages(kmsEncryption, { trails: [trail({ kmsKeyState: null, kmsKeyStateError: 'AccessDeniedException calling kms:DescribeKey: denied' })] })[0]).toMatch(/AccessDenied/);
  });

  it('Disabled, PendingDeletion or any state but Enabled fails; a key not found fails; Enabled passes', () => {
    for (const state of ['Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable']) expect(run({ kmsKeyState: state, kmsKeyStateError: null })).toEqual(['fail key-not-enabled']);
    expect(run({ kmsKeyState: 'NotFound', kmsKeyStateError: null })).toEqual(['fail key-missing']);
    expect(run({ kmsKeyState: 'Enabled', kmsKeyStateError: null })).toEqual(['pass encrypted']);
  });

  it('a trail without a key still fails as not encrypted', () => {
    expect(run({ kmsKeyId: null, kmsKeyState: null, kmsKeyStateError: null })).toEqual(['fail not-encrypted']);
  });
});
