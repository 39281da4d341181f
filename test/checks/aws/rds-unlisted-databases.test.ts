import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws/aws.rds.unlisted-databases.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';
import { growth } from '../../support/scans.js';

const cluster = (id: string, over: Record<string, unknown> = {}) => ({ id, arn: `arn:aws:rds:us-east-1:1:cluster:${id}`, region: 'us-east-1', engine: 'aurora-postgresql', storageEncrypted: true, ...over });
const instance = (id: string, over: Record<string, unknown> = {}) => ({
  id, arn: `arn:aws:rds:us-east-1:1:db:${id}`, region: 'us-east-1', engine: 'postgres', clusterId: null, publiclyAccessible: false, storageEncrypted: true, ...over,
});
const onlyEhr = { aws: { rds: { clusters: ['ehr'] } } };

describe('aws.rds.unlisted-databases', () => {
  const cases: CheckCase[] = [
    { name: 'no list: every database is assessed elsewhere', facts: { account: { clusters: [cluster('ehr')], instances: [instance('solo', { publiclyAccessible: true })] } }, expected: [['rds', 'pass', 'no-list']] },
    {
      name: 'every database listed passes',
      facts: { account: { clusters: [cluster('ehr')], instances: [instance('ehr-1', { clusterId: 'ehr' }), instance('solo', { publiclyAccessible: true })] } },
      config: { aws: { rds: { clusters: ['ehr'], instances: ['solo'] } } },
      expected: [['rds', 'pass', 'all-listed']],
    },
    {
      name: 'an unlisted public or unencrypted standalone instance fails; a safe one is named as left out',
      facts: { account: { clusters: [cluster('ehr')], instances: [instance('public-copy', { publiclyAccessible: true }), instance('plain-copy', { storageEncrypted: false }), instance('safe-copy')] } },
      config: onlyEhr,
      expected: [['public-copy', 'fail', 'unlisted-exposed'], ['plain-copy', 'fail', 'unlisted-exposed'], ['rds', 'not_applicable', 'left-out']],
    },
    {
      name: "a cluster's encryption is its own, whatever its members report",
      facts: { account: { clusters: [cluster('ehr'), cluster('old', { storageEncrypted: false }), cluster('new')], instances: [instance('old-1', { clusterId: 'old', storageEncrypted: true }), instance('new-1', { clusterId: 'new', storageEncrypted: false })] } },
      config: onlyEhr,
      expected: [['old', 'fail', 'unlisted-exposed'], ['rds', 'not_applicable', 'left-out']],
    },
    {
      name: 'an unlisted cluster is public when any member is',
      facts: { account: { clusters: [cluster('ehr'), cluster('analytics')], instances: [instance('analytics-1', { clusterId: 'analytics' }), instance('analytics-2', { clusterId: 'analytics', publiclyAccessible: true })] } },
      config: onlyEhr,
      expected: [['analytics', 'fail', 'unlisted-exposed']],
    },
    {
      name: "a listed cluster's public member is left to aws.rds.public-access",
      facts: { account: { clusters: [cluster('ehr')], instances: [instance('ehr-1', { clusterId: 'ehr', publiclyAccessible: true })] } },
      config: onlyEhr,
      expected: [['rds', 'pass', 'all-listed']],
    },
    {
      name: 'listing a member instance does not list its cluster',
      facts: { account: { clusters: [cluster('ehr'), cluster('analytics', { storageEncrypted: false })], instances: [instance('analytics-1', { clusterId: 'analytics' })] } },
      config: { aws: { rds: { clusters: ['ehr'], instances: ['analytics-1'] } } },
      expected: [['analytics', 'fail', 'unlisted-exposed']],
    },
    {
      name: 'with only instances listed every cluster is assessed elsewhere, other standalone instances are not',
      facts: { account: { clusters: [cluster('ehr', { storageEncrypted: false })], instances: [instance('solo'), instance('forgotten', { publiclyAccessible: true })] } },
      config: { aws: { rds: { instances: ['solo'] } } },
      expected: [['forgotten', 'fail', 'unlisted-exposed']],
    },
    {
      name: "membership is per region: a member of a same-named cluster elsewhere does not make this one public",
      facts: {
        account: {
          clusters: [cluster('ehr'), cluster('dr', { region: 'us-east-1' })],
          instances: [instance('dr-1', { clusterId: 'dr', region: 'us-west-2', publiclyAccessible: true })],
        },
      },
      config: onlyEhr,
      // dr-1's cluster was not described in us-west-2: judged on its own, it is public.
      expected: [['dr-1', 'fail', 'unlisted-exposed'], ['rds', 'not_applicable', 'left-out']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(check, c)).toEqual(c.expected));

  it('names what is wrong and which databases were left out', () => {
    const account = { clusters: [cluster('ehr'), cluster('analytics', { storageEncrypted: false })], instances: [instance('analytics-2', { clusterId: 'analytics', publiclyAccessible: true }), instance('scratch'), instance('tmp')] };
    expect(renderedMessages(check, { account }, onlyEhr)).toEqual([
      'Cluster analytics (us-east-1) is not in aws.rds.clusters / aws.rds.instances, so no other RDS check assesses it, and it is publicly accessible through instance(s) analytics-2 and not encrypted at rest',
      '2 database(s) are not in aws.rds.clusters / aws.rds.instances, so only their public access and storage encryption are assessed: scratch, tmp',
    ]);
  });

  it('quotes every name in the fix: per public member a modify call, then the snapshot that starts the encrypted copy', () => {
    const account = {
      clusters: [cluster('ehr'), cluster("it's", { storageEncrypted: false })],
      instances: [instance('a b', { clusterId: "it's", publiclyAccessible: true }), instance('$(reboot)', { storageEncrypted: false })],
    };
    expect(renderedCommands(check, { account }, onlyEhr)).toEqual([
      "aws rds modify-db-instance --db-instance-identifier 'a b' --no-publicly-accessible --apply-immediately --region us-east-1 && " +
        "aws rds create-db-cluster-snapshot --db-cluster-identifier 'it'\\''s' --db-cluster-snapshot-identifier 'it'\\''s-pre-encryption' --region us-east-1",
      "aws rds create-db-snapshot --db-instance-identifier '$(reboot)' --db-snapshot-identifier '$(reboot)-pre-encryption' --region us-east-1",
    ]);
  });

  it('an init-style list of every database is looked up, not scanned per database', () => {
    const estate = (size: number) => {
      const clusters = Array.from({ length: size }, (_, i) => cluster(`c-${i}`));
      const members = clusters.flatMap((c) => [instance(`${c.id}-1`, { clusterId: c.id }), instance(`${c.id}-2`, { clusterId: c.id, publiclyAccessible: true })]);
      const solos = Array.from({ length: size }, (_, i) => instance(`solo-${i}`));
      const facts = { account: { clusters: [...clusters, cluster('left-c', { storageEncrypted: false })], instances: [...members, ...solos, instance('left-i', { publiclyAccessible: true })] } };
      return { facts, config: { aws: { rds: { clusters: clusters.map((c) => c.id), instances: solos.map((s) => s.id) } } } as never };
    };
    expect(growth(check, estate).scans).toBeLessThan(5);
  });
});
