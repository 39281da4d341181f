import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import publicSnapshots from '../../../checks/aws/aws.rds.public-snapshots.js';
import { rdsManualSnapshots } from '../../../src/facts/aws-network.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { startFaultProxy } from '../../support/fault-proxy.js';
import { startRewritingProxy } from '../../support/rewriting-proxy.js';

// The real collector against moto_server (moto's account is 123456789012), the check on what it read.

const env = motoForFile();
const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };
const VENDOR = '999988887777';

async function instanceSnapshot(rds: RDSClient, id: string, restore: string[]) {
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-db`, Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, ...credentials }));
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: `${id}-db`, DBSnapshotIdentifier: id }));
  if (restore.length) await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: id, AttributeName: 'restore', ValuesToAdd: restore }));
}

async function clusterSnapshot(rds: RDSClient, id: string, restore: string[]) {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: `${id}-aurora`, Engine: 'aurora-postgresql', EngineVersion: '15.3', ...credentials }));
  await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: `${id}-aurora`, DBClusterSnapshotIdentifier: id }));
  if (restore.length) await rds.send(new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: id, AttributeName: 'restore', ValuesToAdd: restore }));
}

describe('aws.rds.public-snapshots against moto', () => {
  it('fails instance and cluster snapshots shared with an account outside the one assessed', async () => {
    const rds = env.client(RDSClient);
    await instanceSnapshot(rds, 'to-vendor', [VENDOR]);
    await clusterSnapshot(rds, 'aurora-to-vendor', [VENDOR]);
    await instanceSnapshot(rds, 'kept', []);
    const run = await collectAws(env.moto, [rdsManualSnapshots]);
    expect(run.results(publicSnapshots).sort()).toEqual(
      [
        ['to-vendor', 'fail', 'shared-outside'],
        ['aurora-to-vendor', 'fail', 'shared-outside'],
        ['kept', 'pass', 'private'],
      ].sort(),
    );
  });

  it('a restore attribute refused for one snapshot leaves that one unverified and still fails the public ones', async () => {
    const rds = env.client(RDSClient);
    await instanceSnapshot(rds, 'locked', []);
    await instanceSnapshot(rds, 'oops-public', ['all']);
    await clusterSnapshot(rds, 'aurora-locked', []);
    await clusterSnapshot(rds, 'aurora-public', ['all']);
    const refused = (action: string, id: string) => startFaultProxy(env.moto.endpoint, { action, fault: 'http-403', when: (body) => new URLSearchParams(body).get(action.endsWith('ClusterSnapshotAttributes') ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier') === id });
    const instanceProxy = await refused('rds:DescribeDBSnapshotAttributes', 'locked');
    const clusterProxy = await refused('rds:DescribeDBClusterSnapshotAttributes', 'aurora-locked');
    try {
      for (const proxy of [instanceProxy, clusterProxy]) {
        const run = await collectAws({ endpoint: proxy.endpoint }, [rdsManualSnapshots]);
        const locked = proxy === instanceProxy ? 'locked' : 'aurora-locked';
        expect(proxy.injected).toBeGreaterThan(0);
        expect(run.results(publicSnapshots).sort()).toEqual(
          [
            ['locked', 'unverified', 'not-read'],
            ['aurora-locked', 'unverified', 'not-read'],
            ['oops-public', 'fail', 'public'],
            ['aurora-public', 'fail', 'public'],
          ]
            .map((r) => (r[0] === locked || r[1] !== 'unverified' ? r : [r[0], 'pass', 'private']))
            .sort(),
        );
      }
    } finally {
      await instanceProxy.stop();
      await clusterProxy.stop();
    }
  });

  it('reads every assessed region, not only the default one', async () => {
    await instanceSnapshot(env.client(RDSClient, 'us-west-2'), 'west-public', ['all']);
    await clusterSnapshot(env.client(RDSClient, 'eu-west-1'), 'eu-public', ['all']);
    const run = await collectAws(env.moto, [rdsManualSnapshots], { aws: { region: 'us-east-1', regions: ['us-east-1', 'us-west-2', 'eu-west-1'] } });
    expect(run.results(publicSnapshots).sort()).toEqual([['eu-public', 'fail', 'public'], ['west-public', 'fail', 'public']]);
  });

  it('follows Marker to the last page of snapshots (moto answers in one page: a proxy pages it as AWS does)', async () => {
    const rds = env.client(RDSClient);
    await instanceSnapshot(rds, 'first-page', []);
    await instanceSnapshot(rds, 'second-page-public', ['all']);
    await clusterSnapshot(rds, 'aurora-first', []);
    await clusterSnapshot(rds, 'aurora-second-public', ['all']);
    // One snapshot a page: the first answer keeps the first element and a Marker; the request with the Marker gets the rest.
    const pagesServed: string[] = [];
    const paged = (element: string) => ({
      answer(answer: { status: number; headers: Record<string, string>; body: string }, request: string) {
        pagesServed.push(element);
        const items = [...answer.body.matchAll(new RegExp(`<${element}>[\\s\\S]*?</${element}>`, 'g'))].map((m) => m[0]);
        const later = new URLSearchParams(request).get('Marker') === 'page-2';
        const kept = later ? items.slice(1) : items.slice(0, 1);
        const list = `<${element}s>${kept.join('')}</${element}s>${later ? '' : '<Marker>page-2</Marker>'}`;
        return { ...answer, body: answer.body.replace(new RegExp(`<${element}s>[\\s\\S]*</${element}s>|<${element}s/>`), list) };
      },
    });
    const proxy = await startRewritingProxy(env.moto.endpoint, { 'rds:DescribeDBSnapshots': paged('DBSnapshot'), 'rds:DescribeDBClusterSnapshots': paged('DBClusterSnapshot') });
    try {
      const run = await collectAws({ endpoint: proxy.endpoint }, [rdsManualSnapshots]);
      expect(pagesServed).toEqual(['DBSnapshot', 'DBSnapshot', 'DBClusterSnapshot', 'DBClusterSnapshot']);
      expect(run.results(publicSnapshots).sort()).toEqual(
        [
          ['first-page', 'pass', 'private'],
          ['second-page-public', 'fail', 'public'],
          ['aurora-first', 'pass', 'private'],
          ['aurora-second-public', 'fail', 'public'],
        ].sort(),
      );
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ['rds:DescribeDBSnapshots', 'DBSnapshots'],
    ['rds:DescribeDBClusterSnapshots', 'DBClusterSnapshots'],
  ])('an answer of %s without its %s list is malformed, never "no snapshots"', async (action, list) => {
    const rds = env.client(RDSClient);
    await instanceSnapshot(rds, 'oops-public', ['all']);
    await clusterSnapshot(rds, 'aurora-public', ['all']);
    // The fault proxy knows no snapshot lists: the rewriting one takes the list element out.
    const proxy = await startRewritingProxy(env.moto.endpoint, {
      [action]: { answer: (answer) => ({ ...answer, body: answer.body.replace(new RegExp(`<${list}>[\\s\\S]*</${list}>|<${list}/>`), '') }) },
    });
    try {
      const run = await collectAws({ endpoint: proxy.endpoint }, [rdsManualSnapshots]);
      const outcome = run.outcomes.get(rdsManualSnapshots.id)!;
      expect(outcome.ok ? 'ok' : outcome.failure.kind).toBe('MalformedResponse');
      expect(run.results(publicSnapshots).map((r) => r[1])).toEqual(['unverified']);
    } finally {
      await proxy.close();
    }
  });
});
