import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabaseTable } from '../../src/facts/postgres.js';
import { phiTablesOf, qualifiedName, shellWord, sqlLiteral, sqlName } from '../lib/database.js';

const AUDIT = /audit/i;
const WRITE_EVENTS = ['INSERT', 'UPDATE', 'DELETE'];

type Trigger = DatabaseTable['triggers'][number];
type Pgaudit = FactValue<typeof databaseSchema>['pgaudit'];
type PgauditSetting = NonNullable<Pgaudit['settings']>[number];

/** The roles PostgREST switches to after logging in as authenticator: the Data API writes as them. */
const API_WRITERS = ['anon', 'authenticated', 'service_role'];
/** pg_settings sources of a value the whole server has before any login (database, role) or session setting. */
const SERVER_SOURCES = new Set(['default', 'environment variable', 'configuration file', 'command line', 'override']);
const FIX_SQL = shellWord(`alter role authenticator set pgaudit.log = ${sqlLiteral('write, ddl')};`);

/** pgaudit classes that log changes to tables: write (INSERT/UPDATE/DELETE) or all; `-write` removes it. */
function pgauditLogsWrites(log: string | null): boolean {
  if (!log) return false;
  const classes = log.toLowerCase().split(',').map((entry) => entry.trim());
  return (classes.includes('all') || classes.includes('write')) && !classes.includes('-write');
}

/** supa_audit's own trigger function, or one that writes somewhere (an audit table): a trigger that only returns NEW records nothing. */
const records = (trigger: Trigger): boolean => trigger.functionExtension === 'supa_audit' || trigger.functionInserts;
const looksLikeAudit = (trigger: Trigger): boolean => trigger.functionExtension === 'supa_audit' || AUDIT.test(trigger.name) || AUDIT.test(trigger.function);

/** The write events it records every time: a WHEN condition may skip any, UPDATE OF skips updates of other columns; undefined when not collected. */
function fullyCovered(trigger: Trigger): string[] | undefined {
  const { when, updateOf } = trigger;
  if (when === undefined || updateOf === undefined) return undefined;
  if (when !== null) return [];
  return trigger.events.filter((event) => event !== 'UPDATE' || updateOf.length === 0);
}

const scope = (trigger: Trigger): string =>
  [trigger.when ? `WHEN (${trigger.when})` : '', trigger.updateOf?.length ? `UPDATE OF ${trigger.updateOf.join(', ')}` : ''].filter(Boolean).join(', ');

const enableTracking = (regclass: string): string => shellWord(`create extension if not exists supa_audit; select audit.enable_tracking(${sqlLiteral(regclass)}::regclass);`);

interface PgauditVerdict {
  /** none: pgaudit gives no evidence either way; the table's triggers decide. */
  status: 'pass' | 'unverified' | 'fail' | 'none';
  code?: 'pgaudit' | 'pgaudit-api-roles' | 'pgaudit-other-roles' | 'pgaudit-not-collected';
  log?: string;
  /** The value authenticator's logins get, and where it is set. */
  value?: string;
  roles?: string;
  sql?: string;
}

const settingText = (setting: PgauditSetting): string => `${setting.role ?? 'every role'}${setting.inDatabase ? ' in this database' : ''}: ${setting.log}`;

/**
 * Whether pgaudit logs the writes made through the Data API. pgaudit uses the session's pgaudit.log, and PostgreSQL applies
 * ALTER ROLE / ALTER DATABASE settings at login only (SET ROLE does not), in this order: role in this database, role,
 * this database, ALTER ROLE ALL, then the server's value. PostgREST logs in as authenticator, so that login's value is the
 * one that counts. PostgREST (11.1+) also applies its impersonated roles' settings, but only those of `user` context or
 * that authenticator may SET (GRANT SET ON PARAMETER): pgaudit.log is superuser-only, so a setting on anon, authenticated
 * or service_role may or may not apply.
 */
