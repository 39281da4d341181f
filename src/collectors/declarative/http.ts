import type { HttpAnswer } from '../../declarative/http.js';
import { HTTP_BODY_LIMIT, httpFact, redactedUrl } from '../../declarative/http.js';
import { observe } from '../../declarative/expect.js';
import type { CustomCheck } from '../../declarative/schema.js';
import { probeRequest } from '../probes/request.js';
import { boundedSignal, probeTarget } from '../probes/target.js';
import { defineCollector } from '../types.js';

/** Socket errors that mean "the server's certificate is not trusted here", as opposed to "no answer". */
const UNTRUSTED_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;
const MATCH_CHARS = 200;

/**
 * One request, through the probes' machinery (domain.resolve honoured, TLS verified unless requireTls is off,
 * no redirect followed), bounded by the entry's timeout. The body is read (up to HTTP_BODY_LIMIT) only when
 * the entry tests it, and only what it asks is kept.
 */
export function createDeclarativeHttpCollector(entry: CustomCheck, unsetHeaders: readonly string[] = [], options: { ca?: string[] } = {}) {
  const spec = entry.http!;
  return defineCollector(httpFact(entry), async (context): Promise<HttpAnswer> => {
    const url = new URL(spec.url);
    const scheme = url.protocol === 'http:' ? 'http' : 'https';
    const target = probeTarget(context.config, url.hostname, url.port ? Number(url.port) : scheme === 'https' ? 443 : 80);
    const base = { url: redactedUrl(spec.url), target, headers: {}, body: null, unsetHeaders: [...unsetHeaders] };
    if (unsetHeaders.length) return { ...base, outcome: 'unreachable', error: 'not requested', status: null, durationMs: 0 };
    const readsBody = spec.bodyMatches !== undefined || spec.json.length > 0;
    const answer = await probeRequest({
      scheme,
      target,
      path: `${url.pathname}${url.search}`,
      method: spec.method,
      headers: spec.headers,
      hostHeader: url.host,
      signal: boundedSignal(context.signal, spec.timeoutMs),
      verifyTls: spec.requireTls,
      ca: options.ca,
      ...(readsBody ? { bodyLimit: HTTP_BODY_LIMIT } : {}),
    });
    if (!answer.ok) {
      const outcome = answer.timedOut ? 'timeout' : UNTRUSTED_CERTIFICATE.test(answer.error) ? 'tls-untrusted' : 'unreachable';
      return { ...base, outcome, error: answer.error, status: null, durationMs: answer.durationMs };
    }
    const headers = Object.fromEntries(
      Object.keys(spec.headerMatches).map((name) => {
        const value = answer.headers[name.toLowerCase()];
        return [name.toLowerCase(), value === undefined ? null : Array.isArray(value) ? value.join(', ') : value];
      }),
    );
    return { ...base, outcome: 'answered', error: null, status: answer.status, durationMs: answer.durationMs, headers, body: answer.body ? bodyOf(answer.body, answer.bodyTruncated === true, spec) : null };
  });
}

function bodyOf(bytes: Buffer, truncated: boolean, spec: NonNullable<CustomCheck['http']>): NonNullable<HttpAnswer['body']> {
  const text = bytes.toString('utf8');
  const found = spec.bodyMatches === undefined || truncated ? null : new RegExp(spec.bodyMatches, 'mu').exec(text);
  return {
    bytes: bytes.length,
    truncated,
    match: found ? found[0].slice(0, MATCH_CHARS) : null,
    json: spec.json.length === 0 || truncated ? [] : jsonObservations(text, spec),
  };
}

function jsonObservations(text: string, spec: NonNullable<CustomCheck['http']>): HttpAnswer['body'] extends infer B ? (B extends { json: infer J } ? J : never) : never {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  return spec.json.map((expectation) => observe(document, expectation.path));
}
