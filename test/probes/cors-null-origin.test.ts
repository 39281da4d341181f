import type { OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import corsCheck from '../../checks/domain/domain.cors.production-origin.js';
import { createCorsCollector } from '../../src/collectors/probes/http.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createTestPki, type TestPki } from './support/certificates.js';
import { collect, collectContext } from './support/context.js';
import { startHttps, type LocalServer } from './support/servers.js';

const APP = 'https://app.example.test';
let pki: TestPki;
const servers: Record<string, LocalServer> = {};
const requestsSeen: string[] = [];

/** A local API whose preflight answer is `answer(origin)`; no CORS headers (403) when it returns null. */
const preflightServer = (answer: (origin: string) => OutgoingHttpHeaders | null) =>
  startHttps(pki.issue(['api.example.test'], 90), (req, res) => {
    if (req.method !== 'OPTIONS') return res.writeHead(200).end();
    requestsSeen.push(`${req.headers.origin} ${req.headers['access-control-request-method']} ${req.headers['access-control-request-headers']}`);
    const headers = answer(req.headers.origin ?? '');
    res.writeHead(headers ? 204 : 403, headers ?? {}).end();
  });
const allow = (origin: string): OutgoingHttpHeaders => ({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'GET,POST', vary: 'Origin' });

beforeAll(async () => {
  pki = createTestPki();
  // An allow-list with `null` in it (left from local file:// testing): only that value and the app get in.
  servers.allowsNull = await preflightServer((origin) => (origin === APP || origin === 'null' ? allow(origin) : null));
  servers.strict = await preflightServer((origin) => (origin === APP ? allow(origin) : null));
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
  pki.cleanup();
});

const config = (server: string): Partial<ConfigInput> => ({
  domain: { name: 'example.test', hosts: { api: 'api.example.test' }, productionOrigins: [APP], resolve: { 'api.example.test': `127.0.0.1:${servers[server]!.port}` } },
});
const noAws = { ok: false, failure: { kind: 'NotConfigured', message: 'no aws section' } };
const PROD = `https://api.example.test/ ← ${APP}`;
const FOREIGN = 'https://api.example.test/ ← https://readiness-cors-probe.invalid';
const NULL = 'https://api.example.test/ ← null';

async function run(server: string) {
  const cfg = config(server);
  const fact = await collect(createCorsCollector({ timeoutMs: 1500 }), collectContext(cfg));
  return { fact, cfg, ...judge(fact, cfg) };
}
function judge(fact: unknown, cfg: Partial<ConfigInput>) {
  const findings = corsCheck.evaluate({ cors: fact, buckets: noAws } as never, { config: collectContext(cfg).config, now: new Date() });
  return { findings, verdicts: findings.map((f) => [f.resource, f.status, f.code]) };
}

describe('CORS preflight from the origin `null` (sandboxed iframes, data: and file: pages)', () => {
  it('an API whose allow-list holds `null` fails, naming the host', async () => {
    const { fact, findings, verdicts } = await run('allowsNull');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'fail', 'null-origin'],
    ]);
    expect(fact).toMatchObject({ nullOrigin: { origin: 'null', connected: true, status: 204, allowOrigin: 'null', allowCredentials: 'true' } });
    expect(findings[2]!.args).toMatchObject({ url: 'https://api.example.test/', allowOrigin: 'null', allowCredentials: 'true' });
    // Asked exactly what the production origin asks.
    expect(requestsSeen).toContain('null POST authorization,content-type');
  });

  it('an API that answers `null` with no Access-Control-Allow-Origin passes', async () => {
    const { fact, verdicts } = await run('strict');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
    expect(fact).toMatchObject({ nullOrigin: { origin: 'null', connected: true, status: 403, allowOrigin: null, allowCredentials: null } });
  });

  it('a snapshot from before the `null` preflight was collected is unverified, never pass', async () => {
    const { fact, cfg } = await run('strict');
    const { nullOrigin: _dropped, ...old } = fact as typeof fact & { nullOrigin?: unknown };
    expect(judge(old, cfg).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'unverified', 'null-origin-not-probed'],
    ]);
  });
});
