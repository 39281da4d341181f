import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';

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
      'no-databases': NO_DATABASES.message,
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances },
  evaluate({ clusters, instances }) {
    const standalone = instances.filter((instance) => instance.clusterId === null);
    if (clusters.length === 0 && standalone.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    const databases = [
      ...clusters.map((db) => ({ db, kind: 'db-cluster', idFlag: 'db-cluster-identifier' })),
      ...standalone.map((db) => ({ db, kind: 'db-instance', idFlag: 'db-instance-identifier' })),
    ];
    return databases.map(({ db, kind, idFlag }): Finding => {
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
  },
});
