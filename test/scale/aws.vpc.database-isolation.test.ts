import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.vpc.database-isolation.js';
import { growth } from '../support/scans.js';
import { rdsEstate } from './rds-estate.js';

describe('aws.vpc.database-isolation at scale', () => {
  it('placements, cluster settings, subnets and security groups are looked up, not scanned per database', () => {
    const estate = (size: number) => {
      const { clusters, instances, network, clusterSettings, subnets, groups } = rdsEstate(size);
      return { facts: { clusters, instances, network, clusterSettings, subnets, groups } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
