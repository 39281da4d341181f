import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { rdsClusters, rdsGlobalClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_DATABASES = noneFound('DB cluster or instance', 'rds');

type Cluster = FactValue<typeof rdsClusters>[number];
type Global = FactValue<typeof rdsGlobalClusters>[number];

/** The region an RDS ARN names (`arn:aws:rds:us-west-2:…`); empty for a global cluster's ARN. */
const regionOf = (arn: string) => arn.split(':')[3] ?? '';

/** A secondary cluster of the global database in the region the user picks: the version must match the primary's. */
function addSecondary(cluster: Cluster, globalId: string): string {
  const version = cluster.engineVersion ? ` --engine-version ${shellQuote(cluster.engineVersion)}` : '';
  return `aws rds create-db-cluster --db-cluster-identifier ${shellQuote(`${cluster.id}-secondary`)} --global-cluster-identifier ${shellQuote(globalId)} --engine ${shellQuote(cluster.engine)}${version} --region <other-region>`;
}

export default defineCheck({
  meta: {
    id: 'aws.rds.disaster-recovery',
    title: 'Databases survive the loss of their region',
    failureTitle: 'No cross-region copy of the database',
    failureTitles: { 'no-databases': NO_DATABASES.title },
    description: 'The disaster recovery plan needs the data outside the primary region: an Aurora global database with a secondary region, or (standalone instances) cross-region replication of automated backups. AWS Backup cross-region copy jobs are not read by this check.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(B)'],
    phase: 2,
    remediation: {
      text: 'Make the cluster the primary of a global database and add a secondary cluster in the recovery region (choose <other-region>; the secondary gets no instance until you add one, its storage is replicated at once); for a standalone instance, start automated backup replication from the recovery region (an encrypted instance needs a KMS key of that region)',
      command: '{{fix}}',
      effortMinutes: 120,
    },
    messages: {
      'global-cluster': '{{resource}} belongs to global database {{global}} with {{members}} regional clusters',
      'global-single-region': '{{resource}} belongs to global database {{global}}, which has no cluster in another region',
      'backup-replication': 'Automated backups of {{resource}} are replicated to another region',
      'no-cross-region-copy': '{{resource}} has no global database membership and no cross-region backup replication',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': NO_DATABASES.message,
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances, globals: rdsGlobalClusters },
  evaluate({ clusters, instances, globals }) {
    const standalone = instances.filter((instance) => instance.clusterId === null);
    if (clusters.length === 0 && standalone.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    // The first global database listing a cluster wins, as a scan would find it.
    const globalOf = new Map<string, Global>();
    for (const global of globals) for (const member of global.members) if (!globalOf.has(member.clusterArn)) globalOf.set(member.clusterArn, global);
    const clusterFindings = clusters.map((cluster): Finding => {
      if (cluster.missing) return { resource: cluster.id, status: 'fail', code: 'missing' };
      const global = globalOf.get(cluster.arn);
      if (!global) {
        const globalId = `${cluster.id}-global`;
        const fix = `aws rds create-global-cluster --global-cluster-identifier ${shellQuote(globalId)} --source-db-cluster-identifier ${shellQuote(cluster.arn)} --region ${cluster.region} && ${addSecondary(cluster, globalId)}`;
        return { resource: cluster.id, status: 'fail', code: 'no-cross-region-copy', args: { fix }, evidence: { arn: cluster.arn, globalCluster: null } };
      }
      const evidence = { arn: cluster.arn, globalCluster: global.arn, members: global.members.map((m) => m.clusterArn) };
      const args = { global: global.id, members: global.members.length, fix: addSecondary(cluster, global.id) };
      // Only a member in another region survives the loss of this one.
      const elsewhere = global.members.some((m) => m.clusterArn !== cluster.arn && regionOf(m.clusterArn) !== cluster.region);
      if (!elsewhere) return { resource: cluster.id, status: 'fail', code: 'global-single-region', args, evidence };
      return { resource: cluster.id, status: 'pass', code: 'global-cluster', args, evidence };
    });
    const instanceFindings = standalone.map((instance): Finding => {
      if (instance.missing) return { resource: instance.id, status: 'fail', code: 'missing' };
      const replicated = instance.backupReplications.length > 0;
      // The replicated backups of an encrypted instance are encrypted with a key of the destination region.
      const key = instance.storageEncrypted ? ' --kms-key-id <kms-key-arn-in-other-region>' : '';
      return {
        resource: instance.id,
        status: replicated ? 'pass' : 'fail',
        code: replicated ? 'backup-replication' : 'no-cross-region-copy',
        args: { fix: `aws rds start-db-instance-automated-backups-replication --source-db-instance-arn ${shellQuote(instance.arn)}${key} --region <other-region>` },
        evidence: { arn: instance.arn, backupReplications: instance.backupReplications },
      };
    });
    return [...clusterFindings, ...instanceFindings];
  },
});
