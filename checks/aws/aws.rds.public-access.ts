import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_DATABASES = noneFound('DB cluster or instance', 'rds');

export default defineCheck({
  meta: {
    id: 'aws.rds.public-access',
    title: 'Databases are not publicly accessible',
    failureTitle: 'A database instance is publicly accessible',
    failureTitles: { 'no-databases': NO_DATABASES.title },
    description: 'A publicly accessible instance gets a public DNS name and address: the PHI database is then one security-group mistake away from the internet. Every member of a cluster counts.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 1,
    remediation: {
      text: 'Turn off public accessibility on the instance (reach it through the VPC, a bastion or SSM instead)',
      command: 'aws rds modify-db-instance --db-instance-identifier {{instance}} --no-publicly-accessible --apply-immediately --region {{region}}',
      effortMinutes: 10,
    },
    messages: {
      private: 'No instance of {{resource}} is publicly accessible',
      public: '{{resource}} has publicly accessible instance(s): {{instances}}',
      'member-not-read': 'Member instance(s) {{instances}} of {{resource}} were not found in the instance list',
      'no-members': '{{resource}} has no instances',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': NO_DATABASES.message,
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances },
  evaluate({ clusters, instances }) {
    const standalone = instances.filter((instance) => instance.clusterId === null);
    if (clusters.length === 0 && standalone.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    const byRegionAndId = new Map(instances.toReversed().map((i) => [`${i.region}\u0000${i.id}`, i]));
    const clusterFindings = clusters.map((cluster): Finding => {
      if (cluster.missing) return { resource: cluster.id, status: 'fail', code: 'missing' };
      const members = cluster.members.map((id) => ({ id, instance: byRegionAndId.get(`${cluster.region}\u0000${id}`) }));
      const unread = members.filter((m) => !m.instance).map((m) => m.id);
      const exposed = members.filter((m) => m.instance?.publiclyAccessible).map((m) => m.id);
      const evidence = { arn: cluster.arn, members: cluster.members, publicMembers: exposed };
      // The fix names the first exposed member; with none exposed there is nothing to name.
      const args = { instances: exposed.join(', '), instance: exposed[0] === undefined ? '<instance-id>' : shellQuote(exposed[0]), region: cluster.region };
      if (exposed.length > 0) return { resource: cluster.id, status: 'fail', code: 'public', args, evidence };
      // Fail closed: a member we could not see might be the public one.
      if (unread.length > 0) return { resource: cluster.id, status: 'unverified', code: 'member-not-read', args: { ...args, instances: unread.join(', ') }, evidence };
      if (members.length === 0) return { resource: cluster.id, status: 'pass', code: 'no-members', args, evidence };
      return { resource: cluster.id, status: 'pass', code: 'private', args, evidence };
    });
    const instanceFindings = standalone.map((instance): Finding => {
      const args = { instances: instance.id, instance: shellQuote(instance.id), region: instance.region };
      if (instance.missing) return { resource: instance.id, status: 'fail', code: 'missing', args };
      return {
        resource: instance.id,
        status: instance.publiclyAccessible ? 'fail' : 'pass',
        code: instance.publiclyAccessible ? 'public' : 'private',
        args,
        evidence: { arn: instance.arn, publiclyAccessible: instance.publiclyAccessible },
      };
    });
    return [...clusterFindings, ...instanceFindings];
  },
});
