import { withoutTextCredentials } from '../collectors/url-credentials.js';
import type { Config } from '../config/schema.js';
import type { Report, Result } from '../model.js';

const MIN_LENGTH = 8;
const SECRET_ENV = ['SUPABASE_ACCESS_TOKEN', 'SUPABASE_DB_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
export const REDACTED = '[redacted]';

/**
 * The secret values this run knows of (tokens, keys, database URLs and their passwords), so that a collector's
 * error message or an off-guard fact value that quotes one is masked before it reaches a snapshot, report or log.
 */
export function secretValues(config: Pick<Config, 'supabase'> | Pick<Config, 'supabase' | 'customChecks'> | Record<string, never>, env: NodeJS.ProcessEnv): string[] {
  const supabase = 'supabase' in config ? config.supabase : undefined;
  const values = [supabase?.accessToken, supabase?.dbUrl, ...(supabase?.projects ?? []).flatMap((p) => [p.accessToken, p.dbUrl]), ...SECRET_ENV.map((name) => env[name])];
  // A declared HTTP check's request headers carry tokens (`Authorization: Bearer ${TOKEN}`): none may be quoted anywhere.
  const declared = 'customChecks' in config ? (config.customChecks as Config['customChecks'] | undefined) : undefined;
  for (const item of declared ?? []) if ('http' in item && item.http) values.push(...Object.values(item.http.headers));
  // Any URL of the config may carry a password (an API behind basic auth, a DSN): wherever it is quoted, it is masked.
  for (const url of [...stringsIn(config), env.SUPABASE_DB_URL]) {
    const password = passwordOf(url);
    if (password) values.push(password);
  }
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
  const pattern = forms.length ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    const masked = pattern ? text.replace(pattern, REDACTED) : text;
    return mayHoldUrlCredentials(masked) ? withoutTextCredentials(masked, REDACTED) : masked;
  };
}

/**
 * What `withoutTextCredentials` looks for needs a user-info (`://` then `@`) or a query parameter (`=` after `?`, `&`
 * or `;`): most strings have neither, and its scan costs (commands hold `=` without a query, messages `://` without `@`).
 */
function mayHoldUrlCredentials(text: string): boolean {
  const query = text.includes('=') && (text.includes('?') || text.includes('&') || text.includes(';'));
  return query || (text.includes('://') && text.includes('@'));
}

/**
 * The report with every string masked, keys included, at any depth: what the reporters then render is clean data, so
 * no output needs scanning (at 10,000 resources the outputs are over 100 MB; their strings, masked one by one, are a
 * few). Copy on write: a part without a secret is the same object, so a clean report costs no allocation.
 */
export function redactReport(report: Report, secrets: readonly string[]): Report {
  const mask = redactor(secrets);
  // The same few keys name the fields of 300k objects: each is masked once.
  const maskedKeys = new Map<string, string>();
  const maskKey = (key: string) => {
    let masked = maskedKeys.get(key);
    if (masked === undefined) maskedKeys.set(key, (masked = mask(key)));
    return masked;
  };
  // Results of one check follow each other and share their risk, remediation, HIPAA list: under a clean key, the
  // value the last object had (a string equal to it, the same object) is known clean and not walked again.
  const lastClean = new Map<string, unknown>();
  const plainKeysOnly = !hasEnumerableKey(Object.prototype);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return mask(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let items: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = walk(value[i]);
        if (item !== value[i]) (items ??= value.slice())[i] = item;
      }
      return items ?? value;
    }
    let entries: Record<string, unknown> | undefined;
    // A plain object's keys by for-in (it makes no array; a 10k-resource report has 300k objects), when no enumerable
    // key was added to Object.prototype (for-in would list it); any other object's by Object.keys.
    if (plainKeysOnly && Object.getPrototypeOf(value) === Object.prototype) for (const key in value) entries = visit(value as Record<string, unknown>, key, entries);
    else for (const key of Object.keys(value)) entries = visit(value as Record<string, unknown>, key, entries);
    return entries ?? value;
  };
  /** One field of an object: its masked copy (made on the first field that changes), or undefined while none has. */
  const visit = (value: Record<string, unknown>, key: string, entries: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
    const item = value[key];
    const previous = lastClean.get(key);
    if (previous !== undefined && item === previous) return entries;
    // A key under which a clean value was seen is itself clean.
    const maskedKey = previous !== undefined ? key : maskKey(key);
    const masked = walk(item);
    if (maskedKey === key && masked === item) {
      lastClean.set(key, item);
      return entries;
    }
    entries ??= { ...value };
    if (maskedKey !== key) delete entries[key];
    entries[maskedKey] = masked;
    return entries;
  };
  const { results, blockers, ...rest } = report;
  const maskedResults = walk(results) as Result[];
  if (maskedResults === results && walk(rest) === rest) return report;
  // A blocker is also a result: it stays that same (masked) object.
  const position = new Map(results.map((result, i) => [result, i]));
  return { ...(walk(rest) as typeof rest), results: maskedResults, blockers: blockers.map((blocker) => maskedResults[position.get(blocker)!] ?? (walk(blocker) as Result)) };
}

function hasEnumerableKey(object: object): boolean {
  for (const _ in object) return true;
  return false;
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

/** Every string value in the config, at any depth (bounded by the config's own key cap), into one list. */
function stringsIn(value: unknown, strings: string[] = []): string[] {
  if (typeof value === 'string') strings.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, strings);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, strings);
  return strings;
}

function passwordOf(url: string | undefined): string | undefined {
  // A password is written before an `@`: the other strings (an `init`-written config has 10,000s) are not parsed.
  if (!url?.includes('@')) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length >= 6 ? password : undefined;
  } catch {
    return undefined;
  }
}
