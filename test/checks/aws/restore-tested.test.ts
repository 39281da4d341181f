import { describe, expect, it } from 'vitest';
import restoreTested from '../../../checks/aws/aws.rds.restore-tested.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const NOW = '2025-10-11T22:30:00Z';
const restore = (date: string, over: Record<string, unknown> = {}) => ({ 'restore-test': { date, by: 'Ops', evidence: 'docs/ops/restore.md', expires: null, evidenceSha256: 'ab', evidenceFound: true, ...over } });
const none = { ok: true, value: [] };
const unread = { attestations: {}, clusters: none, instances: none };

describe('aws.rds.restore-tested', () => {
  const cases: CheckCase[] = [
    { name: 'restored 30 days ago passes', facts: { ...unread, attestations: restore('2025-09-11') }, now: NOW, expected: [['restore-test', 'pass', 'attested']] },
    { name: 'restored 91 days ago fails', facts: { ...unread, attestations: restore('2025-07-12') }, now: NOW, expected: [['restore-test', 'fail', 'attestation-stale']] },
    { name: 'never restored fails', facts: unread, now: NOW, expected: [['restore-test', 'fail', 'attestation-missing']] },
    { name: 'the restore report is gone', facts: { ...unread, attestations: restore('2025-10-01', { evidenceFound: false, evidenceSha256: null }) }, now: NOW, expected: [['restore-test', 'fail', 'evidence-missing']] },
    {
      name: 'the databases could not be listed: the attestation still decides',
      facts: { attestations: restore('2025-09-11'), clusters: { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } }, instances: { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } } },
      now: NOW,
      expected: [['restore-test', 'pass', 'attested']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(restoreTested, c)).toEqual(c.expected));

  const cluster = { id: 'db-1', region: 'eu-west-1', engine: 'aurora-postgresql', multiAz: false, port: 5432, subnetGroup: 'private', securityGroups: ['sg-db', 'sg-ops'], logExports: [] };
  const instance = { id: 'solo', region: 'eu-west-1', clusterId: null, engine: 'postgres', instanceClass: 'db.t3.micro', vpcId: 'vpc-1', subnetGroup: 'solo-private', subnets: [], securityGroups: ['sg-solo'], port: 5432, availabilityZone: null, multiAz: false, logExports: [] };
  const member = { ...instance, id: 'db-1-writer', clusterId: 'db-1', subnetGroup: 'private' };

  it('restores the configured cluster into its own subnet group and security groups, leaving the source alone', () => {
    const [command] = renderedCommands(restoreTested, { attestations: {}, clusters: [cluster], instances: [member] }, { aws: { region: 'eu-west-1', rds: { clusters: ['db-1'] } } });
    expect(command).toBe('aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier db-1 --db-cluster-identifier db-1-restore-test --use-latest-restorable-time --db-subnet-group-name private --vpc-security-group-ids sg-db sg-ops --region eu-west-1');
  });

  it('restores a standalone instance, not publicly accessible, when only instances are configured', () => {
    const [command] = renderedCommands(restoreTested, { attestations: {}, clusters: [cluster], instances: [member, instance] }, { aws: { region: 'eu-west-1', rds: { instances: ['solo'] } } });
    expect(command).toBe(
      'aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier solo --target-db-instance-identifier solo-restore-test --use-latest-restorable-time --no-publicly-accessible --db-subnet-group-name solo-private --vpc-security-group-ids sg-solo --region eu-west-1',
    );
  });

  it('a placement that was not read is left to the user (the copy must not land in the default VPC)', () => {
    const [command] = renderedCommands(restoreTested, { attestations: {}, clusters: [], instances: [] }, { aws: { region: 'eu-west-1', rds: { clusters: ["db'1"] } } });
    expect(command).toBe(
      "aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier 'db'\\''1' --db-cluster-identifier 'db'\\''1-restore-test' --use-latest-restorable-time --db-subnet-group-name <db-subnet-group> --vpc-security-group-ids <security-group-id> --region eu-west-1",
    );
    const [unknown] = renderedCommands(restoreTested, { attestations: {}, clusters: [], instances: [] }, { aws: { region: 'eu-west-1' } });
    expect(unknown).toContain('--source-db-cluster-identifier <cluster-id> --db-cluster-identifier <cluster-id>-restore-test');
  });

  it('without a selection, restores the first cluster found', () => {
    const [command] = renderedCommands(restoreTested, { attestations: {}, clusters: [cluster], instances: [instance] }, { aws: { region: 'us-east-1' } });
    expect(command).toContain('--source-db-cluster-identifier db-1 --db-cluster-identifier db-1-restore-test');
    expect(command).toContain('--region eu-west-1');
    const [ungrouped] = renderedCommands(restoreTested, { attestations: {}, clusters: [{ ...cluster, securityGroups: [] }], instances: [] }, { aws: { region: 'us-east-1' } });
    expect(ungrouped).toContain('--db-subnet-group-name private --region eu-west-1');
  });
});
