import type { FactValue } from '../../src/model.js';
import type { databaseSchema, DatabasePolicy, DatabaseTable } from '../../src/facts/postgres.js';

export type DatabaseSchema = FactValue<typeof databaseSchema>;

export const qualifiedName = (object: { schema: string; name: string }): string => `${object.schema}.${object.name}`;

/** Tables the Data API serves: those of the exposed schemas. */
export function exposedTables(schema: DatabaseSchema): DatabaseTable[] {
  return schema.tables.filter((table) => schema.exposedSchemas.includes(table.schema));
}

/** An SQL identifier, quoted: `Patient"Notes` → `"Patient""Notes"`. */
export const sqlIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A schema-qualified name quoted for SQL, e.g. "public"."clients". */
export const sqlName = (object: { schema: string; name: string }): string => `${sqlIdentifier(object.schema)}.${sqlIdentifier(object.name)}`;

/** An SQL string literal: `it's` → `'it''s'`. */
export const sqlLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** One word for a POSIX shell, whatever it holds: single-quoted, each `'` written as `'\''`. */
export const shellWord = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** Roles a policy can name that requests from the Data API run as (`public` is every role). */
const API_POLICY_ROLES = ['anon', 'authenticated', 'public'];

// Built once per config list: a check asks for every table, and `init-supabase` lists every PHI-looking table.
const phiTableSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The table is among `supabase.phiTables` (by its name alone, or schema-qualified). */
export function declaredPhi(table: { schema: string; name: string }, phiTables: readonly string[]): boolean {
  let configured = phiTableSets.get(phiTables);
  if (!configured) {
    configured = new Set(phiTables);
    phiTableSets.set(phiTables, configured);
  }
  return configured.has(table.name) || configured.has(qualifiedName(table));
}

/**
 * Column names that look like PHI (45 CFR 164.514 identifiers and clinical data), or like
 * credentials and payment data kept beside it. Matched on snake_case words, so `dateOfBirth`
 * reads as `date_of_birth`.
 */
const PHI_COLUMN = new RegExp(
  [
    '(^|_)(ssn|dob|mrn|icd(_?10)?|npi_patient|patient(_id)?|diagnos[ie]s|medications?|prescriptions?)(_|$)',
    'social_security',
    'date_of_birth',
    'birth_?date',
    'medical_record',
    'medical_history',
    'allerg(y|ies)',
    'insurance_(member|policy|id|number)',
    'treatment_plan',
    'clinical_note',
    'lab_result',
    'health_condition',
    // Credentials
    '(^|_)(password|passwd|password_hash|api_key|secret|secret_key|private_key|access_token|refresh_token|totp_secret)(_|$)',
    // Payment data
    '(^|_)(credit_card|card_number|cvv|cvc|iban|bank_account|account_number|routing_number)(_|$)',
  ].join('|'),
  'i',
);

const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function isPhiColumn(column: string): boolean {
  return PHI_COLUMN.test(snakeCase(column));
}

export function phiColumns(table: DatabaseTable): string[] {
  return table.columns.filter(isPhiColumn);
}

/** A table holds PHI when declared in `supabase.phiTables` or when a column looks like it. */
export function holdsPhi(table: DatabaseTable, phiTables: readonly string[]): boolean {
  return declaredPhi(table, phiTables) || phiColumns(table).length > 0;
}

// Built once per tables list: app.db.audit-logging asks for each entry of `supabase.phiTables`.
const tablesByPhiName = new WeakMap<readonly DatabaseTable[], ReadonlyMap<string, readonly DatabaseTable[]>>();

/** The tables each name answers to, as declaredPhi reads a `supabase.phiTables` entry: by name alone, or schema-qualified; in their order. */
function tablesByName(tables: readonly DatabaseTable[]): ReadonlyMap<string, readonly DatabaseTable[]> {
  let index = tablesByPhiName.get(tables);
  if (!index) {
    const byName = new Map<string, DatabaseTable[]>();
    for (const table of tables) {
      for (const name of [table.name, qualifiedName(table)]) {
        const named = byName.get(name);
        if (named) named.push(table);
        else byName.set(name, [table]);
      }
    }
    index = byName;
    tablesByPhiName.set(tables, index);
  }
  return index;
}

/** The `supabase.phiTables` entries a table answers to; an unqualified name means that table in every exposed schema. */
export function phiTablesOf(schema: DatabaseSchema, configured: string): DatabaseTable[] {
  const matches = [...(tablesByName(schema.tables).get(configured) ?? [])];
  if (configured.includes('.')) return matches;
  const exposed = matches.filter((table) => schema.exposedSchemas.includes(table.schema));
  return exposed.length > 0 ? exposed : matches;
}

const forApiRoles = (policy: DatabasePolicy): boolean => policy.permissive && policy.roles.some((role) => API_POLICY_ROLES.includes(role));

/**
 * Only what Postgres prints for a condition that admits nothing (`false`, `NULL::boolean`, `1 = 0`):
 * `true OR false`, `NOT false` or `NULL IS NULL` mention those words and are true.
 */
function constantFalse(expression: string): boolean {
  const text = expression.replace(/[()\s]/g, '').toLowerCase();
  if (/^(false|null(::boolean)?)$/.test(text)) return true;
  const equality = /^(-?\d+)=(-?\d+)$/.exec(text);
  return equality !== null && equality[1] !== equality[2];
}

/**
 * Permissive policies for anon, authenticated or public whose USING or WITH CHECK reads no column
 * of the row (`true`, `1 = 1`, `auth.uid() is not null`, `(select true)`, …) and is not plainly false:
 * whoever the condition admits, it admits to every row.
 */
export function alwaysTruePolicies(table: DatabaseTable): DatabasePolicy[] {
  return table.policies.filter(
    (policy) =>
      forApiRoles(policy) &&
      ((policy.using !== null && alwaysTrue(policy.usingKind, policy.usingConstant) && !constantFalse(policy.using)) ||
        (policy.withCheck !== null && alwaysTrue(policy.withCheckKind, policy.withCheckConstant) && !constantFalse(policy.withCheck))),
  );
}

/** A snapshot taken before the kind was collected knows only that the expression reads no column: judged as always true, as then. */
const alwaysTrue = (kind: DatabasePolicy['usingKind'], rowIndependent: boolean): boolean =>
  kind === undefined ? rowIndependent : kind === 'constant' || kind === 'signed-in';

/**
 * Permissive policies for anon, authenticated or public whose USING or WITH CHECK reads no column of the row but asks who
 * the caller is (`is_admin()`, a staff table lookup by auth.uid(), a JWT claim): whoever they admit sees every row, and
 * whom they admit is in code readiness does not read (a function returning true for everyone looks the same).
 */
export function callerGatedPolicies(table: DatabaseTable): DatabasePolicy[] {
  return table.policies.filter(
    (policy) => forApiRoles(policy) && ((policy.using !== null && policy.usingKind === 'caller-gated') || (policy.withCheck !== null && policy.withCheckKind === 'caller-gated')),
  );
}

/** user_metadata is writable by the user it describes (supabase.auth.updateUser): a policy trusting it trusts the caller. */
const USER_METADATA = /user_metadata|raw_user_meta_data/i;

export function userMetadataPolicies(table: DatabaseTable): DatabasePolicy[] {
  return table.policies.filter((policy) => USER_METADATA.test(policy.using ?? '') || USER_METADATA.test(policy.withCheck ?? ''));
}

/** `1 policy`, `2 policies`. */
export const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
