import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { ec2FlowLogs, rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import { assessedDatabases, placementsOf, regionalKey } from '../lib/rds-databases.js';
import { shellQuote } from '../lib/shell.js';

type FlowLog = FactValue<typeof ec2FlowLogs>[number];

export default defineCheck({
  meta: {
    id: 'aws.vpc.flow-logs',
    title: 'VPCs holding databases record flow logs',
    failureTitle: 'A VPC holding a database has no flow logs',
    description:
      'Flow logs are the record of who talked to the PHI database and from where; without them an investigation of a breach cannot tell which addresses reached it. Every VPC that holds an assessed database needs an active flow log of all traffic that delivers (a log whose delivery FAILED records nothing; one whose status AWS does not report is unverified).',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Create a flow log of ALL traffic for the VPC, delivered to S3 (the command creates the bucket if needed) or CloudWatch Logs',
      command: '(aws s3 mb s3://{{bucket}} --region {{region}} || true) && aws ec2 create-flow-logs --resource-type VPC --resource-ids {{vpc}} --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::{{bucket}} --region {{region}}',
      effortMinutes: 20,
    },
    messages: {
      active: 'VPC {{resource}} (databases: {{databases}}) has an active flow log of all traffic ({{flowLog}})',
      'no-flow-log': 'VPC {{resource}} holds {{databases}} and has NO active flow log',
      partial: 'VPC {{resource}} logs only {{traffic}} traffic ({{flowLog}}): accepted connections to {{databases}} are not recorded',
      'delivery-failed': 'VPC {{resource}} has a flow log of all traffic ({{flowLog}}), but its delivery FAILED (a destination that refuses it, a role gone): connections to {{databases}} are not recorded',
      'status-unknown': 'VPC {{resource}} has a flow log of all traffic ({{flowLog}}) whose status AWS did not report: whether it records connections to {{databases}} is unknown',
      'vpc-not-read': 'The VPC of {{databases}} was not read',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': 'No DB cluster or instance found in the selected regions',
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances, network: rdsInstanceNetwork, flowLogs: ec2FlowLogs },
  evaluate({ clusters, instances, network, flowLogs }, { config }) {
    const databases = assessedDatabases(clusters, instances);
    if (databases.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    const findings: Finding[] = [];
    const vpcs = new Map<string, { region: string; databases: string[] }>();
    const unplaced: string[] = [];
    for (const db of databases) {
      if (db.missing) {
        findings.push({ resource: db.resource, status: 'fail', code: 'missing' });
        continue;
      }
      const { found, unread } = placementsOf(db, network);
      const vpcIds = [...new Set(found.map((p) => p.vpcId))];
      if (unread.length > 0 || vpcIds.includes(null)) unplaced.push(db.resource);
      for (const vpcId of vpcIds) {
        if (vpcId === null) continue;
        const key = `${db.region}/${vpcId}`;
        const entry = vpcs.get(key) ?? { region: db.region, databases: [] };
        entry.databases.push(db.resource);
        vpcs.set(key, entry);
      }
    }
    // An unreported status is not ACTIVE: kept, and judged apart from the logs known to run.
    const activeLogs = new Map<string, FlowLog[]>();
    for (const log of flowLogs) {
      if (log.status !== null && log.status !== 'ACTIVE') continue;
      const key = regionalKey(log.region, log.resourceId);
      const logs = activeLogs.get(key);
      if (logs) logs.push(log);
      else activeLogs.set(key, [log]);
    }
    const bucket = `${config.project.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-flow-logs`.slice(0, 63);
    for (const [key, { region, databases: held }] of vpcs) {
      const vpcId = key.slice(region.length + 1);
      const args = { databases: held.join(', '), region, vpc: shellQuote(vpcId), bucket: shellQuote(bucket) };
      const logs = activeLogs.get(regionalKey(region, vpcId)) ?? [];
      const ofAll = logs.filter((log) => log.trafficType === 'ALL');
      // Only a log known to run and not failing to deliver records anything.
      const all = ofAll.find((log) => log.status === 'ACTIVE' && log.deliverStatus !== 'FAILED');
      const evidence = { flowLogs: logs.map((log) => `${log.id} ${log.trafficType ?? '?'} → ${log.destinationType ?? '?'} (${log.status ?? 'status unknown'}, delivery ${log.deliverStatus ?? 'unknown'})`) };
      const unknown = ofAll.find((log) => log.status === null && log.deliverStatus !== 'FAILED');
      const failed = ofAll.find((log) => log.deliverStatus === 'FAILED');
      if (all) findings.push({ resource: vpcId, status: 'pass', code: 'active', args: { ...args, flowLog: all.id }, evidence });
      else if (unknown) findings.push({ resource: vpcId, status: 'unverified', code: 'status-unknown', args: { ...args, flowLog: unknown.id }, evidence });
      else if (failed) findings.push({ resource: vpcId, status: 'fail', code: 'delivery-failed', args: { ...args, flowLog: failed.id }, evidence });
      else if (logs[0]) findings.push({ resource: vpcId, status: 'fail', code: 'partial', args: { ...args, traffic: logs[0].trafficType ?? 'unknown', flowLog: logs[0].id }, evidence });
      else findings.push({ resource: vpcId, status: 'fail', code: 'no-flow-log', args, evidence });
    }
    if (unplaced.length > 0) findings.push({ resource: 'vpc', status: 'unverified', code: 'vpc-not-read', args: { databases: unplaced.join(', ') } });
    return findings;
  },
});
