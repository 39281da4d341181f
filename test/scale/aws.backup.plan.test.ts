import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.backup.plan.js';
import { growth } from '../support/scans.js';

describe('aws.backup.plan at scale', () => {
  it('the recovery point of each bucket selected by tag is looked up, not scanned for among every protected resource', () => {
    const plan = {
      id: 'p', name: 'daily', arn: 'arn:aws:backup:us-east-1:1:backup-plan:p', region: 'us-east-1',
      rules: [{ name: 'daily', schedule: 'cron(0 5 ? * * *)', deleteAfterDays: 35 }],
      selections: [{ id: 's', name: 'phi', resources: [], notResources: [], anyTags: ['backup STRINGEQUALS daily'], allConditions: [] }],
    };
    const estate = (size: number) => {
      const buckets = Array.from({ length: size }, (_, i) => ({ name: `phi-${i}`, region: 'us-east-1', exists: true }));
      // Every other bucket has a recovery point; the other recovery points are of resources that are no PHI store.
      const protectedResources = Array.from({ length: size }, (_, i) =>
        i % 2 ? { arn: `arn:aws:dynamodb:us-east-1:1:table/t-${i}`, type: 'DynamoDB', region: 'us-east-1', lastBackup: null } : { arn: `arn:aws:s3:::phi-${i}`, type: 'S3', region: 'us-east-1', lastBackup: '2025-10-11T05:00:00Z' },
      );
      return { facts: { clusters: [], instances: [], buckets, plans: [plan], protectedResources } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBeGreaterThan(3);
    expect(scans).toBeLessThan(5);
  });
});
