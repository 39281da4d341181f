import { describe, expect, it } from 'vitest';
import deletionProtection from '../../../checks/aws/aws.rds.deletion-protection.js';
import backupRetention from '../../../checks/aws/aws.rds.backup-retention.js';
import storageEncrypted from '../../../checks/aws/aws.rds.storage-encrypted.js';
import { rdsCluster as cluster, rdsInstance as instance } from '../../support/rds-facts.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

describe('aws.rds.deletion-protection', () => {
  const cases: CheckCase[] = [
    { name: 'protected cluster passes', facts: { clusters: [cluster()], instances: [] }, expected: [['db-1', 'pass', 'enabled']] },
    { name: 'unprotected cluster fails', facts: { clusters: [cluster({ deletionProtection: false })], instances: [] }, expected: [['db-1', 'fail', 'disabled']] },
    { name: 'member instances do not count on their own', facts: { clusters: [cluster()], instances: [instance({ clusterId: 'db-1', deletionProtection: false })] }, expected: [['db-1', 'pass', 'enabled']] },
    { name: 'standalone instance is assessed', facts: { clusters: [], instances: [instance({ deletionProtection: false })] }, expected: [['solo', 'fail', 'disabled']] },
    { name: 'configured cluster not found fails', facts: { clusters: [cluster({ missing: true })], instances: [] }, expected: [['db-1', 'fail', 'missing']] },
    { name: 'configured instance not found fails as missing', facts: { clusters: [cluster()], instances: [instance({ missing: true, arn: '' })] }, expected: [['db-1', 'pass', 'enabled'], ['solo', 'fail', 'missing']] },
    { name: 'no database at all fails', facts: { clusters: [], instances: [] }, expected: [['rds', 'fail', 'no-databases']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(deletionProtection, c)).toEqual(c.expected));
});

describe('aws.rds.storage-encrypted', () => {
  const cases: CheckCase[] = [
    { name: 'encrypted passes', facts: { clusters: [cluster()], instances: [] }, expected: [['db-1', 'pass', 'encrypted']] },
    { name: 'unencrypted fails', facts: { clusters: [cluster({ storageEncrypted: false })], instances: [instance({ storageEncrypted: false })] }, expected: [['db-1', 'fail', 'unencrypted'], ['solo', 'fail', 'unencrypted']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(storageEncrypted, c)).toEqual(c.expected));
});

describe('aws.rds.storage-encrypted remediation', () => {
  it('copies a cluster as a cluster snapshot and a standalone instance as a DB snapshot', () => {
    expect(renderedCommands(storageEncrypted, { clusters: [cluster({ storageEncrypted: false })], instances: [instance({ storageEncrypted: false })] })).toEqual([
      'aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier <snapshot> --target-db-cluster-snapshot-identifier db-1-encrypted --kms-key-id alias/aws/rds --region us-east-1',
      'aws rds copy-db-snapshot --source-db-snapshot-identifier <snapshot> --target-db-snapshot-identifier solo-encrypted --kms-key-id alias/aws/rds --region us-east-1',
    ]);
  });
});

describe('aws.rds.backup-retention', () => {
  const cases: CheckCase[] = [
    { name: '30 days meets the default', facts: { clusters: [cluster()], instances: [] }, expected: [['db-1', 'pass', 'sufficient']] },
    { name: '7 days fails', facts: { clusters: [cluster({ backupRetentionDays: 7 })], instances: [] }, expected: [['db-1', 'fail', 'insufficient']] },
    { name: 'configured minimum applies', facts: { clusters: [cluster({ backupRetentionDays: 14 })], instances: [] }, config: { aws: { rds: { minBackupRetentionDays: 14 } } }, expected: [['db-1', 'pass', 'sufficient']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(backupRetention, c)).toEqual(c.expected));
});
