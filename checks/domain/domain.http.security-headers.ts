import { defineCheck, type Finding } from '../../src/model.js';
import { httpEndpoints } from '../../src/facts/probes.js';
import { isDnsError } from '../lib/domain.js';

const MIN_HSTS_SECONDS = 31_536_000;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/i;
const QUOTED_STRING = /^"(?:[^"\\]|\\.)*"$/;
/** The statuses a browser follows a Location on (Fetch's redirect statuses). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Splits at `separator` where it is not inside a quoted-string. */
function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts = [''];
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (quoted && char === '\\') parts[parts.length - 1] += char + (value[++i] ?? '');
    else if (char === separator && !quoted) parts.push('');
    else {
      if (char === '"') quoted = !quoted;
      parts[parts.length - 1] += char;
    }
  }
  return parts;
}

/** One Strict-Transport-Security header as a browser reads it (RFC 6797 §6.1): one malformed or repeated directive voids it all. */
function parseHsts(value: string): { maxAge: number } | { problem: string } {
  const seen = new Set<string>();
  let maxAge: number | null = null;
  for (const directive of splitOutsideQuotes(value, ';')) {
    if (directive.trim() === '') continue;
    const equals = directive.indexOf('=');
    const name = (equals < 0 ? directive : directive.slice(0, equals)).trim().toLowerCase();
    const raw = equals < 0 ? null : directive.slice(equals + 1).trim();
    if (!TOKEN.test(name)) return { problem: `"${name}" is not a directive name` };
    if (raw !== null && !TOKEN.test(raw) && !QUOTED_STRING.test(raw)) return { problem: `${name} has a malformed value` };
    if (seen.has(name)) return { problem: `${name} appears more than once` };
    seen.add(name);
    if (name === 'includesubdomains' && raw !== null) return { problem: 'includeSubDomains takes no value' };
    if (name === 'max-age') {
      const seconds = raw?.replace(/^"(.*)"$/, '$1') ?? '';
      if (!/^\d+$/.test(seconds)) return { problem: 'max-age is not a number of seconds' };
      maxAge = Number(seconds);
    }
  }
  return maxAge === null ? { problem: 'no max-age directive' } : { maxAge };
}

/**
 * The header a browser uses: the first Strict-Transport-Security line. Where the lines were kept apart, that line;
 * else (a snapshot from before) only their ", "-joined value is known, and as no single STS header may hold a comma
 * outside a quoted-string, a comma means several headers or one malformed header (ignored): judging the first part
 * can fail honestly either way, but pass in only one (`more`).
 */
function firstHsts(joined: string, lines: readonly string[] | undefined): { hsts: ReturnType<typeof parseHsts>; more: boolean } {
  if (lines?.length) return { hsts: parseHsts(lines[0]!), more: false };
  const [first, ...more] = splitOutsideQuotes(joined, ',');
  return { hsts: parseHsts(first!), more: more.length > 0 };
}

