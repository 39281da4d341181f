import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema, type DatabaseView } from '../../src/facts/postgres.js';
import { holdsPhi, qualifiedName, shellWord, sqlName, type DatabaseSchema } from '../lib/database.js';

/**
 * An invoker view applies the caller's RLS, so it is only as safe as its base tables: one holding PHI without RLS gives
 * every row to whoever may read it. undefined when nothing is found against the view.
 */
function baseTableFinding(view: DatabaseView, relations: Relations, phiTables: readonly string[]): Omit<Finding, 'resource' | 'evidence'> | undefined {
  if (view.baseTables === undefined) return { status: 'unverified', code: 'base-tables-not-collected' };
  for (const base of view.baseTables) {
    // A view of the exposed schemas is judged on its own.
    if (relations.views.has(base)) continue;
    const table = relations.tables.get(base);
    if (!table) return { status: 'unverified', code: 'base-table-not-collected', args: { table: base } };
    if (table.rlsEnabled || !holdsPhi(table, phiTables)) continue;
    const sql = shellWord(`alter table ${sqlName(table)} enable row level security;`);
    if (table.apiAccess.length > 0) return { status: 'fail', code: 'base-table-rls-off', args: { table: base, roles: table.apiAccess.join(', '), sql } };
    // apiAccess needs USAGE on the schema, which a view's caller does not: SELECT alone reads through the view.
    return { status: 'unverified', code: 'base-table-grants-unknown', args: { table: base, sql } };
  }
  return undefined;
}

interface Relations {
  views: ReadonlySet<string>;
  tables: ReadonlyMap<string, DatabaseSchema['tables'][number]>;
}

/** Names looked up once per run, not once per view (an estate has thousands of both). */
const relationsOf = (schema: DatabaseSchema): Relations => ({
  views: new Set(schema.views.map(qualifiedName)),
  tables: new Map(schema.tables.toReversed().map((table) => [qualifiedName(table), table])),
});

export default defineCheck({
  meta: {
    id: 'app.db.security-definer-views',
    title: 'Exposed views respect row-level security',
    failureTitle: 'Exposed views bypass row-level security',
    description: "A view runs with its owner's rights unless created with security_invoker = true (Postgres 15+): through the Data API it returns rows the caller's RLS policies would hide. Materialized views never apply RLS.",
    section: 'application',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Make the view run with the caller\'s rights (a materialized view must move out of the exposed schemas or lose its grants to anon/authenticated); enable row-level security on a PHI table an invoker view reads',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 15,
    },
    messages: {
      invoker: 'View {{resource}} runs with security_invoker',
      definer: 'View {{resource}} runs with its owner\'s rights and bypasses RLS',
      materialized: 'Materialized view {{resource}} is in an exposed schema and ignores RLS',
      unreachable: '{{resource}} bypasses RLS, but neither anon nor authenticated holds a privilege on it',
      'no-views': 'No view in the exposed schemas ({{schemas}})',
      'base-table-rls-off': "View {{resource}} runs with the caller's rights, but it reads {{table}}, which holds PHI and has row-level security OFF: {{roles}} reach every row of it",
      'base-table-grants-unknown':
        "View {{resource}} reads {{table}}, which holds PHI and has row-level security OFF: no API role has USAGE on its schema and a privilege on it, but SELECT alone would let the view's callers read every row",
      'base-table-not-collected': 'View {{resource}} reads {{table}}, which readiness did not read (not in an exposed schema and not reachable by an API role): its row-level security is unknown',
      'base-tables-not-collected': 'The tables view {{resource}} reads were not collected (snapshot taken before they were): run `readiness check` against the database again',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const phiTables = config.supabase?.phiTables ?? [];
    if (schema.views.length === 0) return [{ resource: 'database', status: 'not_applicable', code: 'no-views', args: { schemas: schema.exposedSchemas.join(', ') } }];
    const relations = relationsOf(schema);
    return schema.views.map((view): Finding => {
      const resource = qualifiedName(view);
      const evidence = { securityInvoker: view.securityInvoker, materialized: view.materialized, apiAccess: view.apiAccess, baseTables: view.baseTables ?? null };
      const sql = shellWord(view.materialized ? `revoke select on ${sqlName(view)} from anon, authenticated;` : `alter view ${sqlName(view)} set (security_invoker = true);`);
      if (!view.materialized && view.securityInvoker) {
        const found = view.apiAccess.length > 0 ? baseTableFinding(view, relations, phiTables) : undefined;
        return found ? { resource, ...found, args: { sql, ...found.args }, evidence } : { resource, status: 'pass', code: 'invoker', args: { sql }, evidence };
      }
      if (view.apiAccess.length === 0) return { resource, status: 'not_applicable', code: 'unreachable', args: { sql }, evidence };
      return { resource, status: 'fail', code: view.materialized ? 'materialized' : 'definer', args: { sql }, evidence };
    });
  },
});
