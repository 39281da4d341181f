import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';
import { regionalEntry, regionalKey } from '../lib/rds-databases.js';

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
      'pending-lower': '{{resource}} keeps backups {{days}} days, but a pending modification lowers that to {{pendingDays}} (needs ≥ {{minDays}})',
      'pending-not-read': '{{resource}} keeps backups {{days}} days, but whether a pending modification lowers that was not read (collect again)',
      'cluster-not-assessed': 'Cluster {{resource}} of listed instance(s) {{members}} is not assessed (not in aws.rds.clusters): the backup retention is the cluster\'s, not its instances\'',
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
    // A listed member's retention is its cluster's: when that cluster was not collected, nothing here judged it.
    const orphans = instances.filter((i) => i.clusterId !== null && !regionalEntry(clusters, i.region, i.clusterId));
    const notAssessed = [...Map.groupBy(orphans, (i) => regionalKey(i.region, i.clusterId!)).values()].map((members): Finding => ({
      resource: members[0]!.clusterId!,
      status: 'unverified',
      code: 'cluster-not-assessed',
      args: { minDays, kind: 'db-cluster', idFlag: 'db-cluster-identifier', region: members[0]!.region, members: members.map((i) => i.id).join(', ') },
    }));
    if (databases.length === 0 && notAssessed.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    const judged = databases.map((db): Finding => {
      if (db.missing) return { resource: db.id, status: 'fail', code: 'missing', args: { minDays, kind: db.kind, idFlag: db.idFlag, region: db.region } };
      const days = db.backupRetentionDays;
      const pendingDays = db.pendingBackupRetentionDays;
      const args = { days, minDays, kind: db.kind, idFlag: db.idFlag, region: db.region };
      const evidence = { arn: db.arn, backupRetentionDays: days };
      if (days < minDays) return { resource: db.id, status: 'fail', code: 'insufficient', args, evidence };
      // A change to 0 made without --apply-immediately waits for the maintenance window: the backups stop then.
      if (pendingDays === undefined) return { resource: db.id, status: 'unverified', code: 'pending-not-read', args, evidence };
      if (pendingDays !== null && pendingDays < minDays) return { resource: db.id, status: 'fail', code: 'pending-lower', args: { ...args, pendingDays }, evidence: { ...evidence, pendingBackupRetentionDays: pendingDays } };
      return { resource: db.id, status: 'pass', code: 'sufficient', args, evidence };
    });
    return [...judged, ...notAssessed];
  },
});
