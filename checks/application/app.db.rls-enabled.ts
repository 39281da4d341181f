import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabaseTable } from '../../src/facts/postgres.js';
import { exposedTables, qualifiedName, shellWord, sqlIdentifier, sqlName } from '../lib/database.js';

/** A table owned by one of these is exempt from its own RLS (owners are) unless RLS is forced. */
const API_LOGIN_ROLES = ['anon', 'authenticated', 'authenticator'];
/** Owners whose privileges no API role has on a Supabase project as created. */
const PLATFORM_OWNERS = ['postgres', 'supabase_admin'];

/**
 * The API roles that have the owner's privileges (RLS exempts them too); undefined when unknown. A snapshot taken before
 * this was collected is judged by the owner's name only where the name decides it.
 */
function apiRolesAsOwner(table: DatabaseTable): string[] | undefined {
  if (table.apiRolesAsOwner) return table.apiRolesAsOwner;
  if (API_LOGIN_ROLES.includes(table.owner)) return [table.owner];
  return PLATFORM_OWNERS.includes(table.owner) ? [] : undefined;
}

function ownedBy(owner: string, asOwner: string[]): string {
  const inheritors = asOwner.filter((role) => role !== owner);
  if (inheritors.length === 0) return `the API role ${owner}, which bypasses its RLS`;
  return `${owner}, whose privileges ${inheritors.join(' and ')} ${inheritors.length === 1 ? 'inherits, so RLS does not bind it' : 'inherit, so RLS does not bind them'}`;
}

function tableFinding(table: DatabaseTable, exposedVia: string): Finding {
  const resource = qualifiedName(table);
  const reachable = table.apiAccess.length > 0;
  const args = { sql: shellWord(`alter table ${sqlName(table)} enable row level security;`), roles: table.apiAccess.join(', '), kind: table.kind, owner: table.owner };
  const asOwner = apiRolesAsOwner(table);
  const evidence = { kind: table.kind, owner: table.owner, apiRolesAsOwner: table.apiRolesAsOwner ?? null, rlsEnabled: table.rlsEnabled, rlsForced: table.rlsForced, policies: table.policies.length, apiAccess: table.apiAccess, exposedVia };
  if (table.kind === 'foreign') {
    if (!reachable) return { resource, status: 'not_applicable', code: 'unreachable', args, evidence };
    return { resource, status: 'fail', code: 'foreign-table', args: { ...args, sql: shellWord(`revoke all on ${sqlName(table)} from anon, authenticated;`) }, evidence };
  }
  if (!table.rlsEnabled) return reachable ? { resource, status: 'fail', code: 'disabled', args, evidence } : { resource, status: 'not_applicable', code: 'unreachable', args, evidence };
  if (!table.rlsForced) {
    if (asOwner === undefined) return { resource, status: 'unverified', code: 'owner-membership-not-collected', args, evidence };
    if (asOwner.length > 0) return { resource, status: 'fail', code: 'owner-bypasses', args: { ...args, ownedBy: ownedBy(table.owner, asOwner), sql: shellWord(`alter table ${sqlName(table)} force row level security;`) }, evidence };
  }
  return { resource, status: 'pass', code: table.kind === 'partition' ? 'partition-enabled' : 'enabled', args, evidence };
}

export default defineCheck({
  meta: {
    id: 'app.db.rls-enabled',
    title: 'Row-level security is on for every exposed table',
    failureTitle: 'Exposed tables without row-level security',
    description:
      'Every table of a schema served by the Data API (PostgREST, pg_graphql) is readable and writable with the public anon key unless row-level security is enabled on it and binds the API roles: each leaf partition is reached on its own, a foreign table cannot have RLS, a table owned by an API role, or by a role whose privileges an API role inherits, ignores its own RLS unless forced, and a role with BYPASSRLS ignores all of it.',
    section: 'application',
    severity: 'critical',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Enable row-level security on the table (force it when an API role owns it or inherits from its owner), then add the policies it needs; take BYPASSRLS from API roles; keep foreign tables out of reach of anon/authenticated',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 15,
    },
    messages: {
      enabled: 'Row-level security is on for {{resource}}',
      'partition-enabled': 'Row-level security is on for partition {{resource}}',
      disabled: 'Row-level security is OFF for {{resource}} ({{kind}}): {{roles}} can reach it through the Data API',
      unreachable: '{{resource}} ({{kind}}) has no row-level security, but neither anon nor authenticated holds a privilege on it',
      'foreign-table': 'Foreign table {{resource}} cannot have row-level security and {{roles}} can reach it through the Data API',
      'owner-bypasses': '{{resource}} is owned by {{ownedBy}}: FORCE ROW LEVEL SECURITY is off',
      'owner-membership-not-collected':
        '{{resource}} is owned by {{owner}} and FORCE ROW LEVEL SECURITY is off, but this snapshot does not say whether anon or authenticated has that role\'s privileges (and so bypasses its RLS): collect again',
      'role-bypasses-rls': 'Role {{role}} has {{attribute}}: row-level security does not bind requests made as it',
      'no-tables': 'No table in the exposed schemas ({{schemas}})',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }) {
    const roles = schema.apiRoles
      .filter((role) => role.bypassRls || role.superuser)
      .map(
        (role): Finding => ({
          resource: `role ${role.name}`,
          status: 'fail',
          code: 'role-bypasses-rls',
          args: { role: role.name, attribute: role.superuser ? 'SUPERUSER' : 'BYPASSRLS', sql: shellWord(`alter role ${sqlIdentifier(role.name)} ${role.superuser ? 'nosuperuser ' : ''}nobypassrls;`) },
          evidence: { bypassRls: role.bypassRls, superuser: role.superuser },
        }),
      );
    const tables = exposedTables(schema);
    const schemas = schema.exposedSchemas.join(', ');
    if (tables.length === 0 && roles.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-tables', args: { schemas } }];
    return [...roles, ...tables.map((table) => tableFinding(table, schema.exposedSchemasSource))];
  },
});