/** Where a browser goes from http://host/: a redirect status whose Location resolves to https, or null. */
function httpsRedirect(host: string, status: number | null, location: string | null): URL | null {
  if (status === null || !REDIRECT_STATUSES.has(status) || location === null) return null;
  try {
    const url = new URL(location, `http://${host}/`);
    return url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const hostKey = (name: string) => name.toLowerCase().replace(/\.$/, '');

export default defineCheck({
  meta: {
    id: 'domain.http.security-headers',
    title: 'HSTS is on and plain HTTP redirects to HTTPS',
    failureTitle: 'HSTS missing or plain HTTP served',
    description: 'Every HTTPS answer must carry Strict-Transport-Security with max-age ≥ 1 year, and http:// must only redirect to https://, so no browser ever sends PHI or session cookies in clear text.',
    section: 'domain',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    remediation: {
      text: 'Attach a CloudFront response headers policy with HSTS (max-age 31536000, includeSubDomains) and set the viewer protocol policy to redirect-to-https',
      command:
        'aws cloudfront create-response-headers-policy --response-headers-policy-config \'{"Name":"hsts-1y","SecurityHeadersConfig":{"StrictTransportSecurity":{"Override":true,"AccessControlMaxAgeSec":31536000,"IncludeSubdomains":true,"Preload":true}}}\'',
      effortMinutes: 20,
    },
    messages: {
      secure: '{{resource}} sends HSTS max-age={{maxAge}} and {{httpOutcome}}',
      unreachable: 'No HTTPS answer from {{resource}} ({{error}}){{dnsHint}}',
      'hsts-missing': '{{resource}} sends no Strict-Transport-Security header',
      'hsts-too-short': '{{resource}} sends HSTS max-age={{maxAge}} (< 31536000)',
      'plain-http-served': 'http://{{resource}}/ answers {{httpStatus}} without redirecting to https://',
      'http-undetermined': 'Could not tell whether http://{{resource}}/ redirects ({{httpError}})',
      'hsts-malformed': '{{resource}} sends a Strict-Transport-Security header that browsers ignore: {{hstsProblem}}',
      'hsts-ambiguous': '{{resource}} sends Strict-Transport-Security "{{hsts}}": several headers (browsers use only the first) or one malformed header, which the probe cannot tell apart',
      'redirect-elsewhere': 'http://{{resource}}/ redirects to https://{{redirectHost}}/, not one of the domain\'s hosts: could not tell whether it is yours (add it to domain.hosts if it is)',
    },
  },
  facts: { http: httpEndpoints },
  evaluate({ http }, { config }) {
    const ownHosts = new Set([config.domain?.name ?? '', ...Object.values(config.domain?.hosts ?? {})].map(hostKey));
    return http.map((endpoint): Finding => {
      const hsts = endpoint.https.hsts === null ? null : firstHsts(endpoint.https.hsts, endpoint.https.hstsLines);
      const maxAge = hsts && 'maxAge' in hsts.hsts ? hsts.hsts.maxAge : null;
      const redirect = endpoint.http.connected ? httpsRedirect(endpoint.host, endpoint.http.status, endpoint.http.location) : null;
      const redirectHost = redirect ? hostKey(redirect.hostname) : null;
      const httpClosed = !endpoint.http.connected && endpoint.http.error === 'ECONNREFUSED';
      const args = {
        maxAge: maxAge ?? 'none',
        hsts: endpoint.https.hsts ?? '',
        hstsProblem: hsts && 'problem' in hsts.hsts ? hsts.hsts.problem : '',
        redirectHost: redirectHost ?? '',
        error: endpoint.https.error ?? '',
        dnsHint: isDnsError(endpoint.https.error) ? ': the name does not resolve, configure DNS first' : '',
        httpStatus: endpoint.http.status ?? 'no answer',
        httpError: endpoint.http.error ?? '',
        httpOutcome: httpClosed ? 'does not listen on plain HTTP' : `redirects http:// to ${endpoint.http.location ?? ''}`,
      };
      const evidence = { hsts: endpoint.https.hsts, httpsStatus: endpoint.https.status, httpStatus: endpoint.http.status, httpLocation: endpoint.http.location, httpError: endpoint.http.error };
      const resource = endpoint.host;
      if (!endpoint.https.connected) return { resource, status: 'unverified', code: 'unreachable', args, evidence };
      if (hsts === null) return { resource, status: 'fail', code: 'hsts-missing', args, evidence };
      if (maxAge === null) return { resource, status: 'fail', code: 'hsts-malformed', args, evidence };
      if (maxAge < MIN_HSTS_SECONDS) return { resource, status: 'fail', code: 'hsts-too-short', args, evidence };
      if (endpoint.http.connected && !redirect) return { resource, status: 'fail', code: 'plain-http-served', args, evidence };
      if (!endpoint.http.connected && !httpClosed) return { resource, status: 'unverified', code: 'http-undetermined', args, evidence };
      if (hsts.more) return { resource, status: 'unverified', code: 'hsts-ambiguous', args, evidence };
      // A site sending http:// to a host the config does not name may be sending users to someone else's.
      if (redirectHost !== null && redirectHost !== hostKey(endpoint.host) && !ownHosts.has(redirectHost)) return { resource, status: 'unverified', code: 'redirect-elsewhere', args, evidence };
      return { resource, status: 'pass', code: 'secure', args, evidence };
    });
  },
});
