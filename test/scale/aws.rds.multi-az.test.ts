import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.rds.multi-az.js';
import { growth } from '../support/scans.js';
import { rdsEstate } from './rds-estate.js';

describe('aws.rds.multi-az at scale', () => {
  it('the placement of each instance is looked up, not scanned per database', () => {
    const estate = (size: number) => {
      const { clusters, instances, network } = rdsEstate(size);
      return { facts: { clusters, instances, network } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
