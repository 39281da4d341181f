import type pg from 'pg';
import { SQL_MAX_ROWS, sqlFact, type SqlAnswer } from '../../declarative/sql.js';
import type { CustomCheck } from '../../declarative/schema.js';
import { defineCollector, FactError } from '../types.js';

/** Relations of the plan whose rows RLS filters for the connected role (superuser, BYPASSRLS and the unforced owner see every row). */
const RLS_FILTERED_SQL = `
  select n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname as relation
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace,
         pg_catalog.pg_roles r
   where r.rolname = pg_catalog.current_user()
     and (n.nspname, c.relname) in (select s, r from rows from (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) as t (s, r))
     and c.relrowsecurity
     and not (r.rolsuper or r.rolbypassrls or (pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE') and not c.relforcerowsecurity))
   order by 1`;

interface PlanNode {
  'Relation Name'?: string;
  Schema?: string;
  Plans?: PlanNode[];
}

/**
 * The entry's query on the run's shared connection (read-only from its start), inside a READ ONLY transaction
 * that is always rolled back, with the entry's statement timeout and the role's own search_path. The query is
 * sent alone through the extended protocol: `select 1; commit; …` is refused by the server, not by a parser
 * of ours. The config's SELECT/WITH test is a courtesy; the transaction is the guard.
 */
export function createDeclarativeSqlCollector(entry: CustomCheck) {
  const spec = entry.sql!;
  return defineCollector(sqlFact(entry), async (context): Promise<SqlAnswer> => {
    const { withDatabase, describeDatabase } = await import('../postgres/session.js');
    return withDatabase(context, `the query of ${entry.id}`, async (client) => {
      await client.query('begin transaction isolation level repeatable read read only');
      try {
        // The session pins search_path to pg_catalog for the built-in catalog reads; a team's query is written for the role's own.
        await client.query('set local search_path to default');
        await client.query('select pg_catalog.set_config($1, $2, true)', ['statement_timeout', String(spec.timeoutMs)]);
        const result = await client.query({ text: spec.query, queryMode: 'extended' } as pg.QueryConfig);
        const role = (await client.query<{ role: string }>('select pg_catalog.current_user()::pg_catalog.text as role')).rows[0]!.role;
        const rlsFiltered = await filteredRelations(client, spec.query);
        const database = describeDatabase(context.config.supabase?.dbUrl || context.env.SUPABASE_DB_URL || '');
        if (spec.expect !== 'none') return { database, role, rowCount: result.rows.length, rows: [], value: oneNumber(result), rlsFiltered };
        const column = spec.resource ?? result.fields[0]?.name;
        if (column !== undefined && result.rows.length && !result.fields.some((field) => field.name === column)) {
          throw new FactError('MalformedResponse', `${entry.id}: the query returned no column "${column}" (columns: ${result.fields.map((f) => f.name).join(', ')})`, 'name an existing column in sql.resource');
        }
        const rows = result.rows.slice(0, SQL_MAX_ROWS).map((row: Record<string, unknown>) => nameOf(column === undefined ? undefined : row[column]));
        return { database, role, rowCount: result.rows.length, rows, value: null, rlsFiltered };
      } finally {
        await client.query('rollback').catch(() => {});
      }
    });
  });
}

/** What the plan reads, as schema-qualified base relations (views are expanded by the planner). */
async function filteredRelations(client: pg.Client, query: string): Promise<string[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>({ text: `explain (verbose, format json) ${query}`, queryMode: 'extended' } as pg.QueryConfig);
  const schemas: string[] = [];
  const names: string[] = [];
  const visit = (node: PlanNode) => {
    if (node['Relation Name'] && node.Schema) {
      schemas.push(node.Schema);
      names.push(node['Relation Name']);
    }
    node.Plans?.forEach(visit);
  };
  const plan = rows[0]?.['QUERY PLAN'];
  for (const entry of Array.isArray(plan) ? plan : []) visit(entry.Plan);
  if (names.length === 0) return [];
  return (await client.query<{ relation: string }>(RLS_FILTERED_SQL, [schemas, names])).rows.map((row) => row.relation);
}

function oneNumber(result: pg.QueryResult): number {
  const shape = `${result.rows.length} row(s) of ${result.fields.length} column(s)`;
  if (result.rows.length !== 1 || result.fields.length !== 1) throw new FactError('MalformedResponse', `the query returned ${shape}; expect { min, max } needs one row with one number`, 'make the query return one number (select count(*) …)');
  const raw = (result.rows[0] as Record<string, unknown>)[result.fields[0]!.name];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' || typeof raw === 'bigint' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value)) throw new FactError('MalformedResponse', `the query returned ${raw === null ? 'NULL' : JSON.stringify(String(raw))}, not a number`, 'make the query return one number (coalesce(…, 0))');
  return value;
}

function nameOf(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
