import { remoteMigrations, storageBuckets } from '../../facts/postgres.js';
import { migrationHash } from '../supabase/local.js';
import { defineCollector } from '../types.js';
import { withDatabase } from './session.js';

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_SCHEMA = '3F000';
const UNDEFINED_COLUMN = '42703';

/**
 * The supabase CLI records each applied migration here, with its statements since mid-2023 (older
 * tables lack the column until a newer CLI adds it); the Management API endpoint is for partner apps only.
 */
export const remoteMigrationsCollector = defineCollector(remoteMigrations, (context) =>
  withDatabase(context, 'SELECT on supabase_migrations.schema_migrations', async (client) => {
    try {
      let rows: { version: string; statements: string[] | null }[];
      try {
        rows = (await client.query<{ version: string; statements: string[] | null }>('select version::text as version, statements from supabase_migrations.schema_migrations order by version')).rows;
      } catch (error) {
        if ((error as { code?: string }).code !== UNDEFINED_COLUMN) throw error;
        rows = (await client.query<{ version: string }>('select version::text as version from supabase_migrations.schema_migrations order by version')).rows.map((row) => ({ ...row, statements: null }));
      }
      // Only a hash is kept: statements can be large and may hold secrets.
      const hashes = Object.fromEntries(rows.map((row) => [row.version, row.statements === null ? null : migrationHash(row.statements)]));
      return { tableExists: true, versions: rows.map((row) => row.version), hashes };
    } catch (error) {
      const code = (error as { code?: string }).code;
      // No history table: the CLI never applied a migration to this database.
      if (code === UNDEFINED_TABLE || code === UNDEFINED_SCHEMA) return { tableExists: false, versions: [], hashes: {} };
      throw error;
    }
  }),
);

/** RLS filters what the connected role sees unless it is superuser, BYPASSRLS, or the (unforced) owner. */
const BUCKETS_HIDDEN_SQL = `
  select c.relrowsecurity
         and not (r.rolsuper or r.rolbypassrls or (pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE') and not c.relforcerowsecurity)) as hidden
    from pg_catalog.pg_class c, pg_catalog.pg_roles r
   where c.oid = 'storage.buckets'::pg_catalog.regclass and r.rolname = pg_catalog.current_user()`;

/**
 * How anon and authenticated reach storage.objects: their privilege, whether RLS restricts them, and the permissive
 * SELECT or ALL policies that apply to each (to public, the role, or a role it inherits from).
 */
const roleReach = (role: 'anon' | 'authenticated', a: string) => `
         coalesce(pg_catalog.has_schema_privilege(${a}.oid, c.relnamespace, 'USAGE')
                  and (pg_catalog.has_table_privilege(${a}.oid, c.oid, 'SELECT') or pg_catalog.has_any_column_privilege(${a}.oid, c.oid, 'SELECT')), true) as ${role}_select,
         coalesce(${a}.rolsuper or ${a}.rolbypassrls or (pg_catalog.pg_has_role(${a}.oid, c.relowner, 'USAGE') and not c.relforcerowsecurity), false) as ${role}_bypasses_rls,
         coalesce((select pg_catalog.json_agg(pg_catalog.json_build_object('name', p.polname, 'using', pg_catalog.pg_get_expr(p.polqual, p.polrelid)) order by p.polname)
                     from pg_catalog.pg_policy p
                    where p.polrelid = c.oid and p.polpermissive and p.polcmd = any (array['r', '*']::pg_catalog."char"[])
                      and (0::pg_catalog.oid = any (p.polroles)
                           or exists (select 1 from pg_catalog.unnest(p.polroles) r where pg_catalog.pg_has_role(${a}.oid, r, 'USAGE')))), '[]') as ${role}_policies`;
const OBJECTS_SQL = `
  select c.relrowsecurity as rls_enabled,${roleReach('anon', 'a')},${roleReach('authenticated', 'u')}
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_roles a on a.rolname = 'anon'
    left join pg_catalog.pg_roles u on u.rolname = 'authenticated'
   where n.nspname = 'storage' and c.relname = 'objects' and c.relkind = any (array['r', 'p']::pg_catalog."char"[])`;

/**
 * Walks the text pg_get_expr prints, outside string literals '…' and identifiers "…" (each
 * doubles its quote), calling `visit` with the nesting depth of parentheses and brackets at each character.
 */
