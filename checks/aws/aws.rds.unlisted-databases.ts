import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { rdsAccountDatabases } from '../../src/facts/aws-rds-account.js';
import { regionalKey } from '../lib/rds-databases.js';
import { shellQuote } from '../lib/shell.js';

type Account = FactValue<typeof rdsAccountDatabases>;

/** A database as the RDS checks count them: a cluster with its members, or an instance outside any cluster. */
interface Database {
  kind: 'cluster' | 'instance';
  id: string;
  arn: string;
  region: string;
  storageEncrypted: boolean;
  /** The instances through which it can be reached from the internet (the instance itself when standalone). */
  publicInstances: string[];
}

/** Public access is turned off per instance; encryption needs a new database, and it starts with a snapshot. */
function fixOf(db: Database): string {
  const region = shellQuote(db.region);
  const steps = db.publicInstances.map((id) => `aws rds modify-db-instance --db-instance-identifier ${shellQuote(id)} --no-publicly-accessible --apply-immediately --region ${region}`);
  if (!db.storageEncrypted) {
    const snapshot = shellQuote(`${db.id}-pre-encryption`);
    steps.push(
      db.kind === 'cluster'
        ? `aws rds create-db-cluster-snapshot --db-cluster-identifier ${shellQuote(db.id)} --db-cluster-snapshot-identifier ${snapshot} --region ${region}`
        : `aws rds create-db-snapshot --db-instance-identifier ${shellQuote(db.id)} --db-snapshot-identifier ${snapshot} --region ${region}`,
    );
  }
  return steps.join(' && ');
}

/** Every database of the account, each cluster with the public ones among its members. */
function databasesOf({ clusters, instances }: Account): Database[] {
  // Indexed per region, not scanned per cluster: accounts hold thousands of instances.
  const clusterKeys = new Set(clusters.map((c) => regionalKey(c.region, c.id)));
  const publicMembers = new Map<string, string[]>();
  const standalone: Database[] = [];
  for (const i of instances) {
    const clusterKey = i.clusterId === null ? null : regionalKey(i.region, i.clusterId);
    if (clusterKey !== null && clusterKeys.has(clusterKey)) {
      // A member's storage is its cluster's; its public access is its own, and makes the whole cluster reachable.
      if (i.publiclyAccessible) {
        const members = publicMembers.get(clusterKey);
        if (members) members.push(i.id);
        else publicMembers.set(clusterKey, [i.id]);
      }
      continue;
    }
    // A member whose cluster was not described is judged on its own: no check would judge it with its cluster.
    standalone.push({ kind: 'instance', id: i.id, arn: i.arn, region: i.region, storageEncrypted: i.storageEncrypted, publicInstances: i.publiclyAccessible ? [i.id] : [] });
  }
  const ofClusters = clusters.map((c): Database => ({
    kind: 'cluster', id: c.id, arn: c.arn, region: c.region, storageEncrypted: c.storageEncrypted, publicInstances: publicMembers.get(regionalKey(c.region, c.id)) ?? [],
  }));
  return [...ofClusters, ...standalone];
}

export default defineCheck({
  meta: {
    id: 'aws.rds.unlisted-databases',
    title: 'Databases left out of the config are neither public nor unencrypted',
    failureTitle: 'A database left out of the assessment is public or unencrypted',
    description:
      'When `aws.rds.clusters` or `aws.rds.instances` lists databases, the others are not assessed by any other RDS check (a reporting copy of the PHI database, a forgotten restore). Each one left out is still judged for what keeps any database safe: a cluster fails when its storage is not encrypted or any member instance is publicly accessible, an instance outside a cluster when it is public or unencrypted. The others are named in one result, so that narrowing is never silent.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)'],
    phase: 1,
    remediation: {
      text: 'Turn off public accessibility on each public instance. Encryption cannot be turned on in place: snapshot the database, copy the snapshot with a KMS key (`aws rds copy-db-snapshot --kms-key-id`, or `copy-db-cluster-snapshot`), restore the copy and switch over, then delete the unencrypted one. Add the database to `aws.rds.clusters` / `aws.rds.instances` so every RDS check assesses it, or delete it if nobody needs it',
      command: '{{fix}}',
      effortMinutes: 240,
    },
    messages: {
      'unlisted-exposed': '{{kind}} {{resource}} ({{region}}) is not in aws.rds.clusters / aws.rds.instances, so no other RDS check assesses it, and it is {{problems}}',
      'left-out': '{{count}} database(s) are not in aws.rds.clusters / aws.rds.instances, so only their public access and storage encryption are assessed: {{databases}}',
      'all-listed': 'Every database of the regions ({{count}}) is assessed',
      'no-list': 'No database list in the config: every database of the regions is assessed',
    },
  },
  facts: { account: rdsAccountDatabases },
  evaluate({ account }, { config }) {
    const { clusters: listedClusters, instances: listedInstances } = config.aws?.rds ?? {};
    const databases = databasesOf(account);
    if (!listedClusters && !listedInstances) return [{ resource: 'rds', status: 'pass', code: 'no-list', evidence: { databases: databases.length } }];
    // As the collectors select: without a cluster list every cluster is assessed; an instance outside a cluster only when listed.
    const clusters = listedClusters ? new Set(listedClusters) : null;
    const instances = new Set(listedInstances);
    const unlisted = databases.filter((db) => (db.kind === 'cluster' ? clusters !== null && !clusters.has(db.id) : !instances.has(db.id)));
    const findings: Finding[] = [];
    const left: Database[] = [];
    for (const db of unlisted) {
      const problems = [
        ...(db.publicInstances.length === 0 ? [] : [db.kind === 'cluster' ? `publicly accessible through instance(s) ${db.publicInstances.join(', ')}` : 'publicly accessible']),
        ...(db.storageEncrypted ? [] : ['not encrypted at rest']),
      ];
      if (problems.length === 0) {
        left.push(db);
        continue;
      }
      findings.push({
        resource: db.id,
        status: 'fail',
        code: 'unlisted-exposed',
        args: { kind: db.kind === 'cluster' ? 'Cluster' : 'Instance', region: db.region, problems: problems.join(' and '), fix: fixOf(db) },
        evidence: { arn: db.arn, kind: db.kind, storageEncrypted: db.storageEncrypted, publicInstances: db.publicInstances },
      });
    }
    if (left.length > 0) {
      findings.push({
        resource: 'rds',
        status: 'not_applicable',
        code: 'left-out',
        args: { count: left.length, databases: left.map((db) => db.id).join(', ') },
        evidence: { leftOut: left.map((db) => db.arn || db.id) },
      });
    }
    if (findings.length === 0) return [{ resource: 'rds', status: 'pass', code: 'all-listed', args: { count: databases.length } }];
    return findings;
  },
});
