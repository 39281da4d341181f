import { defineCheck, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { rdsClusterSettings, rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import { assessedDatabases, regionalEntry } from '../lib/rds-databases.js';
import { shellQuote } from '../lib/shell.js';

/** The log type that carries connections, errors and (with pgaudit) statements, by engine family. */
function requiredLogType(engine: string): string {
  if (/postgres/.test(engine)) return 'postgresql';
  if (/mysql|maria/.test(engine)) return 'audit';
  return 'error';
}

export default defineCheck({
  meta: {
    id: 'aws.rds.log-exports',
    title: 'Database logs are exported to CloudWatch Logs',
    failureTitle: 'Database logs are not exported to CloudWatch Logs',
    description:
      'Connection, error and audit logs kept only on the database host are lost with it and cannot be searched or alarmed on; exported to CloudWatch Logs they become part of the audit trail (PostgreSQL: the `postgresql` log).',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Export the engine’s log to CloudWatch Logs (and set a retention on the log group)',
      command: "aws rds modify-db-{{kind}} --db-{{kind}}-identifier {{id}} --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"{{logType}}\"]}' --apply-immediately --region {{region}}",
      effortMinutes: 10,
    },
    messages: {
      exported: '{{resource}} exports its {{logType}} log to CloudWatch Logs',
      'not-exported': '{{resource}} does not export its {{logType}} log (exports: {{exports}})',
      'not-read': 'The log export settings of {{resource}} were not read',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': 'No DB cluster or instance found in the selected regions',
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances, clusterSettings: rdsClusterSettings, network: rdsInstanceNetwork },
  evaluate({ clusters, instances, clusterSettings, network }) {
    const databases = assessedDatabases(clusters, instances);
    if (databases.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    return databases.map((db): Finding => {
      if (db.missing) return { resource: db.resource, status: 'fail', code: 'missing' };
      const logType = requiredLogType(db.engine);
      // Aurora exports at cluster level; a standalone instance at its own.
      const exports =
        db.kind === 'cluster'
          ? regionalEntry(clusterSettings, db.region, db.resource)?.logExports
          : regionalEntry(network, db.region, db.resource)?.logExports;
      if (!exports) return { resource: db.resource, status: 'unverified', code: 'not-read', args: { logType } };
      const args = { logType, exports: exports.join(', ') || 'none', kind: db.kind, id: shellQuote(db.resource), region: db.region };
      const evidence = { engine: db.engine, logExports: exports };
      if (exports.includes(logType)) return { resource: db.resource, status: 'pass', code: 'exported', args, evidence };
      return { resource: db.resource, status: 'fail', code: 'not-exported', args, evidence };
    });
  },
});
