import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsGlobalClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_DATABASES = noneFound('DB cluster or instance', 'rds');

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
      text: 'Make the cluster the primary of a global database and add a secondary cluster in another region (`aws rds create-db-cluster --global-cluster-identifier ... --region <other>`); for a standalone instance, start automated backup replication from the other region',
      command: 'aws rds {{action}}',
      effortMinutes: 120,
    },
    messages: {
      'global-cluster': '{{resource}} belongs to global database {{global}} with {{members}} regional clusters',
      'global-single-region': '{{resource}} belongs to global database {{global}}, which has no secondary cluster',
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
    const clusterFindings = clusters.map((cluster): Finding => {
      if (cluster.missing) return { resource: cluster.id, status: 'fail', code: 'missing' };
      const args = { arn: cluster.arn, region: cluster.region, action: `create-global-cluster --global-cluster-identifier ${shellQuote(`${cluster.id}-global`)} --source-db-cluster-identifier ${shellQuote(cluster.arn)} --region ${cluster.region}` };
      const global = globals.find((g) => g.members.some((m) => m.clusterArn === cluster.arn));
      if (!global) return { resource: cluster.id, status: 'fail', code: 'no-cross-region-copy', args, evidence: { arn: cluster.arn, globalCluster: null } };
      const evidence = { arn: cluster.arn, globalCluster: global.arn, members: global.members.map((m) => m.clusterArn) };
      const secondary = `create-db-cluster --db-cluster-identifier ${shellQuote(`${cluster.id}-secondary`)} --global-cluster-identifier ${shellQuote(global.id)} --engine ${shellQuote(cluster.engine)} --region <other-region>`;
      const globalArgs = { ...args, global: global.id, members: global.members.length, action: secondary };
      if (global.members.length < 2) return { resource: cluster.id, status: 'fail', code: 'global-single-region', args: globalArgs, evidence };
      return { resource: cluster.id, status: 'pass', code: 'global-cluster', args: globalArgs, evidence };
    });
    const instanceFindings = standalone.map((instance): Finding => {
      if (instance.missing) return { resource: instance.id, status: 'fail', code: 'missing', args: { arn: instance.id, region: instance.region } };
      const replicated = instance.backupReplications.length > 0;
      return {
        resource: instance.id,
        status: replicated ? 'pass' : 'fail',
        code: replicated ? 'backup-replication' : 'no-cross-region-copy',
        args: { arn: instance.arn, region: instance.region, action: `start-db-instance-automated-backups-replication --source-db-instance-arn ${shellQuote(instance.arn)} --region <other-region>` },
        evidence: { arn: instance.arn, backupReplications: instance.backupReplications },
      };
    });
    return [...clusterFindings, ...instanceFindings];
  },
});
