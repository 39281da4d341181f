import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';

const NO_DATABASES = noneFound('DB cluster or instance', 'rds');

export default defineCheck({
  meta: {
    id: 'aws.rds.storage-encrypted',
    title: 'Database storage is encrypted at rest',
    failureTitle: 'Database storage is not encrypted at rest',
    failureTitles: { 'no-databases': NO_DATABASES.title },
    description: 'PHI at rest must be encrypted; RDS encryption can only be set when the database is created (restore an encrypted copy of a snapshot).',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(2)(iv)'],
    phase: 1,
    remediation: {
      text: 'Encryption cannot be turned on in place: copy the latest snapshot with a KMS key, restore it, and switch over',
      command: 'aws rds copy-{{snapshot}} --source-{{snapshot}}-identifier <snapshot> --target-{{snapshot}}-identifier {{resource}}-encrypted --kms-key-id alias/aws/rds --region {{region}}',
      effortMinutes: 240,
    },
    messages: {
      encrypted: '{{resource}} is encrypted with {{kmsKeyId}}',
      unencrypted: '{{resource}} storage is NOT encrypted',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': NO_DATABASES.message,
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances },
  evaluate({ clusters, instances }) {
    const databases = [...clusters, ...instances.filter((i) => i.clusterId === null)];
    if (databases.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    return databases.map((db): Finding => {
      // A cluster is copied as a cluster snapshot, a standalone instance as a DB snapshot.
      const snapshot = 'members' in db ? 'db-cluster-snapshot' : 'db-snapshot';
      if (db.missing) return { resource: db.id, status: 'fail', code: 'missing', args: { region: db.region, snapshot } };
      return {
        resource: db.id,
        status: db.storageEncrypted ? 'pass' : 'fail',
        code: db.storageEncrypted ? 'encrypted' : 'unencrypted',
        args: { kmsKeyId: db.kmsKeyId ?? 'an AWS-managed key', region: db.region, snapshot },
        evidence: { arn: db.arn, storageEncrypted: db.storageEncrypted, kmsKeyId: db.kmsKeyId },
      };
    });
  },
});
