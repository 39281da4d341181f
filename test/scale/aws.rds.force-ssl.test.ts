import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.rds.force-ssl.js';
import { growth } from '../support/scans.js';
import { rdsEstate } from './rds-estate.js';

describe('aws.rds.force-ssl at scale', () => {
  it('the cluster and instance parameter groups are looked up, not scanned per database', () => {
    const estate = (size: number) => {
      const { clusters, instances, clusterParameterGroups, instanceParameterGroups } = rdsEstate(size);
      return { facts: { clusters, groups: clusterParameterGroups, instances, instanceGroups: instanceParameterGroups } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
