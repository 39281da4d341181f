import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.s3.unlisted-buckets.js';
import { growth } from '../support/scans.js';

describe('aws.s3.unlisted-buckets at scale', () => {
  it('an init-style list of every bucket is looked up, not scanned per account bucket', () => {
    const estate = (size: number) => {
      const names = Array.from({ length: size }, (_, i) => `phi-${i}`);
      return { facts: { buckets: [...names, 'left-out-a', 'left-out-b'] }, config: { aws: { s3: { buckets: names.map((name) => ({ name })) } } } as never };
    };
    expect(growth(check, estate).scans).toBeLessThan(5);
  });
});
