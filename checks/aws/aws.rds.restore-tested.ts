import { z } from '../../src/zod.js';
import { defineCheck, optional, type FactOutcome, type FactValue } from '../../src/model.js';
import type { Config } from '../../src/config/schema.js';
import { attestations } from '../../src/facts/config.js';
import { rdsClusterSettings, rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';
import { shellQuote } from '../lib/shell.js';

type Placement = { id: string; region: string; subnetGroup: string | null; securityGroups: string[] };

const listed = <T>(outcome: FactOutcome<T[]>): T[] => (outcome.ok ? outcome.value : []);

/**
 * The database to restore: the first configured cluster, else the first configured instance, else the first found.
 * Its placement is read so that the copy (PHI) lands in the same subnets behind the same groups, not in the
 * default VPC: a placement that was not read is left for the user to fill in.
 */
function restoreCommand(config: Config, clusters: FactOutcome<FactValue<typeof rdsClusterSettings>>, instances: FactOutcome<FactValue<typeof rdsInstanceNetwork>>): string {
  const region = config.aws?.region ?? 'us-east-1';
  const foundClusters: Placement[] = listed(clusters);
  const standalone: Placement[] = listed(instances).filter((i) => i.clusterId === null);
  const wantedCluster = config.aws?.rds.clusters?.[0];
  const wantedInstance = config.aws?.rds.instances?.[0];
  const kind = wantedCluster !== undefined ? 'cluster' : wantedInstance !== undefined ? 'instance' : foundClusters.length > 0 || standalone.length === 0 ? 'cluster' : 'instance';
  const pool = kind === 'cluster' ? foundClusters : standalone;
  const wanted = kind === 'cluster' ? wantedCluster : wantedInstance;
  const database = wanted !== undefined ? pool.find((d) => d.id === wanted) : pool[0];
  const id = wanted ?? database?.id;
  const source = id === undefined ? `<${kind}-id>` : shellQuote(id);
  const copy = id === undefined ? `<${kind}-id>-restore-test` : shellQuote(`${id}-restore-test`);
  const subnetGroup = database?.subnetGroup ? shellQuote(database.subnetGroup) : '<db-subnet-group>';
  // A database read with no security group has none to copy (the copy then gets its VPC's default group).
  const groups = !database ? ' --vpc-security-group-ids <security-group-id>' : database.securityGroups.length > 0 ? ` --vpc-security-group-ids ${database.securityGroups.map(shellQuote).join(' ')}` : '';
  const placement = `--db-subnet-group-name ${subnetGroup}${groups} --region ${database?.region ?? region}`;
  return kind === 'cluster'
    ? `aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier ${source} --db-cluster-identifier ${copy} --use-latest-restorable-time ${placement}`
    : `aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier ${source} --target-db-instance-identifier ${copy} --use-latest-restorable-time --no-publicly-accessible ${placement}`;
}

export default defineCheck({
  meta: {
    id: 'aws.rds.restore-tested',
    title: 'A database restore was tested recently',
    failureTitle: 'No recent database restore test',
    description: 'Backups only count once a restore has been done: restore the cluster to a point in time, check the data, and record the date and evidence as the `restore-test` attestation at least every 90 days.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(D)'],
    phase: 2,
    attestations: ['restore-test'],
    remediation: {
      text: 'Restore the database to a new copy from its latest restorable time, in its own subnet group and security groups (the source is not touched); add an instance to a restored cluster, verify the data, delete the copy, and record the `restore-test` attestation',
      command: '{{restore}}',
      effortMinutes: 240,
    },
    messages: { ...ATTESTATION_MESSAGES },
    options: () => z.object({ maxAgeDays: z.number().int().positive().default(90).describe('How old a restore test may be, in days.') }),
  },
  facts: { attestations, clusters: optional(rdsClusterSettings), instances: optional(rdsInstanceNetwork) },
  evaluate({ attestations, clusters, instances }, { config, now, options }) {
    const finding = evaluateAttestation(attestations, 'restore-test', now, options.maxAgeDays);
    return [{ ...finding, args: { ...finding.args, restore: restoreCommand(config, clusters, instances) } }];
  },
});
