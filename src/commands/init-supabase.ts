import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { glob } from 'tinyglobby';

/** Secrets every Edge Function gets from Supabase itself: never a `requiredSecrets` entry. */
const BUILT_IN_SECRETS = new Set(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_DB_URL', 'SUPABASE_PUBLISHABLE_KEYS', 'SUPABASE_SECRET_KEYS', 'SUPABASE_JWKS']);

/** Column names that mark a table as holding PHI (45 CFR 164.514 identifiers and clinical data), as written in migrations. */
const PHI_COLUMN = /(^|_)(ssn|dob|mrn|icd(_?10)?|diagnos[ie]s|medication|prescription|allerg(y|ies)|patient_id)(_|$)|social_security|date_of_birth|birth_?date|medical_record|medical_history|insurance_(member|policy|id|number)|treatment_plan|clinical_note|lab_result|health_condition/i;

export interface LocalSupabase {
  /** Relative to the config file's folder, like the config's own paths. */
  functionsDir?: string;
  migrationsDir?: string;
  requiredSecrets: string[];
  phiTables: string[];
}

/**
 * What the repository says about the Supabase project: the functions and migrations folders
 * (`supabase/functions`, `supabase/migrations` nearest the config), the secrets the functions read
 * with `Deno.env.get(...)`, and the tables whose migrations create PHI-looking columns.
 */
export async function discoverLocalSupabase(configFile: string): Promise<LocalSupabase> {
  const base = dirname(configFile);
  const ignore = ['**/node_modules/**', '**/.git/**', '**/dist/**'];
  const [functionsDir] = (await glob('**/supabase/functions', { cwd: base, onlyDirectories: true, ignore, deep: 6 })).sort((a, b) => a.length - b.length);
  const [migrationsDir] = (await glob('**/supabase/migrations', { cwd: base, onlyDirectories: true, ignore, deep: 6 })).sort((a, b) => a.length - b.length);
  const secrets = new Set<string>();
  if (functionsDir) {
    for (const file of await glob('**/*.{ts,js,mts,mjs,tsx,jsx}', { cwd: join(base, functionsDir), ignore, absolute: true })) {
      for (const match of (await readFile(file, 'utf8')).matchAll(/Deno\.env\.get\(\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]\s*\)/g)) secrets.add(match[1]!);
    }
  }
  const tables = new Set<string>();
  if (migrationsDir) {
    for (const file of (await glob('*.sql', { cwd: join(base, migrationsDir), absolute: true })).sort()) {
      for (const table of phiTablesOf(await readFile(file, 'utf8'))) tables.add(table);
    }
  }
  const clean = (dir: string | undefined) => (dir ? relative(base, join(base, dir)).replaceAll('\\', '/') : undefined);
  return {
    ...(functionsDir ? { functionsDir: clean(functionsDir) } : {}),
    ...(migrationsDir ? { migrationsDir: clean(migrationsDir) } : {}),
    requiredSecrets: [...secrets].filter((name) => !BUILT_IN_SECRETS.has(name)).sort(),
    phiTables: [...tables].sort(),
  };
}

/** Tables a migration creates with a PHI-looking column: `create table [if not exists] [schema.]name ( … )`. */
export function phiTablesOf(sql: string): string[] {
  const found: string[] = [];
  const createTable = /create\s+table\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)\s*\(/gi;
  for (const match of sql.matchAll(createTable)) {
    const body = columnsBlock(sql, match.index + match[0].length);
    const columns = body.split(/,(?![^(]*\))/).map((definition) => definition.trim().split(/\s+/)[0]?.replaceAll('"', '') ?? '');
    if (columns.some((column) => PHI_COLUMN.test(column))) {
      const parts = [...match[1]!.matchAll(/"([^"]+)"|([\w$]+)/g)].map((part) => part[1] ?? part[2]!);
      found.push(parts.at(-1)!);
    }
  }
  return found;
}

/** The text up to the parenthesis that closes the column list. */
function columnsBlock(sql: string, start: number): string {
  let depth = 1;
  for (let i = start; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return sql.slice(start, i);
  }
  return sql.slice(start);
}
