import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.kms.rotation.js';
import { growth } from '../support/scans.js';

describe('aws.kms.rotation at scale', () => {
  it('one customer key shared by many buckets, among as many keys in use, is gathered and looked up, not copied or scanned per use', () => {
    const shared = 'arn:aws:kms:us-east-1:111122223333:key/shared';
    const key = (id: string) => ({ id, arn: `arn:aws:kms:us-east-1:111122223333:key/${id}`, region: 'us-east-1', manager: 'CUSTOMER', state: 'Enabled', keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS', rotationEnabled: true });
    const estate = (size: number) => {
      const otherKeys = Array.from({ length: size }, (_, i) => key(`other-${i}`));
      const encrypted = (bucket: string, kmsKeyId: string) => ({ bucket, rules: [{ algorithm: 'aws:kms', kmsKeyId, bucketKeyEnabled: true }] });
      const sharing = Array.from({ length: size }, (_, i) => encrypted(`phi-${i}`, shared));
      const ownKey = Array.from({ length: size }, (_, i) => encrypted(`own-${i}`, `other-${i}`));
      return { facts: { keys: [...otherKeys, key('shared')], clusters: [], instances: [], encryption: [...sharing, ...ownKey] } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBeGreaterThan(3);
    expect(scans).toBeLessThan(5);
  });
});
