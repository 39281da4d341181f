import { defineCheck, optional, type FactFailure, type Finding, type FactValue } from '../../src/model.js';
import { rdsClusterParameterGroups, rdsClusters, rdsInstanceParameterGroups, rdsInstances } from '../../src/facts/aws.js';
import { regionalEntry } from '../lib/rds-databases.js';
import { shellQuote } from '../lib/shell.js';

interface TlsRule {
  parameter: string;
  forcing: string[];
  /** The first major version whose engine default already forces TLS. */
  forcedByDefaultFrom: number | null;
}

/**
 * AWS: `rds.force_ssl` defaults to 1 from Aurora PostgreSQL 17 and RDS PostgreSQL 15 (RDS user guide,
 * "Updating applications to connect to PostgreSQL DB instances using new SSL/TLS certificates");
 * earlier versions (the seed's Aurora 15.3 on `default.aurora-postgresql15`) accept plain
 * connections. MySQL engines use `require_secure_transport`, off by default.
 */
function tlsRule(engine: string): TlsRule | null {
  if (engine === 'aurora-postgresql') return { parameter: 'rds.force_ssl', forcing: ['1'], forcedByDefaultFrom: 17 };
  if (engine === 'postgres') return { parameter: 'rds.force_ssl', forcing: ['1'], forcedByDefaultFrom: 15 };
  if (engine.includes('mysql') || engine === 'aurora') return { parameter: 'require_secure_transport', forcing: ['1', 'ON'], forcedByDefaultFrom: null };
  return null;
}

type Group = FactValue<typeof rdsClusterParameterGroups>[number];

/** A cluster, or a standalone instance, with the parameter group that decides its TLS setting. */
interface Target {
  id: string;
  arn: string;
  region: string;
  engine: string;
  engineVersion: string | null;
  parameterGroup: string | null;
  missing: boolean;
  kind: 'cluster' | 'instance';
  /** The apply status of the group on each instance that runs it (a cluster's members); undefined when not collected. */
  applyStatuses: { instance: string; status: string | null }[] | undefined;
}

const MODIFY_GROUP = {
  cluster: 'modify-db-cluster-parameter-group --db-cluster-parameter-group-name',
  instance: 'modify-db-parameter-group --db-parameter-group-name',
};

/**
 * A `default.*` group cannot be modified: the fix creates a custom group of the same family first,
 * and attaches it afterwards, so the printed command is complete.
 */
function customGroupSteps(target: Target, fixGroup: string): { createGroup: string; attachGroup: string } {
  const family = shellQuote(parameterGroupFamily(target));
  const description = shellQuote(`${target.id}: TLS required`);
  const region = `--region ${target.region}`;
  const id = shellQuote(target.id);
  const group = shellQuote(fixGroup);
  if (target.kind === 'cluster') {
    return {
      createGroup: `aws rds create-db-cluster-parameter-group --db-cluster-parameter-group-name ${group} --db-parameter-group-family ${family} --description ${description} ${region} && `,
      attachGroup: ` && aws rds modify-db-cluster --db-cluster-identifier ${id} --db-cluster-parameter-group-name ${group} --apply-immediately ${region}`,
    };
  }
  return {
    createGroup: `aws rds create-db-parameter-group --db-parameter-group-name ${group} --db-parameter-group-family ${family} --description ${description} ${region} && `,
    attachGroup: ` && aws rds modify-db-instance --db-instance-identifier ${id} --db-parameter-group-name ${group} --apply-immediately ${region}`,
  };
}

/** The parameter group family of the engine version (`aurora-postgresql15`, `postgres16`, `mysql8.0`). */
function parameterGroupFamily(target: Target): string {
  const [major, minor] = (target.engineVersion ?? '').split('.');
  if (!major) return (target.parameterGroup ?? '').replace(/^default\./, '');
  return target.engine.includes('mysql') ? `${target.engine}${major}.${minor ?? '0'}` : `${target.engine}${major}`;
}

/** Parameter groups are found by name (cluster and instance groups are two facts, each indexed once). */
const groupNameOf = (group: Group): string => group.name;

/**
 * A group is in effect only once applied: after it is attached, or a static parameter in it edited, the engine keeps
 * the old setting (and accepts clear text) until the instance reboots. So a pass needs every instance `in-sync`;
 * a fail stays a fail.
 */
function unlessApplied(target: Target, pass: Finding, parameter: string): Finding {
  const args = { group: target.parameterGroup ?? '', parameter };
  const statuses = target.applyStatuses;
  const pending = (statuses ?? []).filter((s) => s.status !== null && s.status !== 'in-sync');
  if (pending.length > 0) {
    const applyStatus = [...new Set(pending.map((s) => s.status))].join(', ');
    const fix = pending.map((s) => `aws rds reboot-db-instance --db-instance-identifier ${shellQuote(s.instance)} --region ${shellQuote(target.region)}`).join(' && ');
    // No modify command (the args leave it unfilled): the group already forces TLS, the reboot is the fix.
    return { resource: target.id, status: 'unverified', code: 'pending-reboot', args: { ...args, applyStatus, reboot: pending.map((s) => s.instance).join(', ') }, evidence: { ...pass.evidence, applyStatus, fix } };
  }
  if (!statuses || statuses.some((s) => s.status === null)) return { resource: target.id, status: 'unverified', code: 'apply-status-not-read', args, evidence: { ...pass.evidence, applyStatus: null } };
  return pass;
}

