import { corsPreflights, FOREIGN_CORS_ORIGIN, httpEndpoints, NULL_CORS_ORIGIN } from '../../facts/probes.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { withoutUrlCredentials } from '../url-credentials.js';
import { header, probeRequest } from './request.js';
import { boundedSignal, DOMAIN_PROBE_TIMEOUT_MS, domainHosts, probeTarget } from './target.js';

type HttpEndpoint = FactValue<typeof httpEndpoints>[number];

const notConfigured = () => new FactError('NotConfigured', 'no `domain` section in the config', 'add `domain: { name, hosts }` to readiness.config.yaml');

export function createHttpCollector(options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? DOMAIN_PROBE_TIMEOUT_MS;
  return defineCollector(httpEndpoints, async (context) => {
    if (!context.config.domain) throw notConfigured();
    return Promise.all(
      domainHosts(context.config).map(async ({ host }): Promise<HttpEndpoint> => {
        const httpsTarget = probeTarget(context.config, host, 443);
        const httpTarget = probeTarget(context.config, host, 80);
        const [secure, plain] = await Promise.all([
          probeRequest({ scheme: 'https', target: httpsTarget, path: '/', signal: boundedSignal(context.signal, timeoutMs), verifyTls: false }),
          probeRequest({ scheme: 'http', target: httpTarget, path: '/', signal: boundedSignal(context.signal, timeoutMs), verifyTls: false }),
        ]);
        return {
          host,
          https: secure.ok
            ? {
                target: httpsTarget,
                connected: true,
                error: null,
                status: secure.status,
                hsts: header(secure.headers, 'strict-transport-security'),
                hstsLines: secure.headerLines['strict-transport-security'] ?? [],
              }
            : { target: httpsTarget, connected: false, error: secure.error, status: null, hsts: null },
          http: plain.ok
            ? { target: httpTarget, connected: true, error: null, status: plain.status, location: redirectTarget(header(plain.headers, 'location')) }
            : { target: httpTarget, connected: false, error: plain.error, status: null, location: null },
        };
      }),
    );
  });
}

/**
 * The API's preflight: `domain.hosts.api`, at `/`; each production origin asks to POST with auth headers,
 * then FOREIGN_CORS_ORIGIN asks the same: an API that echoes any Origin allows the production ones too,
 * and NULL_CORS_ORIGIN: an allow-list holding `null` lets any site in through a sandboxed iframe.
 */
export function createCorsCollector(options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? DOMAIN_PROBE_TIMEOUT_MS;
  return defineCollector(corsPreflights, async (context) => {
    const domain = context.config.domain;
    if (!domain) throw notConfigured();
    const apiHost = domain.hosts.api;
    if (!apiHost) return { url: null, preflights: [] };
    const target = probeTarget(context.config, apiHost, 443);
    const preflight = (origin: string) =>
      probeRequest({
        scheme: 'https',
        target,
        path: '/',
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
        signal: boundedSignal(context.signal, timeoutMs),
        verifyTls: false,
      });
    const otherOrigin = (origin: string) =>
      preflight(origin).then((answer) =>
        answer.ok
          ? { origin, connected: true, error: null, status: answer.status, allowOrigin: header(answer.headers, 'access-control-allow-origin'), allowCredentials: header(answer.headers, 'access-control-allow-credentials') }
          : { origin, connected: false, error: answer.error, status: null, allowOrigin: null, allowCredentials: null },
      );
    const [preflights, foreign, nullOrigin] = await Promise.all([
      Promise.all(
        domain.productionOrigins.map(async (origin) => {
          const answer = await preflight(origin);
          return answer.ok
            ? { origin, connected: true, error: null, status: answer.status, allowOrigin: header(answer.headers, 'access-control-allow-origin'), allowMethods: header(answer.headers, 'access-control-allow-methods') }
            : { origin, connected: false, error: answer.error, status: null, allowOrigin: null, allowMethods: null };
        }),
      ),
      otherOrigin(FOREIGN_CORS_ORIGIN),
      otherOrigin(NULL_CORS_ORIGIN),
    ]);
    return { url: `https://${apiHost}/`, preflights, foreign, nullOrigin };
  });
}

/** Where plain HTTP redirects to: the scheme and host the check needs, never a credential the redirect carries. */
function redirectTarget(location: string | null): string | null {
  return location === null ? null : withoutUrlCredentials(location);
}

export const httpEndpointsCollector = createHttpCollector();
export const corsPreflightsCollector = createCorsCollector();