function walk(text: string, visit: (index: number, depth: number) => void): void {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === quote && text[i + 1] === quote) i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === ')' || char === ']') depth--;
    visit(i, depth);
    if (char === '(' || char === '[') depth++;
  }
}

/** The operands of `text` split where `separator` stands outside parentheses, brackets and quotes. */
function splitTopLevel(text: string, separator: string): string[] {
  const cuts: number[] = [];
  walk(text, (i, depth) => {
    if (depth === 0 && text.startsWith(separator, i) && (cuts.length === 0 || i >= (cuts.at(-1) ?? 0) + separator.length)) cuts.push(i);
  });
  return [...cuts, text.length].map((cut, k) => text.slice(k === 0 ? 0 : (cuts[k - 1] ?? 0) + separator.length, cut));
}

/** `(x)` → `x` when the outer parentheses enclose the whole text (not `(a) = (b)`). */
function unwrap(text: string): string | undefined {
  if (!text.startsWith('(') || !text.endsWith(')')) return undefined;
  let closesEarly = false;
  walk(text, (i, depth) => {
    if (depth === 0 && i > 0 && i < text.length - 1) closesEarly = true;
  });
  return closesEarly ? undefined : text.slice(1, -1);
}

/** The terms of `((a) AND (b AND c))`, flattened; the whole expression when it is not a conjunction. */
function conjuncts(expression: string): string[] {
  const inner = unwrap(expression);
  if (inner === undefined || splitTopLevel(inner, ' OR ').length > 1) return [expression];
  const terms = splitTopLevel(inner, ' AND ');
  return terms.length > 1 ? terms.flatMap(conjuncts) : [expression];
}

/** `'it''s'::text` → `it's`; anything else (E'…', another type) is not read. */
function textLiteral(operand: string): string | undefined {
  return /^'((?:[^']|'')*)'::text$/.exec(operand)?.[1]?.replaceAll("''", "'");
}

/** `auth.uid()` as pg_get_expr prints it: bare, as `(select auth.uid())`, or cast (`(auth.uid())::text`). */
function callOf(operand: string, fn: 'uid' | 'role'): boolean {
  const cast = /^\((.+)\)::(text|uuid|character varying)$/.exec(operand);
  if (cast?.[1] !== undefined) return callOf(cast[1], fn);
  return operand === `auth.${fn}()` || new RegExp(`^\\( SELECT auth\\.${fn}\\(\\) AS (\\w+|"(?:[^"]|"")+")\\)$`).test(operand);
}

type Policy = { name: string; using: string | null };
type SignedInPolicy = { name: string; verdict: 'every-user' | 'per-user' | 'caller-gated' };

/** The roles a Supabase request runs as, by its key or JWT. */
const REQUEST_ROLES = ['anon', 'authenticated', 'service_role'];

/**
 * A term of a conjunction that no request of `role` satisfies on a file of `bucket`: false or NULL,
 * `bucket_id` equal to (or in a list of) other buckets only, for anon an equality with auth.uid() (NULL
 * without a signed-in user), or auth.role() equal to another role than the caller's.
 */
function falseFor(term: string, bucket: string, role: 'anon' | 'authenticated'): boolean {
  if (term === 'false' || term === 'NULL::boolean') return true;
  const inner = unwrap(term);
  if (inner === undefined) return false;
  const list = /^bucket_id = ANY \(ARRAY\[(.*)\]\)$/.exec(inner)?.[1];
  if (list !== undefined) {
    const names = splitTopLevel(list, ', ').map(textLiteral);
    return names.every((name) => name !== undefined && name !== bucket);
  }
  const operands = splitTopLevel(inner, ' = ');
  if (operands.length !== 2) return false;
  const [left, right] = operands as [string, string];
  for (const [column, other] of [
    [left, right],
    [right, left],
  ] as const) {
    const literal = textLiteral(other);
    if (column === 'bucket_id' && literal !== undefined && literal !== bucket) return true;
    if (role === 'anon' && callOf(column, 'uid')) return true;
    if (callOf(column, 'role') && literal !== undefined && literal !== role && REQUEST_ROLES.includes(literal)) return true;
  }
  return false;
}

/** Policies whose USING condition may let anon read a file of the bucket: what is not understood counts. */
function anonReadPolicies(policies: Policy[], bucket: string): string[] {
  return policies.filter((policy) => policy.using === null || !conjuncts(policy.using).some((term) => falseFor(term, bucket, 'anon'))).map((policy) => policy.name);
}

