import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';

const NO_DATABASES = noneFound('DB cluster or instance', 'rds');

export default defineCheck({
  meta: {
    id: 'aws.rds.backup-retention',
    title: 'Automated backups are kept long enough',
    failureTitle: 'Automated backups are not kept long enough',
    failureTitles: { 'no-databases': NO_DATABASES.title },
    description: 'Automated backups must cover the recovery window of the contingency plan (default 30 days, RDS allows up to 35).',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(A)'],
    phase: 1,
    remediation: {
      text: 'Raise the backup retention period',
      command: 'aws rds modify-{{kind}} --{{idFlag}} {{resource}} --backup-retention-period {{minDays}} --apply-immediately --region {{region}}',
      effortMinutes: 5,
    },
    messages: {
      sufficient: '{{resource}} keeps backups {{days}} days (≥ {{minDays}})',
      insufficient: '{{resource}} keeps backups only {{days}} days (needs ≥ {{minDays}})',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': NO_DATABASES.message,
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances },
  evaluate({ clusters, instances }, { config }) {
    const minDays = config.aws?.rds.minBackupRetentionDays ?? 30;
    const databases = [
      ...clusters.map((db) => ({ ...db, kind: 'db-cluster', idFlag: 'db-cluster-identifier' })),
      ...instances.filter((i) => i.clusterId === null).map((db) => ({ ...db, kind: 'db-instance', idFlag: 'db-instance-identifier' })),
    ];
    if (databases.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    return databases.map((db): Finding => {
      if (db.missing) return { resource: db.id, status: 'fail', code: 'missing', args: { minDays, kind: db.kind, idFlag: db.idFlag, region: db.region } };
      const ok = db.backupRetentionDays >= minDays;
      return {
        resource: db.id,
        status: ok ? 'pass' : 'fail',
        code: ok ? 'sufficient' : 'insufficient',
        args: { days: db.backupRetentionDays, minDays, kind: db.kind, idFlag: db.idFlag, region: db.region },
        evidence: { arn: db.arn, backupRetentionDays: db.backupRetentionDays },
      };
    });
  },
});
