/** Query parameters that carry a credential (pre-signed S3/Azure/GCS links, share tokens, OAuth codes). */
const CREDENTIAL_PARAM = /sig|signature|token|key|credential|password|secret|auth|code|session|jwt/i;
const RELATIVE_BASE = 'http://relative.invalid';

/**
 * A link (attestation evidence, probe URL, a redirect's Location) as it may be shown in a report or
 * stored in a snapshot: no user:password@, no signature, token or code in the query. Relative links
 * stay relative.
 */
export function withoutUrlCredentials(link: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(link);
  let url: URL;
  try {
    url = new URL(link, RELATIVE_BASE);
  } catch {
    return withoutTextCredentials(link);
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) if (CREDENTIAL_PARAM.test(name)) url.searchParams.set(name, 'redacted');
  if (absolute) return url.toString();
  return link.startsWith('//') ? `//${url.host}${url.pathname}${url.search}${url.hash}` : `${url.pathname}${url.search}${url.hash}`;
}

/** Whether a URL carries a user or password (`https://user:secret@host`). */
export function hasUrlCredentials(link: string): boolean {
  try {
    const url = new URL(link);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

// In free text (an error message, a rendered report): the user-info of any URL, and the value of any
// credential-like query parameter, also after `&` was HTML-escaped as `&amp;`.
const TEXT_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]*@/gi;
const TEXT_PARAM = /([?&;]|&amp;)([^=&;\s"'<>#]*)=(?!=)([^&;\s"'<>#]*)/gi;

/** The credentials of every URL in a text (error messages, reports), masked in place. */
export function withoutTextCredentials(text: string, mask = 'redacted'): string {
  return text
    .replace(TEXT_USERINFO, (_, scheme: string) => `${scheme}${mask}@`)
    .replace(TEXT_PARAM, (whole, separator: string, name: string, value: string) => (value && CREDENTIAL_PARAM.test(safeDecode(name)) ? `${separator}${name}=${mask}` : whole));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