function pgauditVerdict(pgaudit: Pgaudit): PgauditVerdict {
  if (!pgaudit.installed) return { status: 'none' };
  const { server, settings } = pgaudit;
  if (server === undefined || settings === undefined) {
    // A snapshot from before the settings' scope was collected: a value that logs writes may be on any role, in any database.
    const seen = [pgaudit.log, ...pgaudit.roleLog.map((setting) => `${setting.role}: ${setting.log}`)].filter(Boolean).join('; ');
    return [pgaudit.log, ...pgaudit.roleLog.map((setting) => setting.log)].some(pgauditLogsWrites) ? { status: 'unverified', code: 'pgaudit-not-collected', log: seen } : { status: 'none', log: seen };
  }
  const forRole = (role: string | null) => settings.find((s) => s.role === role && s.inDatabase) ?? settings.find((s) => s.role === role && !s.inDatabase);
  // The server's own value is unknown when this session's came from a login setting (the collector's role or database).
  const serverKnown = server === null || SERVER_SOURCES.has(server.source);
  const serverText = server && (serverKnown ? `server (${server.source}): ${server.log ?? 'none'}` : `server: hidden by a ${server.source} setting`);
  const log = [...settings.map(settingText), ...(serverText ? [serverText] : [])].join('; ');
  const login = forRole('authenticator') ?? forRole(null);
  const loginText = login ? settingText(login) : serverKnown ? serverText : null;
  const loginLogsWrites = pgauditLogsWrites(login ? login.log : serverKnown ? (server?.log ?? null) : null);
  const apiSettings = API_WRITERS.flatMap((role) => forRole(role) ?? []);
  const apiOff = apiSettings.filter((setting) => !pgauditLogsWrites(setting.log));
  if (loginLogsWrites && apiOff.length === 0) return { status: 'pass', code: 'pgaudit', log, value: loginText! };
  // A setting on an impersonated role that does not log writes may switch off authenticator's, or may not apply at all.
  if (loginLogsWrites || (apiSettings.length === API_WRITERS.length && apiOff.length === 0))
    return { status: 'unverified', code: 'pgaudit-api-roles', log, roles: apiSettings.map(settingText).join('; '), sql: FIX_SQL };
  const others = settings.filter((setting) => pgauditLogsWrites(setting.log));
  // A setting that would apply to authenticator got here only because a narrower one (its login value) wins.
  const othersText = others.map((setting) => `${settingText(setting)}${setting.role === null || setting.role === 'authenticator' ? ` (overridden by ${settingText(login!)})` : ''}`).join('; ');
  if (others.length > 0) return { status: 'fail', code: 'pgaudit-other-roles', log, roles: othersText, sql: FIX_SQL };
  return { status: 'none', log };
}

