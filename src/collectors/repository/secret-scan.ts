/** Finds credentials in text; reports where and what kind, never the matched text. */

export type SecretKind = 'service-role-jwt' | 'supabase-secret-key' | 'database-url-password';

export interface SecretHit {
  line: number;
  kind: SecretKind;
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{16,}/g;
const SUPABASE_SECRET_KEY = /\bsb_secret_[A-Za-z0-9_-]{20,}/g;
const DATABASE_URL = /\bpostgres(?:ql)?:\/\/[^:/@\s'"`]+:([^@\s'"`]+)@/g;
/** API documentation shows keys such as sb_secret_live_example_…; a real key is random. */
const EXAMPLE_KEY = /example|x{6,}|placeholder/i;
/** Documentation and templates write placeholders, not passwords. */
const PLACEHOLDER = /^(?:[$<[{%*]|x+$|\.\.\.|password$|pass$|pwd$|secret$|postgres$|changeme$|your[-_]?password)/i;

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
      if (jwtRole(match[1]!) === 'service_role') hits.push({ line, kind: 'service-role-jwt' });
    }
    for (const match of content.matchAll(SUPABASE_SECRET_KEY)) {
      if (!EXAMPLE_KEY.test(match[0])) hits.push({ line, kind: 'supabase-secret-key' });
    }
    for (const match of content.matchAll(DATABASE_URL)) {
      if (!PLACEHOLDER.test(decodeURIComponentSafe(match[1]!))) hits.push({ line, kind: 'database-url-password' });
    }
  });
  return hits;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
