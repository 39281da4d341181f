import { describe, expect, it } from 'vitest';
import backupRetention from '../../../checks/aws/aws.rds.backup-retention.js';
import { rdsCluster as cluster, rdsInstance as instance } from '../../support/rds-facts.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

describe('aws.rds.backup-retention: pending changes and clusters that were not collected', () => {
  const cases: CheckCase[] = [
    { name: 'a pending change below the minimum fails', facts: { clusters: [cluster({ pendingBackupRetentionDays: 7 })], instances: [instance({ pendingBackupRetentionDays: 0 })] }, expected: [['db-1', 'fail', 'pending-lower'], ['solo', 'fail', 'pending-lower']] },
    { name: 'pending changes not collected (older snapshot) leave it unverified', facts: { clusters: [cluster({ pendingBackupRetentionDays: undefined })], instances: [] }, expected: [['db-1', 'unverified', 'pending-not-read']] },
    { name: 'too short now fails whatever was collected about pending changes', facts: { clusters: [cluster({ backupRetentionDays: 7, pendingBackupRetentionDays: undefined })], instances: [] }, expected: [['db-1', 'fail', 'insufficient']] },
    {
      name: "a member's own retention does not count when its cluster was not collected",
      facts: { clusters: [], instances: [instance({ id: 'ehr-1', clusterId: 'ehr', backupRetentionDays: 35 }), instance({ id: 'ehr-2', clusterId: 'ehr', backupRetentionDays: 35 })] },
      expected: [['ehr', 'unverified', 'cluster-not-assessed']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(backupRetention, c)).toEqual(c.expected));

  it('names the pending value, and the fix replaces it at once', () => {
    const facts = { clusters: [], instances: [instance({ pendingBackupRetentionDays: 0 }), instance({ id: 'ehr-1', clusterId: 'ehr' })] };
    expect(renderedMessages(backupRetention, facts)).toEqual([
      'solo keeps backups 30 days, but a pending modification lowers that to 0 (needs ≥ 30)',
      "Cluster ehr of listed instance(s) ehr-1 is not assessed (not in aws.rds.clusters): the backup retention is the cluster's, not its instances'",
    ]);
    expect(renderedCommands(backupRetention, facts)).toEqual([
      'aws rds modify-db-instance --db-instance-identifier solo --backup-retention-period 30 --apply-immediately --region us-east-1',
      'aws rds modify-db-cluster --db-cluster-identifier ehr --backup-retention-period 30 --apply-immediately --region us-east-1',
    ]);
  });
});
