import { describe, expect, it } from 'vitest';
import publicSnapshots from '../../../checks/aws/aws.rds.public-snapshots.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Facts shaped as the RDS snapshot collector writes them: the ARN names the owning (assessed) account; `restorableBy`
// is null, with `restoreError`, when the snapshot's restore attribute could not be read.

const OWNER = '123456789012';
const snapshot = (id: string, restorableBy: string[] | null, over: Record<string, unknown> = {}) => ({
  id, arn: `arn:aws:rds:us-east-1:${OWNER}:snapshot:${id}`, kind: 'instance', region: 'us-east-1', source: 'db', encrypted: true, restorableBy, ...over,
});

describe('aws.rds.public-snapshots', () => {
  const cases: CheckCase[] = [
    { name: 'no manual snapshot passes', facts: { snapshots: [] }, expected: [['rds', 'pass', 'no-snapshots']] },
    { name: 'a snapshot shared with nobody passes', facts: { snapshots: [snapshot('quiet', [])] }, expected: [['quiet', 'pass', 'private']] },
    { name: 'a snapshot restorable by all fails', facts: { snapshots: [snapshot('oops', ['all'])] }, expected: [['oops', 'fail', 'public']] },
    {
      name: 'a snapshot shared with an account outside the assessment fails',
      facts: { snapshots: [snapshot('to-vendor', ['999988887777']), snapshot('to-vendor-cluster', ['999988887777'], { kind: 'cluster', arn: `arn:aws:rds:us-east-1:${OWNER}:cluster-snapshot:c` })] },
      expected: [['to-vendor', 'fail', 'shared-outside'], ['to-vendor-cluster', 'fail', 'shared-outside']],
    },
    {
      name: 'a snapshot shared only with its own account passes: the owner is the ARN\'s account, or else the configured account id',
      facts: { snapshots: [snapshot('own', [OWNER]), snapshot('no-arn', [OWNER], { arn: '' })] },
      config: { aws: { accountId: OWNER } },
      expected: [['own', 'pass', 'private'], ['no-arn', 'pass', 'private']],
    },
    { name: 'with no owner known, a named account cannot be placed: it fails', facts: { snapshots: [snapshot('no-arn', ['111122223333'], { arn: '' })] }, expected: [['no-arn', 'fail', 'shared-outside']] },
    {
      name: 'a snapshot whose restore attribute was not read is unverified, the others keep their verdicts',
      facts: { snapshots: [snapshot('locked', null, { restoreError: 'AccessDenied calling rds:DescribeDBSnapshotAttributes: denied' }), snapshot('oops', ['all'])] },
      expected: [['locked', 'unverified', 'not-read'], ['oops', 'fail', 'public']],
    },
    {
      name: 'an unread restore attribute without its reason is unverified too',
      facts: { snapshots: [snapshot('locked', null)] },
      expected: [['locked', 'unverified', 'not-read']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(publicSnapshots, c)).toEqual(c.expected));

  it('names the outside accounts and the reason a snapshot was not read; offers no `remove all` command for them', () => {
    const facts = { snapshots: [snapshot('to-vendor', ['999988887777', OWNER]), snapshot('locked', null, { restoreError: 'AccessDenied calling rds:DescribeDBSnapshotAttributes: denied' })] };
    expect(renderedMessages(publicSnapshots, facts)).toEqual([
      'Snapshot to-vendor (of db) can be restored by account 999988887777, outside the account assessed',
      "Snapshot locked: who may restore it was not read (AccessDenied calling rds:DescribeDBSnapshotAttributes: denied)",
    ]);
    expect(renderedCommands(publicSnapshots, facts)).toEqual([undefined, undefined]);
  });
});
