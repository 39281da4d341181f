import type { OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import corsCheck from '../../../checks/domain/domain.cors.production-origin.js';
import { createCorsCollector } from '../../../src/collectors/probes/http.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { createTestPki, type TestPki } from './certificates.js';
import { collect, collectContext } from './context.js';
import { startHttps, type LocalServer } from './servers.js';

export const APP = 'https://app.example.test';
/** The three preflights' resources: from the production origin, from a foreign one, from `null`. */
export const PROD = `https://api.example.test/ ← ${APP}`;
export const FOREIGN = 'https://api.example.test/ ← https://readiness-cors-probe.invalid';
export const NULL = 'https://api.example.test/ ← null';

const noAws = { ok: false, failure: { kind: 'NotConfigured', message: 'no aws section' } };

/**
 * Local APIs for the CORS collector and check, one per name, each answering a preflight with `answer(origin)` (403
 * without CORS headers when it returns null). Registers its own beforeAll/afterAll: call it at the top of a file.
 */
export function corsStandIn() {
  let pki: TestPki;
  const servers: Record<string, LocalServer> = {};
  /** `<origin> <requested method> <requested headers>` of every preflight received. */
  const preflightsSeen: string[] = [];
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
    pki.cleanup();
  });
  const config = (server: string): Partial<ConfigInput> => ({
    domain: { name: 'example.test', hosts: { api: 'api.example.test' }, productionOrigins: [APP], resolve: { 'api.example.test': `127.0.0.1:${servers[server]!.port}` } },
  });
  const judge = (fact: unknown, cfg: Partial<ConfigInput>) => {
    const findings = corsCheck.evaluate({ cors: fact, buckets: noAws } as never, { config: collectContext(cfg).config, now: new Date() });
    return { findings, verdicts: findings.map((f) => [f.resource, f.status, f.code]) };
  };
  return {
    preflightsSeen,
    async start(name: string, answer: (origin: string) => OutgoingHttpHeaders | null): Promise<void> {
      servers[name] = await startHttps(pki.issue(['api.example.test'], 90), (req, res) => {
        if (req.method !== 'OPTIONS') return res.writeHead(200).end();
        preflightsSeen.push(`${req.headers.origin} ${req.headers['access-control-request-method']} ${req.headers['access-control-request-headers']}`);
        const headers = answer(req.headers.origin ?? '');
        res.writeHead(headers ? 204 : 403, headers ?? {}).end();
      });
    },
    judge,
    /** Collects the CORS fact against the named server and judges it. */
    async run(server: string) {
      const cfg = config(server);
      const fact = await collect(createCorsCollector({ timeoutMs: 1500 }), collectContext(cfg));
      return { fact, cfg, ...judge(fact, cfg) };
    },
  };
}
