import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import { assessedDatabases, placementsOf } from '../lib/rds-databases.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'aws.rds.multi-az',
    title: 'Production databases span availability zones',
    failureTitle: 'A production database lives in a single availability zone',
    description:
      'A database in one availability zone is down (and PHI unavailable) for as long as that zone is. A standalone instance needs Multi-AZ; an Aurora cluster needs a replica in another zone to fail over to.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(B)'],
    phase: 1,
    remediation: {
      text: 'Turn on Multi-AZ for the instance, or add an Aurora reader in another availability zone',
      command: '{{fix}}',
      effortMinutes: 30,
    },
    messages: {
      'multi-az': '{{resource}} spans {{zones}}',
      'single-az': '{{resource}} runs in a single availability zone ({{zones}})',
      'member-not-read': '{{resource}}: the zone of instance(s) {{instances}} was not read',
      'no-members': '{{resource}} has no instances',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': 'No DB cluster or instance found in the selected regions',
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances, network: rdsInstanceNetwork },
  evaluate({ clusters, instances, network }) {
    const databases = assessedDatabases(clusters, instances);
    if (databases.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    return databases.map((db): Finding => {
      if (db.missing) return { resource: db.resource, status: 'fail', code: 'missing' };
      const { found, unread } = placementsOf(db, network);
      const zones = [...new Set(found.map((p) => p.availabilityZone).filter((z): z is string => z !== null))];
      const evidence = { zones, instances: found.map((p) => `${p.id}: ${p.availabilityZone ?? '?'}${p.multiAz ? ' (Multi-AZ)' : ''}`) };
      const spans = zones.length >= 2 || (db.kind === 'instance' && found[0]?.multiAz === true);
      if (spans) return { resource: db.resource, status: 'pass', code: 'multi-az', args: { zones: db.kind === 'instance' && zones.length < 2 ? `${zones.join(', ')} + standby` : zones.join(', ') }, evidence };
      if (unread.length > 0) return { resource: db.resource, status: 'unverified', code: 'member-not-read', args: { instances: unread.join(', ') }, evidence };
      if (found.length === 0) return { resource: db.resource, status: 'fail', code: 'no-members', evidence };
      const id = shellQuote(db.resource);
      const fix =
        db.kind === 'instance'
          ? `aws rds modify-db-instance --db-instance-identifier ${id} --multi-az --apply-immediately --region ${db.region}`
          : `aws rds create-db-instance --db-cluster-identifier ${id} --db-instance-identifier ${shellQuote(`${db.resource}-reader`.slice(0, 63))} --engine ${shellQuote(db.engine)} --db-instance-class ${shellQuote(found[0]!.instanceClass)} --availability-zone ${shellQuote(otherZone(zones[0], db.region))} --region ${db.region}`;
      return { resource: db.resource, status: 'fail', code: 'single-az', args: { zones: zones.join(', ') || 'unknown', fix }, evidence };
    });
  },
});

/** A zone of the same region other than the one in use (`a` ↔ `b`). */
function otherZone(zone: string | undefined, region: string): string {
  if (!zone) return `${region}b`;
  return zone.endsWith('a') ? `${zone.slice(0, -1)}b` : `${zone.slice(0, -1)}a`;
}
