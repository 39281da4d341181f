import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.rds.log-exports.js';
import { growth } from '../support/scans.js';
import { rdsEstate } from './rds-estate.js';

describe('aws.rds.log-exports at scale', () => {
  it('cluster settings and instance placements are looked up, not scanned per database', () => {
    const estate = (size: number) => {
      const { clusters, instances, clusterSettings, network } = rdsEstate(size);
      return { facts: { clusters, instances, clusterSettings, network } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
