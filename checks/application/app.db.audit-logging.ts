import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabaseTable } from '../../src/facts/postgres.js';
import { phiTablesOf, qualifiedName, shellWord, sqlLiteral, sqlName } from '../lib/database.js';

const AUDIT = /audit/i;
const WRITE_EVENTS = ['INSERT', 'UPDATE', 'DELETE'];

type Trigger = DatabaseTable['triggers'][number];

/** pgaudit classes that log changes to tables: write (INSERT/UPDATE/DELETE) or all; `-write` removes it. */
function pgauditLogsWrites(log: string | null): boolean {
  if (!log) return false;
  const classes = log.toLowerCase().split(',').map((entry) => entry.trim());
  return (classes.includes('all') || classes.includes('write')) && !classes.includes('-write');
}

/** supa_audit's own trigger function, or one that writes somewhere (an audit table): a trigger that only returns NEW records nothing. */
const records = (trigger: Trigger): boolean => trigger.functionExtension === 'supa_audit' || trigger.functionInserts;
const looksLikeAudit = (trigger: Trigger): boolean => trigger.functionExtension === 'supa_audit' || AUDIT.test(trigger.name) || AUDIT.test(trigger.function);

const enableTracking = (regclass: string): string => shellWord(`create extension if not exists supa_audit; select audit.enable_tracking(${sqlLiteral(regclass)}::regclass);`);

function tableFinding(table: DatabaseTable, pgaudit: boolean, pgauditEvidence: { pgauditInstalled: boolean; pgauditLog: string | null }): Finding {
  const resource = qualifiedName(table);
  const auditTriggers = table.triggers.filter(looksLikeAudit);
  const working = auditTriggers.filter((trigger) => trigger.enabled && records(trigger));
  const covered = new Set(working.flatMap((trigger) => trigger.events));
  const missingEvents = WRITE_EVENTS.filter((event) => !covered.has(event));
  const args = {
    sql: enableTracking(sqlName(table)),
    trigger: (working.length > 0 ? working : auditTriggers).map((t) => t.name).join(', '),
    events: [...covered].join('/'),
    missingEvents: missingEvents.join('/'),
    log: pgauditEvidence.pgauditLog ?? '',
  };
  const evidence = {
    ...pgauditEvidence,
    auditTriggers: auditTriggers.map((t) => `${t.name} → ${t.function} (${t.events.join('/')}${t.enabled ? '' : ', disabled'}${records(t) ? '' : ', records nothing'})`),
  };
  if (working.length > 0 && missingEvents.length === 0) return { resource, status: 'pass', code: 'trigger', args, evidence };
  if (pgaudit) return { resource, status: 'pass', code: 'pgaudit', args, evidence };
  if (working.length > 0) return { resource, status: 'fail', code: 'partial-trigger', args, evidence };
  if (auditTriggers.some((trigger) => !trigger.enabled)) return { resource, status: 'fail', code: 'disabled-trigger', args, evidence };
  if (auditTriggers.length > 0) return { resource, status: 'fail', code: 'no-op-trigger', args, evidence };
  return { resource, status: 'fail', code: 'not-audited', args, evidence };
}

export default defineCheck({
  meta: {
    id: 'app.db.audit-logging',
    title: 'PHI tables are audit-logged',
    failureTitle: 'PHI tables are not audit-logged',
    description:
      'HIPAA requires recording activity on systems holding PHI. Each table of `supabase.phiTables` (a name without schema means that table in every exposed schema) needs an enabled audit trigger covering INSERT, UPDATE and DELETE whose function records the change (e.g. supa_audit), or pgaudit logging writes. Triggers do not see reads: logging SELECT needs pgaudit `read`.',
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(b)'],
    phase: 1,
    remediation: {
      text: 'Track the table with an audit trigger (supa_audit shown) or enable pgaudit for writes',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 30,
    },
    messages: {
      trigger: '{{resource}} is audited by trigger {{trigger}} ({{events}})',
      'partial-trigger': '{{resource}} has audit trigger {{trigger}} but it misses {{missingEvents}}',
      'disabled-trigger': '{{resource}} has audit trigger {{trigger}} but it is disabled (or fires only in replica mode)',
      'no-op-trigger': '{{resource}} has audit trigger {{trigger}} but its function records nothing (no INSERT, not supa_audit)',
      pgaudit: '{{resource}} writes are logged by pgaudit (pgaudit.log = {{log}})',
      'not-audited': '{{resource}} has no audit trigger and pgaudit does not log writes',
      'table-missing': 'PHI table {{resource}} (supabase.phiTables) does not exist in the database',
      'no-phi-tables': 'supabase.phiTables is empty: which tables hold PHI is unknown, so their audit logging cannot be verified',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const phiTables = config.supabase?.phiTables ?? [];
    if (phiTables.length === 0) return [{ resource: 'database', status: 'unverified', code: 'no-phi-tables' }];
    const pgauditSettings = [schema.pgaudit.log, ...schema.pgaudit.roleLog.map((setting) => setting.log)];
    const pgaudit = schema.pgaudit.installed && pgauditSettings.some(pgauditLogsWrites);
    const pgauditEvidence = { pgauditInstalled: schema.pgaudit.installed, pgauditLog: pgauditSettings.filter(Boolean).join('; ') || null };
    const seen = new Set<string>();
    return phiTables.flatMap((configured): Finding[] => {
      const tables = phiTablesOf(schema, configured);
      if (tables.length === 0) return [{ resource: configured, status: 'fail', code: 'table-missing', args: { sql: enableTracking(configured) }, evidence: pgauditEvidence }];
      return tables.filter((table) => !seen.has(qualifiedName(table)) && seen.add(qualifiedName(table))).map((table) => tableFinding(table, pgaudit, pgauditEvidence));
    });
  },
});
