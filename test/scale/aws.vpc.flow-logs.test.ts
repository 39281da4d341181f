import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.vpc.flow-logs.js';
import { growth } from '../support/scans.js';
import { rdsEstate } from './rds-estate.js';

describe('aws.vpc.flow-logs at scale', () => {
  it('the flow logs of each VPC holding a database are looked up, not scanned per VPC', () => {
    const estate = (size: number) => {
      const { clusters, instances, network, flowLogs } = rdsEstate(size);
      return { facts: { clusters, instances, network, flowLogs } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
