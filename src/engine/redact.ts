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
  const values = [supabase?.accessToken, supabase?.dbUrl, ...(supabase?.projects ?? []).flatMap((p) => [p.accessToken, p.dbUrl]), ...SECRET_ENV.map((name) => env[name])];
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
  return redactor(secrets)(text);
}

/** The masking of `redact`, compiled once: one pass over the text for the secrets, whatever their number, then URL credentials. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = formsOf(secrets);
  if (forms.length === 0) return (text) => withoutTextCredentials(text, REDACTED);
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  return (text) => withoutTextCredentials(text.replace(pattern, REDACTED), REDACTED);
}

/**
 * `redact` over text that arrives in pieces (a report streamed to its file): a secret split across two pieces is
 * still masked, since text is only let through up to its last line break, and no secret form spans one.
 */
export function* redactChunks(chunks: Iterable<string>, secrets: readonly string[], batchSize = 1 << 20): Generator<string> {
  const mask = redactor(secrets);
  const multiline = formsOf(secrets).some((form) => form.includes('\n'));
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length < batchSize || multiline) continue;
    const cut = pending.lastIndexOf('\n') + 1;
    if (cut === 0) continue;
    yield mask(pending.slice(0, cut));
    pending = pending.slice(cut);
  }
  if (pending) yield mask(pending);
}

/** Every form of every secret (raw, JSON-escaped, URL-encoded, HTML-escaped), longest first: a URL is masked whole before its password is. */
function formsOf(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), escapeHtml(secret)]) if (form) forms.add(form);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
