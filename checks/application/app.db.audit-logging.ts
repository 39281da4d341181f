import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabaseTable } from '../../src/facts/postgres.js';
import { qualifiedName, sqlName, type DatabaseSchema } from '../lib/database.js';

const AUDIT = /audit/i;
const WRITE_EVENTS = ['INSERT', 'UPDATE', 'DELETE'];

/** pgaudit classes that log changes to tables: write (INSERT/UPDATE/DELETE) or all; `-write` removes it. */
function pgauditLogsWrites(log: string | null): boolean {
  if (!log) return false;
  const classes = log.toLowerCase().split(',').map((entry) => entry.trim());
  return (classes.includes('all') || classes.includes('write')) && !classes.includes('-write');
}

function findTable(schema: DatabaseSchema, configured: string): DatabaseTable | undefined {
  const matches = schema.tables.filter((table) => table.name === configured || qualifiedName(table) === configured);
  return matches.find((table) => schema.exposedSchemas.includes(table.schema)) ?? matches[0];
}

export default defineCheck({
  meta: {
    id: 'app.db.audit-logging',
    title: 'PHI tables are audit-logged',
    failureTitle: 'PHI tables are not audit-logged',
    description: 'HIPAA requires recording activity on systems holding PHI. Each table of `supabase.phiTables` needs an audit trigger covering INSERT, UPDATE and DELETE (e.g. supa_audit), or pgaudit logging writes. Triggers do not see reads: logging SELECT needs pgaudit `read`.',
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(b)'],
    phase: 1,
    remediation: {
      text: 'Track the table with an audit trigger (supa_audit shown) or enable pgaudit for writes',
      command: `psql "$SUPABASE_DB_URL" -c "create extension if not exists supa_audit; select audit.enable_tracking('{{regclass}}'::regclass);"`,
      effortMinutes: 30,
    },
    messages: {
      trigger: '{{resource}} is audited by trigger {{trigger}} ({{events}})',
      'partial-trigger': '{{resource}} has audit trigger {{trigger}} but it misses {{missingEvents}}',
      pgaudit: '{{resource}} writes are logged by pgaudit (pgaudit.log = {{log}})',
      'not-audited': '{{resource}} has no audit trigger and pgaudit does not log writes',
      'table-missing': 'PHI table {{resource}} (supabase.phiTables) does not exist in the database',
      'no-phi-tables': 'supabase.phiTables is empty: which tables hold PHI is unknown, so their audit logging cannot be verified',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const phiTables = config.supabase?.phiTables ?? [];
    if (phiTables.length === 0) return [{ resource: 'database', status: 'unverified', code: 'no-phi-tables', args: { regclass: '<schema>.<table>' } }];
    const pgauditSettings = [schema.pgaudit.log, ...schema.pgaudit.roleLog.map((setting) => setting.log)];
    const pgaudit = schema.pgaudit.installed && pgauditSettings.some(pgauditLogsWrites);
    const pgauditEvidence = { pgauditInstalled: schema.pgaudit.installed, pgauditLog: pgauditSettings.filter(Boolean).join('; ') || null };
    return phiTables.map((configured): Finding => {
      const table = findTable(schema, configured);
      if (!table) return { resource: configured, status: 'fail', code: 'table-missing', args: { regclass: configured }, evidence: pgauditEvidence };
      const resource = qualifiedName(table);
      const auditTriggers = table.triggers.filter((trigger) => AUDIT.test(trigger.name) || AUDIT.test(trigger.function));
      const covered = new Set(auditTriggers.flatMap((trigger) => trigger.events));
      const missingEvents = WRITE_EVENTS.filter((event) => !covered.has(event));
      const args = { regclass: `${table.schema}.${table.name}`, sqlName: sqlName(table), trigger: auditTriggers.map((t) => t.name).join(', '), events: [...covered].join('/'), missingEvents: missingEvents.join('/'), log: pgauditEvidence.pgauditLog ?? '' };
      const evidence = { ...pgauditEvidence, auditTriggers: auditTriggers.map((t) => `${t.name} → ${t.function} (${t.events.join('/')})`) };
      if (auditTriggers.length > 0 && missingEvents.length === 0) return { resource, status: 'pass', code: 'trigger', args, evidence };
      if (pgaudit) return { resource, status: 'pass', code: 'pgaudit', args, evidence };
      if (auditTriggers.length > 0) return { resource, status: 'fail', code: 'partial-trigger', args, evidence };
      return { resource, status: 'fail', code: 'not-audited', args, evidence };
    });
  },
});
