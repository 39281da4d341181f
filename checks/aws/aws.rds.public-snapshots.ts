import { defineCheck, type Finding } from '../../src/model.js';
import { rdsManualSnapshots } from '../../src/facts/aws-network.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'aws.rds.public-snapshots',
    title: 'No manual database snapshot is public',
    failureTitle: 'A manual database snapshot is public',
    description: 'A snapshot shared with `all` can be restored by any AWS account in the world: the whole PHI database, readable by whoever finds it.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Remove `all` from the snapshot’s restore attribute (share with named accounts only, if at all)',
      command: 'aws rds modify-db{{clusterPart}}-snapshot-attribute --db{{clusterPart}}-snapshot-identifier {{snapshot}} --attribute-name restore --values-to-remove all --region {{region}}',
      effortMinutes: 5,
    },
    messages: {
      private: 'Snapshot {{resource}} is not public{{shared}}',
      public: 'Snapshot {{resource}} (of {{source}}) can be restored by ANY AWS account',
      'shared-outside': 'Snapshot {{resource}} (of {{source}}) can be restored by account {{accounts}}, outside the account assessed',
      'not-read': 'Snapshot {{resource}}: who may restore it was not read ({{reason}})',
      'no-snapshots': 'No manual DB snapshot in the selected regions',
    },
    failureTitles: { 'shared-outside': 'A manual database snapshot is shared outside the assessed account' },
  },
  facts: { snapshots: rdsManualSnapshots },
  evaluate({ snapshots }, { config }) {
    if (snapshots.length === 0) return [{ resource: 'rds', status: 'pass', code: 'no-snapshots' }];
    return snapshots.map((snapshot): Finding => {
      const evidence = { arn: snapshot.arn, kind: snapshot.kind, restorableBy: snapshot.restorableBy, encrypted: snapshot.encrypted };
      if (!snapshot.restorableBy) return { resource: snapshot.id, status: 'unverified', code: 'not-read', args: { reason: snapshot.restoreError ?? 'not collected' }, evidence };
      if (snapshot.restorableBy.includes('all')) {
        const args = { source: snapshot.source ?? 'unknown', snapshot: shellQuote(snapshot.id), clusterPart: snapshot.kind === 'cluster' ? '-cluster' : '', region: snapshot.region };
        return { resource: snapshot.id, status: 'fail', code: 'public', args, evidence };
      }
      // A named account other than the owner holds a full copy of the database under controls nobody here assessed.
      const owner = snapshot.arn.split(':')[4] || config.aws?.accountId;
      const outside = snapshot.restorableBy.filter((account) => account !== owner);
      if (outside.length) return { resource: snapshot.id, status: 'fail', code: 'shared-outside', args: { source: snapshot.source ?? 'unknown', accounts: outside.join(', ') }, evidence };
      const shared = snapshot.restorableBy.length ? ` (shared with ${snapshot.restorableBy.join(', ')})` : '';
      return { resource: snapshot.id, status: 'pass', code: 'private', args: { shared }, evidence };
    });
  },
});
