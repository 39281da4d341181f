import { withoutTextCredentials } from '../collectors/url-credentials.js';
import type { Config } from '../config/schema.js';

const MIN_LENGTH = 8;
const SECRET_ENV = ['SUPABASE_ACCESS_TOKEN', 'SUPABASE_DB_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
export const REDACTED = '[redacted]';

/**
 * The secret values this run knows of (tokens, keys, database URLs and their passwords), so that a collector's
 * error message or an off-guard fact value that quotes one is masked before it reaches a snapshot, report or log.
 */
export function secretValues(config: Pick<Config, 'supabase'> | Record<string, never>, env: NodeJS.ProcessEnv): string[] {
  const supabase = 'supabase' in config ? config.supabase : undefined;
  const values = [supabase?.accessToken, supabase?.dbUrl, ...SECRET_ENV.map((name) => env[name])];
  // Any URL of the config may carry a password (an API behind basic auth, a DSN): wherever it is quoted, it is masked.
  for (const url of [...stringsIn(config), env.SUPABASE_DB_URL]) values.push(passwordOf(url));
  const secrets = values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_LENGTH);
  // Longest first: a URL is masked whole before its password is.
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

/**
 * Masks every secret value in a text, also in its JSON-escaped, URL-encoded and HTML-escaped forms,
 * and the credentials of every URL in it (user:password@, tokens, signatures and codes in the query).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), escapeHtml(secret)])) out = out.split(form).join(REDACTED);
  }
  return withoutTextCredentials(out, REDACTED);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Every string value in the config, at any depth (bounded by the config's own key cap). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length >= 6 ? password : undefined;
  } catch {
    return undefined;
  }
}
