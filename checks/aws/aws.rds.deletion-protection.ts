import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';
import { regionalEntry, regionalKey } from '../lib/rds-databases.js';

const NO_DATABASES = noneFound('DB cluster or instance', 'rds');

export default defineCheck({
  meta: {
    id: 'aws.rds.deletion-protection',
    title: 'Database deletion protection is on',
    failureTitle: 'Database deletion protection is off',
    failureTitles: { 'no-databases': NO_DATABASES.title },
    description: 'A cluster or standalone instance without deletion protection can be deleted by one mistaken call, with its automated backups.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(A)'],
    phase: 1,
    remediation: {
      text: 'Enable deletion protection on the database',
      command: 'aws rds modify-{{kind}} --{{idFlag}} {{resource}} --deletion-protection --apply-immediately --region {{region}}',
      effortMinutes: 5,
    },
    messages: {
      enabled: 'Deletion protection is on for {{resource}}',
      disabled: 'Deletion protection is OFF for {{resource}}: it can be deleted by accident',
      missing: 'Configured database {{resource}} was not found',
      'cluster-not-assessed': 'Cluster {{resource}} of listed instance(s) {{members}} is not assessed (not in aws.rds.clusters): deletion protection is the cluster\'s, not its instances\'',
      'no-databases': NO_DATABASES.message,
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances },
  evaluate({ clusters, instances }) {
    const standalone = instances.filter((instance) => instance.clusterId === null);
    // A listed member's protection is its cluster's: when that cluster was not collected, nothing here judged it.
    const orphans = instances.filter((i) => i.clusterId !== null && !regionalEntry(clusters, i.region, i.clusterId));
    const notAssessed = [...Map.groupBy(orphans, (i) => regionalKey(i.region, i.clusterId!)).values()].map((members): Finding => ({
      resource: members[0]!.clusterId!,
      status: 'unverified',
      code: 'cluster-not-assessed',
      args: { kind: 'db-cluster', idFlag: 'db-cluster-identifier', region: members[0]!.region, members: members.map((i) => i.id).join(', ') },
    }));
    if (clusters.length === 0 && standalone.length === 0 && notAssessed.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    const databases = [
      ...clusters.map((db) => ({ db, kind: 'db-cluster', idFlag: 'db-cluster-identifier' })),
      ...standalone.map((db) => ({ db, kind: 'db-instance', idFlag: 'db-instance-identifier' })),
    ];
    const judged = databases.map(({ db, kind, idFlag }): Finding => {
      const args = { kind, idFlag, region: db.region };
      if (db.missing) return { resource: db.id, status: 'fail', code: 'missing', args };
      return {
        resource: db.id,
        status: db.deletionProtection ? 'pass' : 'fail',
        code: db.deletionProtection ? 'enabled' : 'disabled',
        args,
        evidence: { arn: db.arn, deletionProtection: db.deletionProtection, region: db.region },
      };
    });
    return [...judged, ...notAssessed];
  },
});