/** The owner columns, or the first folder of the path, as pg_get_expr prints them in a comparison with auth.uid(). */
const OWN_FILE = /^(?:owner|owner_id|\(owner\)::text|\(owner_id\)::uuid|\(storage\.foldername\(name\)\)\[1\])$/;

/** `owner = auth.uid()` (either side, cast, or `(select auth.uid())`): each signed-in user reads their own files only. */
function ownFilesOnly(term: string): boolean {
  const operands = splitTopLevel(unwrap(term) ?? '', ' = ');
  if (operands.length !== 2) return false;
  const [left, right] = operands as [string, string];
  return (OWN_FILE.test(left) && callOf(right, 'uid')) || (OWN_FILE.test(right) && callOf(left, 'uid'));
}

/** `auth.uid() IS NOT NULL`, `auth.role() = 'authenticated'`: true for every signed-in user. */
function signedInOnly(term: string): boolean {
  const inner = unwrap(term) ?? '';
  const notNull = /^(.+) IS NOT NULL$/.exec(inner)?.[1];
  if (notNull !== undefined) return callOf(notNull, 'uid') || callOf(notNull, 'role');
  const operands = splitTopLevel(inner, ' = ');
  return operands.length === 2 && operands.some((operand, k) => callOf(operand, 'role') && textLiteral(operands[1 - k] ?? '') === 'authenticated');
}

/** A function call, a sub-select or the session's role: the term asks who the caller is in a way not read here. */
function asksCaller(term: string): boolean {
  let outside = '';
  walk(term, (i) => {
    outside += term[i];
  });
  return /\w\(|\bSELECT\b|\b(?:CURRENT_USER|CURRENT_ROLE|SESSION_USER)\b/.test(outside);
}

/**
 * Policies that may let a signed-in user read files of the bucket, each with its verdict: `per-user` when a term limits
 * it to the caller's own files, `caller-gated` when a term asks who the caller is otherwise (cannot tell whom it admits),
 * `every-user` when its terms only test the file (bucket_id, name, metadata) or that there is a caller.
 */
function authenticatedReadPolicies(policies: Policy[], bucket: string): SignedInPolicy[] {
  return policies.flatMap((policy): SignedInPolicy[] => {
    const terms = policy.using === null ? [] : conjuncts(policy.using);
    if (terms.some((term) => falseFor(term, bucket, 'authenticated'))) return [];
    if (terms.some(ownFilesOnly)) return [{ name: policy.name, verdict: 'per-user' }];
    const gated = terms.some((term) => !signedInOnly(term) && asksCaller(term));
    return [{ name: policy.name, verdict: gated ? 'caller-gated' : 'every-user' }];
  });
}

export const storageBucketsCollector = defineCollector(storageBuckets, (context) =>
  withDatabase(context, 'SELECT on storage.buckets', async (client) => {
    const { rows } = await client.query<{ id: string; name: string; public: boolean | null }>('select id::pg_catalog.text as id, name, public from storage.buckets order by id');
    const hidden = (await client.query<{ hidden: boolean }>(BUCKETS_HIDDEN_SQL)).rows[0]?.hidden ?? true;
    const objects = (
      await client.query<{
        rls_enabled: boolean;
        anon_select: boolean;
        anon_bypasses_rls: boolean;
        anon_policies: Policy[];
        authenticated_select: boolean;
        authenticated_bypasses_rls: boolean;
        authenticated_policies: Policy[];
      }>(OBJECTS_SQL)
    ).rows[0];
    return {
      buckets: rows.map((row) => ({
        id: row.id,
        name: row.name,
        public: row.public === true,
        anonReadPolicies: objects ? anonReadPolicies(objects.anon_policies, row.id) : [],
        authenticatedReadPolicies: objects ? authenticatedReadPolicies(objects.authenticated_policies, row.id) : [],
      })),
      rowsHiddenByRls: hidden,
      objects: objects
        ? {
            anonSelect: objects.anon_select,
            rlsEnabled: objects.rls_enabled,
            anonBypassesRls: objects.anon_bypasses_rls,
            authenticatedSelect: objects.authenticated_select,
            authenticatedBypassesRls: objects.authenticated_bypasses_rls,
          }
        : null,
    };
  }),
);
