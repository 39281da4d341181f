import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusterParameterGroups, rdsClusters } from '../../src/facts/aws.js';

interface TlsRule {
  parameter: string;
  forcing: string[];
  /** The first major version whose engine default already forces TLS. */
  forcedByDefaultFrom: number | null;
}

/**
 * AWS: `rds.force_ssl` defaults to 1 from Aurora PostgreSQL 17 and RDS PostgreSQL 15;
 * earlier versions (the seed's Aurora 15.3 on `default.aurora-postgresql15`) accept plain
 * connections. MySQL engines use `require_secure_transport`, off by default.
 */
function tlsRule(engine: string): TlsRule | null {
  if (engine === 'aurora-postgresql') return { parameter: 'rds.force_ssl', forcing: ['1'], forcedByDefaultFrom: 17 };
  if (engine === 'postgres') return { parameter: 'rds.force_ssl', forcing: ['1'], forcedByDefaultFrom: 15 };
  if (engine.includes('mysql') || engine === 'aurora') return { parameter: 'require_secure_transport', forcing: ['1', 'ON'], forcedByDefaultFrom: null };
  return null;
}

export default defineCheck({
  meta: {
    id: 'aws.rds.force-ssl',
    title: 'Database connections must use TLS',
    failureTitle: 'Database accepts unencrypted connections',
    description: 'Without `rds.force_ssl=1` (PostgreSQL) or `require_secure_transport=ON` (MySQL) in the cluster parameter group, a client may connect in clear text and PHI crosses the network unencrypted. Default parameter groups cannot be changed: attach a custom one.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(2)(ii)'],
    phase: 1,
    remediation: {
      text: 'Set the parameter to force TLS in a custom cluster parameter group (a `default.*` group cannot be modified: create one with `aws rds create-db-cluster-parameter-group`, then attach it with `aws rds modify-db-cluster --db-cluster-parameter-group-name`)',
      command: 'aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name {{fixGroup}} --parameters ParameterName={{parameter}},ParameterValue=1,ApplyMethod=immediate --region {{region}}',
      effortMinutes: 30,
    },
    messages: {
      forced: '{{resource}} forces TLS ({{parameter}}={{value}} in {{group}})',
      'forced-by-default': '{{resource}} runs {{engine}} {{version}}, whose default {{parameter}} forces TLS',
      'not-forced': '{{resource}} accepts unencrypted connections: {{parameter}}={{value}} in {{group}}',
      'engine-default': '{{resource}} leaves {{parameter}} to the engine default of {{group}}, which does not force TLS',
      'group-not-found': 'Parameter group {{group}} of {{resource}} was not found',
      'group-not-read': 'Parameter group {{group}} of {{resource}} was not read',
      'unknown-engine': '{{resource}} runs engine {{engine}}, for which no TLS parameter is known',
      missing: 'Configured cluster {{resource}} was not found',
    },
  },
  facts: { clusters: rdsClusters, groups: rdsClusterParameterGroups },
  evaluate({ clusters, groups }) {
    return clusters.map((cluster): Finding => {
      if (cluster.missing) return { resource: cluster.id, status: 'fail', code: 'missing' };
      const rule = tlsRule(cluster.engine);
      const groupName = cluster.parameterGroup ?? '';
      const isDefault = groupName.startsWith('default.');
      const fixGroup = isDefault ? `${cluster.id}-tls` : groupName;
      const base = { group: groupName, fixGroup, region: cluster.region, engine: cluster.engine, version: cluster.engineVersion ?? 'unknown' };
      if (!rule) return { resource: cluster.id, status: 'unverified', code: 'unknown-engine', args: base };
      const group = groups.find((g) => g.name === groupName && g.region === cluster.region);
      const args = { ...base, parameter: rule.parameter, value: 'default' };
      if (!group) return { resource: cluster.id, status: 'unverified', code: 'group-not-read', args };
      if (!group.found && !isDefault) return { resource: cluster.id, status: 'unverified', code: 'group-not-found', args };
      const value = group.parameters[rule.parameter] ?? null;
      const evidence = { arn: cluster.arn, parameterGroup: groupName, [rule.parameter]: value, engineVersion: cluster.engineVersion };
      if (value !== null) {
        const forced = rule.forcing.includes(value.toUpperCase());
        return { resource: cluster.id, status: forced ? 'pass' : 'fail', code: forced ? 'forced' : 'not-forced', args: { ...args, value }, evidence };
      }
      const major = Number.parseInt(cluster.engineVersion ?? '', 10);
      if (rule.forcedByDefaultFrom !== null && major >= rule.forcedByDefaultFrom) {
        return { resource: cluster.id, status: 'pass', code: 'forced-by-default', args, evidence };
      }
      return { resource: cluster.id, status: 'fail', code: 'engine-default', args, evidence };
    });
  },
});
