import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.rds.disaster-recovery.js';
import { growth } from '../support/scans.js';
import { rdsEstate } from './rds-estate.js';

describe('aws.rds.disaster-recovery at scale', () => {
  it('the global database of each cluster is looked up, not scanned per cluster', () => {
    const estate = (size: number) => {
      const { clusters, instances, globals } = rdsEstate(size);
      return { facts: { clusters, instances, globals } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
