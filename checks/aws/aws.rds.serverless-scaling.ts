import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters } from '../../src/facts/aws.js';

export default defineCheck({
  meta: {
    id: 'aws.rds.serverless-scaling',
    title: 'Serverless v2 capacity is inside the planned bounds',
    failureTitle: 'Serverless v2 capacity is outside the planned bounds',
    description: 'Aurora Serverless v2 scales between a minimum and a maximum ACU. A minimum below plan starves the database after idle periods; a maximum above plan breaks the budget. Bounds come from `aws.rds.serverless`.',
    section: 'aws',
    severity: 'low',
    layer: 'infrastructure',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Set the Serverless v2 scaling range to the planned bounds',
      command: 'aws rds modify-db-cluster --db-cluster-identifier {{resource}} --serverless-v2-scaling-configuration MinCapacity={{wantMin}},MaxCapacity={{wantMax}} --apply-immediately --region {{region}}',
      effortMinutes: 10,
    },
    messages: {
      'within-bounds': '{{resource}} scales {{capacity}}, inside {{bounds}}',
      'no-bounds': '{{resource}} scales {{capacity}} (no bounds configured in aws.rds.serverless)',
      'below-min': '{{resource}} scales {{capacity}}: minimum below the planned {{wantMin}} ACU',
      'above-max': '{{resource}} scales {{capacity}}: maximum above the planned {{wantMax}} ACU',
      'auto-pause': '{{resource}} scales {{capacity}}: at 0 ACU it pauses when idle and is unavailable until it resumes',
      provisioned: '{{resource}} is provisioned, not Serverless v2',
      missing: 'Configured cluster {{resource}} was not found',
    },
  },
  facts: { clusters: rdsClusters },
  evaluate({ clusters }, { config }) {
    const bounds = config.aws?.rds.serverless;
    return clusters.map((cluster): Finding => {
      if (cluster.missing) return { resource: cluster.id, status: 'fail', code: 'missing' };
      if (!cluster.serverless) return { resource: cluster.id, status: 'not_applicable', code: 'provisioned', evidence: { arn: cluster.arn } };
      const { minCapacity, maxCapacity } = cluster.serverless;
      const capacity = `${minCapacity}–${maxCapacity} ACU`;
      const wantMin = bounds?.minCapacity ?? minCapacity;
      const wantMax = bounds?.maxCapacity ?? maxCapacity;
      const args = { capacity, bounds: `${wantMin}–${wantMax} ACU`, wantMin, wantMax, region: cluster.region };
      const evidence = { arn: cluster.arn, capacity, minCapacity, maxCapacity };
      // 0 ACU auto-pauses: idle, the database refuses connections until it resumes (about 15 s). No plan allows it (a
      // planned minimum is positive, and below it is below-min); 0.5 ACU is the lowest minimum that never pauses.
      if (minCapacity === 0 && bounds?.minCapacity === undefined) {
        return { resource: cluster.id, status: 'fail', code: 'auto-pause', args: { ...args, wantMin: 0.5 }, evidence };
      }
      if (!bounds || (bounds.minCapacity === undefined && bounds.maxCapacity === undefined)) {
        return { resource: cluster.id, status: 'pass', code: 'no-bounds', args, evidence };
      }
      if (minCapacity < wantMin) return { resource: cluster.id, status: 'fail', code: 'below-min', args, evidence };
      if (maxCapacity > wantMax) return { resource: cluster.id, status: 'fail', code: 'above-max', args, evidence };
      return { resource: cluster.id, status: 'pass', code: 'within-bounds', args, evidence };
    });
  },
});