function tableFinding(table: DatabaseTable, pgaudit: PgauditVerdict, pgauditEvidence: { pgauditInstalled: boolean; pgauditLog: string | null }): Finding {
  const resource = qualifiedName(table);
  const auditTriggers = table.triggers.filter(looksLikeAudit);
  const working = auditTriggers.filter((trigger) => trigger.enabled && records(trigger));
  const covered = new Set(working.flatMap((trigger) => trigger.events));
  const missingEvents = WRITE_EVENTS.filter((event) => !covered.has(event));
  const everyTime = working.map(fullyCovered);
  const coveredEveryTime = new Set(everyTime.flatMap((events) => events ?? []));
  const conditional = working.filter((trigger) => scope(trigger) !== '');
  const args = {
    sql: enableTracking(sqlName(table)),
    trigger: (working.length > 0 ? working : auditTriggers).map((t) => t.name).join(', '),
    events: [...covered].join('/'),
    missingEvents: missingEvents.join('/'),
    log: pgaudit.value ?? pgauditEvidence.pgauditLog ?? '',
    roles: pgaudit.roles ?? '',
    conditions: conditional.map((t) => `${t.name}: ${scope(t)}`).join('; '),
  };
  const evidence = {
    ...pgauditEvidence,
    auditTriggers: auditTriggers.map((t) => `${t.name} → ${t.function} (${t.events.join('/')}${t.enabled ? '' : ', disabled'}${records(t) ? '' : ', records nothing'}${scope(t) ? `, ${scope(t)}` : ''})`),
  };
  if (WRITE_EVENTS.every((event) => coveredEveryTime.has(event))) return { resource, status: 'pass', code: 'trigger', args, evidence };
  if (pgaudit.status === 'pass' || pgaudit.status === 'unverified') return { resource, status: pgaudit.status, code: pgaudit.code!, args: { ...args, sql: pgaudit.sql ?? args.sql }, evidence };
  // Every write fires some audit trigger, but not every time: what the condition lets through is unknown.
  if (working.length > 0 && missingEvents.length === 0) {
    return { resource, status: 'unverified', code: everyTime.includes(undefined) ? 'trigger-scope-not-collected' : 'conditional-trigger', args, evidence };
  }
  if (working.length > 0) return { resource, status: 'fail', code: 'partial-trigger', args, evidence };
  if (auditTriggers.some((trigger) => !trigger.enabled)) return { resource, status: 'fail', code: 'disabled-trigger', args, evidence };
  if (auditTriggers.length > 0) return { resource, status: 'fail', code: 'no-op-trigger', args, evidence };
  if (pgaudit.status === 'fail') return { resource, status: 'fail', code: pgaudit.code!, args: { ...args, sql: pgaudit.sql! }, evidence };
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
      'conditional-trigger': '{{resource}} has audit trigger {{trigger}} ({{events}}) but it fires only for some writes ({{conditions}}): whether every INSERT, UPDATE and DELETE is recorded is unknown',
      'trigger-scope-not-collected': '{{resource}} has audit trigger {{trigger}} ({{events}}), but this snapshot does not say whether it has a WHEN condition or fires only on UPDATE OF some columns: collect again',
      'disabled-trigger': '{{resource}} has audit trigger {{trigger}} but it is disabled (or fires only in replica mode)',
      'no-op-trigger': '{{resource}} has audit trigger {{trigger}} but its function records nothing (no INSERT, not supa_audit)',
      pgaudit: '{{resource}} writes are logged by pgaudit (pgaudit.log = {{log}})',
      'pgaudit-other-roles':
        "{{resource}} has no audit trigger and pgaudit logs writes only for {{roles}}, not for authenticator, the role the Data API logs in as: set pgaudit.log on authenticator (or database-wide where allowed: alter database postgres set pgaudit.log = 'write, ddl')",
      'pgaudit-api-roles':
        "{{resource}} has no audit trigger and pgaudit.log is set on the Data API's roles ({{roles}}): PostgREST applies that superuser-only setting only if authenticator may SET pgaudit.log, so whether Data API writes are logged is unknown: set it on authenticator and reset it on those roles",
      'pgaudit-not-collected': '{{resource}} has no audit trigger and pgaudit.log logs writes somewhere ({{log}}), but this snapshot does not say for which roles and databases: collect again',
      'not-audited': '{{resource}} has no audit trigger and pgaudit does not log writes',
      'table-missing': 'PHI table {{resource}} (supabase.phiTables) does not exist in the database',
      'no-phi-tables': 'supabase.phiTables is empty: which tables hold PHI is unknown, so their audit logging cannot be verified',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const phiTables = config.supabase?.phiTables ?? [];
    if (phiTables.length === 0) return [{ resource: 'database', status: 'unverified', code: 'no-phi-tables' }];
    const pgaudit = pgauditVerdict(schema.pgaudit);
    const pgauditEvidence = { pgauditInstalled: schema.pgaudit.installed, pgauditLog: pgaudit.log || null };
    const seen = new Set<string>();
    return phiTables.flatMap((configured): Finding[] => {
      const tables = phiTablesOf(schema, configured);
      if (tables.length === 0) return [{ resource: configured, status: 'fail', code: 'table-missing', args: { sql: enableTracking(configured) }, evidence: pgauditEvidence }];
      return tables.filter((table) => !seen.has(qualifiedName(table)) && seen.add(qualifiedName(table))).map((table) => tableFinding(table, pgaudit, pgauditEvidence));
    });
  },
});
