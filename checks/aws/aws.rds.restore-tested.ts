import { z } from 'zod';
import { defineCheck } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';
import { shellQuote } from '../lib/shell.js';

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
      text: 'Restore the cluster to a new one from its latest restorable time, verify the data, delete the copy, and record the `restore-test` attestation',
      command: 'aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier {{cluster}} --db-cluster-identifier {{restoreCluster}} --use-latest-restorable-time --region {{region}}',
      effortMinutes: 240,
    },
    messages: { ...ATTESTATION_MESSAGES },
    options: z.object({ maxAgeDays: z.number().int().positive().default(90).describe('How old a restore test may be, in days.') }),
  },
  facts: { attestations },
  evaluate({ attestations }, { config, now, options }) {
    const finding = evaluateAttestation(attestations, 'restore-test', now, options.maxAgeDays);
    const cluster = config.aws?.rds.clusters?.[0] ?? '<cluster-id>';
    return [{ ...finding, args: { ...finding.args, cluster: shellQuote(cluster), restoreCluster: shellQuote(`${cluster}-restore-test`), region: config.aws?.region ?? 'us-east-1' } }];
  },
});
