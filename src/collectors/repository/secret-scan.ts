/** Finds credentials in text; reports where and what kind, never the matched text. */

import { createHash } from 'node:crypto';

export type SecretKind = 'service-role-jwt' | 'supabase-secret-key' | 'database-url-password' | 'database-password';

export interface SecretHit {
  line: number;
  kind: SecretKind;
  /** A hash of the matched value, to recognise the same secret elsewhere; kept in memory, never written out. */
  fingerprint: string;
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{16,}/g;
const SUPABASE_SECRET_KEY = /\bsb_secret_[A-Za-z0-9_-]{20,}/g;
/** postgres://, postgresql://, and driver-qualified schemes such as postgresql+asyncpg://. */
const DATABASE_URL = /\bpostgres(?:ql)?(?:\+\w+)?:\/\/[^:/@\s'"`]+:([^@\s'"`]+)@/g;
/** A password as a URL parameter: jdbc:postgresql://host/db?user=…&password=…, or libpq's postgresql://host/db?password=…. */
const URL_PASSWORD_PARAMETER = /\b(?:jdbc:)?postgres(?:ql)?(?:\+\w+)?:\/\/[^\s'"`]*?[?&;]password=([^&;#\s'"`]+)/g;
/** Template expressions read as one value even though they contain spaces or quotes. */
const TEMPLATE = String.raw`\$\{\{.*?\}\}|\{\{.*?\}\}|\$\([^)]*\)|\$\{[^}]*\}`;
/**
 * PGPASSWORD=…, SUPABASE_DB_PASSWORD="…", POSTGRES_PASSWORD: … (env files, shell, compose, JSON, code).
 * Unquoted values only right after `=` or after `: ` (YAML): `DB_PASSWORD = process.env.X` is code, not a value.
 */
const PASSWORD_VARIABLE = new RegExp(
  String.raw`\b(?:PGPASSWORD|(?:[A-Z0-9]+_)*(?:DB|POSTGRES|DATABASE)_PASSWORD)\b["']?(?:\s*[:=]\s*(["'\`])(.*?)\1|=(${TEMPLATE}|[^\s'"\`;&|]+)|:[ \t]+(${TEMPLATE}|[^\s'"\`#,]+))`,
  'g',
);
/**
 * libpq's keyword/value connection string: `host=db port=5432 user=app password=… sslmode=require`, in a
 * file or a code string; a value is bare or in single quotes (with \' and \\ escapes). `?password=` and
 * `&password=` are URL parameters (above); `db_password=` is another name.
 */
const CONNINFO_PASSWORD = new RegExp(String.raw`(?<![^\s'"\`(=:])password[ \t]*=[ \t]*(?:'((?:[^'\\]|\\.)*)'|(${TEMPLATE}|[^\s'"\`]+))`, 'g');
/** A line is a conninfo only with another of libpq's keywords: a lone `password=` is prose or a form field. */
const CONNINFO_KEYWORD = /(?<![^\s'"`(=:])(?:host|hostaddr|port|dbname|user|sslmode|sslrootcert|sslcert|sslkey|connect_timeout|application_name|options|target_session_attrs|service|passfile|channel_binding|gssencmode|require_auth)[ \t]*=/;
/** `'…password=' + pw + '…'`: the quotes close a code string around a concatenation, not a quoted value. */
const CONCATENATION = /^\s*(?:\+|\.|\|\||,)\s/;
/** `connect(host=host, password=db_password)`: a keyword argument naming a variable, cut by the scanner's stops. */
const ARGUMENT = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:[,);]+|[[(])$/;
/**
 * A POSIX extended regex for `git log -G` that every line scanText reports also matches: git
 * skips the other changes in C, and scanText judges the lines that remain.
 */
export const LINE_PREFILTER = String.raw`eyJ[A-Za-z0-9_-]{8,}\.eyJ|sb_secret_|postgres[A-Za-z0-9_+]*://|PGPASSWORD|(DB|POSTGRES|DATABASE)_PASSWORD|password`;
/** API documentation shows keys such as sb_secret_live_example_…; a real key is random. */
const EXAMPLE_KEY = /example|x{6,}|placeholder/i;
/**
 * Documentation and templates write placeholders, not passwords. The whole value must be one:
 * `*Kq9…` or `$Zt8…` are passwords that merely start like a placeholder. `postgres` is the
 * public default of local stacks (supabase start, the postgres image), not a secret.
 */
const PLACEHOLDER = new RegExp(
  '^(?:' +
    [
      String.raw`\$\{\w+(?::?\?[^}]*)?\}|\$\{\{.*\}\}|\$\(.*\)`, // ${VAR}, ${VAR:?unset}, ${{ secrets.X }}, $(command)
      String.raw`<[A-Za-z _.-]+>|\[[A-Za-z _.-]+\]|\{\{[^{}]*\}\}|\{[A-Za-z_]*\}`, // <password>, [YOUR-PASSWORD], {{password}}, {password}
      String.raw`%\(\w+\)s|%s`, // %(password)s
      String.raw`\*+|x+|\.\.\.|…`,
      String.raw`password|pass|pwd|secret|postgres|changeme|change[-_]me|redacted|placeholder|example|your[-_]?password|your[-_][a-z_-]+`,
    ].join('|') +
    ')$',
  'i',
);
/** $PGPASSWORD, $db_password, $dbPassword: a variable; `$Zt8Lm3Qw9` (mixed case and digits) is a random password. */
const VARIABLE = /^\$(?:[A-Za-z_]+|[A-Z0-9_]+|[a-z0-9_]+)$/;
/** ${VAR:-default} is a placeholder when its default is. */
const DEFAULTED_VARIABLE = /^\$\{\w+:?-(.*)\}$/;
/** An unquoted value that reads another setting (process.env.X, secrets.db.password, os.getenv(…)), not a password. */
const REFERENCE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(.*)?$/;
const REFERENCE_WORD = /\b(?:env|environ|getenv|secrets?|config|settings|vars|params|credentials|password|pwd)\b/i;

function isPlaceholder(value: string): boolean {
  for (const candidate of new Set([value, decodeURIComponentSafe(value)])) {
    if (candidate === '' || PLACEHOLDER.test(candidate) || VARIABLE.test(candidate)) return true;
    const fallback = DEFAULTED_VARIABLE.exec(candidate);
    if (fallback && (fallback[1] === '' || isPlaceholder(fallback[1]!))) return true;
  }
  return false;
}

const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex');

function jwtRole(payload: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { role?: unknown };
    return typeof claims.role === 'string' ? claims.role : null;
  } catch {
    return null;
  }
}

export function scanText(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const lines = text.split('\n');
  lines.forEach((content, index) => {
    const line = index + 1;
    for (const match of content.matchAll(JWT)) {
      if (jwtRole(match[1]!) === 'service_role') hits.push({ line, kind: 'service-role-jwt', fingerprint: fingerprint(match[0]) });
    }
    for (const match of content.matchAll(SUPABASE_SECRET_KEY)) {
      if (!EXAMPLE_KEY.test(match[0])) hits.push({ line, kind: 'supabase-secret-key', fingerprint: fingerprint(match[0]) });
    }
    for (const pattern of [DATABASE_URL, URL_PASSWORD_PARAMETER]) {
      for (const match of content.matchAll(pattern)) {
        if (!isPlaceholder(match[1]!)) hits.push({ line, kind: 'database-url-password', fingerprint: fingerprint(match[1]!) });
      }
    }
    for (const match of content.matchAll(PASSWORD_VARIABLE)) {
      const quoted = match[2] !== undefined;
      const value = match[2] ?? match[3] ?? match[4]!;
      if (isPlaceholder(value) || (!quoted && REFERENCE.test(value) && REFERENCE_WORD.test(value))) continue;
      hits.push({ line, kind: 'database-password', fingerprint: fingerprint(value) });
    }
    if (CONNINFO_KEYWORD.test(content.replace(CONNINFO_PASSWORD, ''))) {
      for (const match of content.matchAll(CONNINFO_PASSWORD)) {
        const quoted = match[1] !== undefined;
        const value = quoted ? match[1]!.replace(/\\(.)/g, '$1') : match[2]!;
        if (isPlaceholder(value) || (quoted ? CONCATENATION.test(value) : ARGUMENT.test(value) || (REFERENCE.test(value) && REFERENCE_WORD.test(value)))) continue;
        hits.push({ line, kind: 'database-password', fingerprint: fingerprint(value) });
      }
    }
  });
  // One finding per secret: PGPASSWORD=… psql "… password=…" gives the same password twice on a line.
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.line}:${hit.fingerprint}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
