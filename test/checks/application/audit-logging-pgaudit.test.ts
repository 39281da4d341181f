import { describe, expect, it } from 'vitest';
import auditLogging from '../../../checks/application/app.db.audit-logging.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

type Setting = { role: string | null; inDatabase: boolean; log: string };
const config = { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: ['clinical_notes'] } };
const partialTrigger = { name: 'audit_i_u', function: 'audit.insert_update_delete_trigger', events: ['INSERT', 'UPDATE'], enabled: true, functionInserts: true, functionExtension: null };
const schema = (pgaudit: Record<string, unknown>, triggers: unknown[] = []) => ({
  exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', views: [], functions: [], apiRoles: [], extensions: [],
  tables: [{ schema: 'public', name: 'clinical_notes', kind: 'table', owner: 'postgres', rlsEnabled: true, rlsForced: false, policies: [], apiAccess: ['authenticated'], columns: ['id'], triggers }],
  pgaudit: { installed: true, log: null, roleLog: [], ...pgaudit },
});
const scoped = (settings: Setting[], server: { log: string | null; source: string } | null = null) => schema({ server, settings });
const postgresAll: Setting = { role: 'postgres', inDatabase: false, log: 'all' };

describe('app.db.audit-logging: whose pgaudit.log counts', () => {
  const cases: CheckCase[] = [
    // Supabase's documented "global" logging, as a collector logged in as postgres sees it with pgaudit loaded: its own session value is postgres's.
    { name: "'all' on postgres only, the collector's own role, fails", config, facts: { schema: scoped([postgresAll], { log: 'all', source: 'user' }) }, expected: [['public.clinical_notes', 'fail', 'pgaudit-other-roles']] },
    { name: 'a server value hidden by a login setting is never taken as logging writes', config, facts: { schema: scoped([], { log: 'write', source: 'database' }) }, expected: [['public.clinical_notes', 'fail', 'not-audited']] },
    { name: 'the server value from the configuration file counts', config, facts: { schema: scoped([postgresAll], { log: 'write', source: 'configuration file' }) }, expected: [['public.clinical_notes', 'pass', 'pgaudit']] },
    { name: 'authenticator in this database wins over authenticator in every database', config, facts: { schema: scoped([{ role: 'authenticator', inDatabase: true, log: 'ddl' }, { role: 'authenticator', inDatabase: false, log: 'write' }]) }, expected: [['public.clinical_notes', 'fail', 'pgaudit-other-roles']] },
    { name: 'authenticator wins over the database-wide setting', config, facts: { schema: scoped([{ role: 'authenticator', inDatabase: false, log: 'none' }, { role: null, inDatabase: true, log: 'all' }]) }, expected: [['public.clinical_notes', 'fail', 'pgaudit-other-roles']] },
    { name: 'the database-wide setting wins over the server value', config, facts: { schema: scoped([{ role: null, inDatabase: true, log: 'ddl' }], { log: 'all', source: 'configuration file' }) }, expected: [['public.clinical_notes', 'fail', 'not-audited']] },
    { name: "'-write' removes write from 'all'", config, facts: { schema: scoped([{ role: 'authenticator', inDatabase: false, log: 'all, -write' }]) }, expected: [['public.clinical_notes', 'fail', 'not-audited']] },
    {
      name: 'each of anon, authenticated and service_role set is unverified: PostgREST applies a superuser-only setting only if authenticator may SET it',
      config,
      facts: { schema: scoped(['anon', 'authenticated', 'service_role'].map((role) => ({ role, inDatabase: false, log: 'write' }))) },
      expected: [['public.clinical_notes', 'unverified', 'pgaudit-api-roles']],
    },
    { name: 'authenticator logs writes but an impersonated role may switch it off: unverified', config, facts: { schema: scoped([{ role: 'authenticator', inDatabase: false, log: 'write' }, { role: 'authenticated', inDatabase: false, log: 'none' }]) }, expected: [['public.clinical_notes', 'unverified', 'pgaudit-api-roles']] },
    { name: 'an impersonated role set to log writes too keeps the pass', config, facts: { schema: scoped([{ role: 'authenticator', inDatabase: false, log: 'write' }, { role: 'authenticated', inDatabase: false, log: 'read, write' }]) }, expected: [['public.clinical_notes', 'pass', 'pgaudit']] },
    { name: 'a partial trigger with pgaudit unverified is unverified, not a fail', config, facts: { schema: schema({ server: null, settings: ['anon', 'authenticated', 'service_role'].map((role) => ({ role, inDatabase: false, log: 'all' })) }, [partialTrigger]) }, expected: [['public.clinical_notes', 'unverified', 'pgaudit-api-roles']] },
    { name: 'a partial trigger with pgaudit on other roles fails on the trigger', config, facts: { schema: schema({ server: null, settings: [postgresAll] }, [partialTrigger]) }, expected: [['public.clinical_notes', 'fail', 'partial-trigger']] },
    { name: 'pgaudit not installed gives no evidence', config, facts: { schema: schema({ installed: false, server: null, settings: [{ role: 'authenticator', inDatabase: false, log: 'all' }] }) }, expected: [['public.clinical_notes', 'fail', 'not-audited']] },
    // Snapshots written before the scope of the settings was collected.
    { name: 'an earlier snapshot whose session value logs writes is unverified', config, facts: { schema: schema({ log: 'all' }) }, expected: [['public.clinical_notes', 'unverified', 'pgaudit-not-collected']] },
    { name: 'an earlier snapshot with a role setting that logs writes is unverified', config, facts: { schema: schema({ roleLog: [{ role: 'authenticator', log: 'write' }] }) }, expected: [['public.clinical_notes', 'unverified', 'pgaudit-not-collected']] },
    { name: 'an earlier snapshot where nothing logs writes still fails', config, facts: { schema: schema({ log: 'ddl' }) }, expected: [['public.clinical_notes', 'fail', 'not-audited']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(auditLogging, c)).toEqual(c.expected));

  it('names the roles the setting covers, and the fix sets authenticator through psql', () => {
    const facts = { schema: scoped([postgresAll, { role: 'supabase_admin', inDatabase: true, log: 'write' }]) };
    expect(renderedMessages(auditLogging, facts, config)[0]).toContain('only for postgres: all; supabase_admin in this database: write, not for authenticator');
    expect(renderedCommands(auditLogging, facts, config)).toEqual([`psql "$SUPABASE_DB_URL" -c 'alter role authenticator set pgaudit.log = '\\''write, ddl'\\'';'`]);
  });

  it('the pass says where the value comes from', () => {
    expect(renderedMessages(auditLogging, { schema: scoped([{ role: 'authenticator', inDatabase: true, log: 'write, ddl' }]) }, config)).toEqual([
      'public.clinical_notes writes are logged by pgaudit (pgaudit.log = authenticator in this database: write, ddl)',
    ]);
  });
});