/** `unread`: why the groups could not be read, when they could not. */
function evaluateTarget(target: Target, groups: readonly Group[], unread?: FactFailure): Finding {
  if (target.missing) return { resource: target.id, status: 'fail', code: 'missing' };
  const rule = tlsRule(target.engine);
  const groupName = target.parameterGroup ?? '';
  const isDefault = groupName.startsWith('default.');
  const fixGroup = isDefault ? `${target.id}-tls` : groupName;
  const steps = isDefault ? customGroupSteps(target, fixGroup) : { createGroup: '', attachGroup: '' };
  const base = { group: groupName, fixGroup: shellQuote(fixGroup), modifyGroup: MODIFY_GROUP[target.kind], ...steps, region: target.region, engine: target.engine, version: target.engineVersion ?? 'unknown' };
  if (!rule) return { resource: target.id, status: 'unverified', code: 'unknown-engine', args: base };
  const group = regionalEntry(groups, target.region, groupName, groupNameOf);
  const args = { ...base, parameter: rule.parameter, value: 'default' };
  if (!group) return { resource: target.id, status: 'unverified', code: 'group-not-read', args, ...(unread ? { evidence: { failure: unread.kind, reason: unread.message, ...(unread.fix ? { fix: unread.fix } : {}) } } : {}) };
  if (!group.found && !isDefault) return { resource: target.id, status: 'unverified', code: 'group-not-found', args };
  const value = group.parameters[rule.parameter] ?? null;
  const evidence = { arn: target.arn, parameterGroup: groupName, [rule.parameter]: value, engineVersion: target.engineVersion };
  if (value !== null) {
    const forced = rule.forcing.includes(value.toUpperCase());
    if (!forced) return { resource: target.id, status: 'fail', code: 'not-forced', args: { ...args, value }, evidence };
    return unlessApplied(target, { resource: target.id, status: 'pass', code: 'forced', args: { ...args, value }, evidence }, rule.parameter);
  }
  const major = Number.parseInt(target.engineVersion ?? '', 10);
  if (rule.forcedByDefaultFrom !== null && major >= rule.forcedByDefaultFrom) {
    return unlessApplied(target, { resource: target.id, status: 'pass', code: 'forced-by-default', args, evidence }, rule.parameter);
  }
  return { resource: target.id, status: 'fail', code: 'engine-default', args, evidence };
}

export default defineCheck({
  meta: {
    id: 'aws.rds.force-ssl',
    title: 'Database connections must use TLS',
    failureTitle: 'Database accepts unencrypted connections',
    description: 'Without `rds.force_ssl=1` (PostgreSQL) or `require_secure_transport=ON` (MySQL) in the cluster parameter group (or, for a standalone instance, its DB parameter group), a client may connect in clear text and PHI crosses the network unencrypted. Default parameter groups cannot be changed: attach a custom one.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(2)(ii)'],
    phase: 1,
    remediation: {
      text: 'Set the parameter to force TLS in a custom parameter group (a `default.*` group cannot be modified: the command creates a custom group of the same family, sets the parameter and attaches the group; a cluster picks up a new cluster parameter group at its next reboot)',
      command: '{{createGroup}}aws rds {{modifyGroup}} {{fixGroup}} --parameters ParameterName={{parameter}},ParameterValue=1,ApplyMethod=immediate --region {{region}}{{attachGroup}}',
      effortMinutes: 30,
    },
    messages: {
      forced: '{{resource}} forces TLS ({{parameter}}={{value}} in {{group}})',
      'forced-by-default': '{{resource}} runs {{engine}} {{version}}, whose default {{parameter}} forces TLS',
      'not-forced': '{{resource}} accepts unencrypted connections: {{parameter}}={{value}} in {{group}}',
      'engine-default': '{{resource}} leaves {{parameter}} to the engine default of {{group}}, which does not force TLS',
      'pending-reboot': '{{parameter}} is set in {{group}} but not applied yet ({{applyStatus}}): reboot {{reboot}}',
      'apply-status-not-read': 'Whether {{group}} is applied on {{resource}} was not read (collect again): {{parameter}} may not be in effect',
      'group-not-found': 'Parameter group {{group}} of {{resource}} was not found',
      'group-not-read': 'Parameter group {{group}} of {{resource}} was not read',
      'unknown-engine': '{{resource}} runs engine {{engine}}, for which no TLS parameter is known',
      missing: 'Configured cluster or instance {{resource}} was not found',
      'instances-not-read': 'Standalone DB instances could not be listed: {{reason}}',
    },
  },
  facts: { clusters: rdsClusters, groups: rdsClusterParameterGroups, instances: optional(rdsInstances), instanceGroups: optional(rdsInstanceParameterGroups) },
  evaluate({ clusters, groups, instances, instanceGroups }) {
    const clusterFindings = clusters.map((cluster) => evaluateTarget({ ...cluster, kind: 'cluster', applyStatuses: cluster.memberParameterStatuses }, groups));
    // Fail closed: instances that could not be listed may include standalone databases.
    if (!instances.ok) {
      if (instances.failure.kind === 'NotConfigured') return clusterFindings;
      const { kind, message, fix } = instances.failure;
      return [...clusterFindings, { resource: 'rds-instances', status: 'unverified', code: 'instances-not-read', args: { reason: message }, evidence: { failure: kind, ...(fix ? { fix } : {}) } }];
    }
    // A cluster member's TLS setting is its cluster's; a missing configured instance is reported once, like a missing cluster.
    const standalone = instances.value.filter((i) => i.clusterId === null);
    const [readGroups, unread] = instanceGroups.ok ? [instanceGroups.value, undefined] : [[], instanceGroups.failure];
    const applyStatuses = (instance: (typeof standalone)[number]) => (instance.parameterApplyStatus === undefined ? undefined : [{ instance: instance.id, status: instance.parameterApplyStatus }]);
    return [...clusterFindings, ...standalone.map((instance) => evaluateTarget({ ...instance, kind: 'instance', applyStatuses: applyStatuses(instance) }, readGroups, unread))];
  },
});
