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
const originsSeen: string[] = [];

/** A local API whose preflight answer is `answer(origin)`. */
const preflightServer = (answer: (origin: string) => OutgoingHttpHeaders | null) =>
  startHttps(pki.issue(['api.example.test'], 90), (req, res) => {
    if (req.method !== 'OPTIONS') return res.writeHead(200).end();
    originsSeen.push(`${req.headers.origin} ${req.headers['access-control-request-method']} ${req.headers['access-control-request-headers']}`);
    const headers = answer(req.headers.origin ?? '');
    res.writeHead(headers ? 204 : 403, headers ?? {}).end();
  });

beforeAll(async () => {
  pki = createTestPki();
  // Express `cors({ origin: true, credentials: true })`: whatever Origin comes in goes back out.
  servers.reflecting = await preflightServer((origin) => ({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'GET,POST', vary: 'Origin' }));
  servers.strict = await preflightServer((origin) => (origin === APP ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'GET,POST', vary: 'Origin' } : null));
  // Names the production origin to everyone: the browser blocks every other site, so this is safe.
  servers.fixed = await preflightServer(() => ({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' }));
  // Answers an unknown origin with `null`: a sandboxed iframe on any site has the origin `null`.
  servers.nullForOthers = await preflightServer((origin) => ({ 'access-control-allow-origin': origin === APP ? origin : 'null', 'access-control-allow-credentials': 'true' }));
  servers.wildcardCredentials = await preflightServer((origin) => (origin === APP ? { 'access-control-allow-origin': origin } : { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }));
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
  const findings = corsCheck.evaluate({ cors: fact, buckets: noAws } as never, { config: collectContext(cfg).config, now: new Date() });
  return { fact, findings, verdicts: findings.map((f) => [f.resource, f.status, f.code]) };
}

describe('CORS preflight from an origin no one would allow', () => {
  it('an API that reflects any Origin with credentials fails, naming the echoed value', async () => {
    const { fact, findings, verdicts } = await run('reflecting');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'fail', 'reflects-any-origin'],
      [NULL, 'fail', 'null-origin'],
    ]);
    expect(fact).toMatchObject({ foreign: { origin: 'https://readiness-cors-probe.invalid', connected: true, status: 204, allowOrigin: 'https://readiness-cors-probe.invalid', allowCredentials: 'true' } });
    expect(findings[1]!.args).toMatchObject({ url: 'https://api.example.test/', allowOrigin: 'https://readiness-cors-probe.invalid', allowCredentials: 'true' });
    // The foreign preflight asks exactly what the production one asks.
    expect(originsSeen).toContain('https://readiness-cors-probe.invalid POST authorization,content-type');
    expect(originsSeen).toContain(`${APP} POST authorization,content-type`);
  });

  it('an API that allows only the production origin passes', async () => {
    const { verdicts } = await run('strict');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
  });

  it('an API that always names the production origin passes: the foreign site is not allowed', async () => {
    expect((await run('fixed')).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
  });

  it('`null` for an unknown origin, and `*` with credentials, fail', async () => {
    expect((await run('nullForOthers')).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'fail', 'reflects-any-origin'],
      [NULL, 'fail', 'null-origin'],
    ]);
    expect((await run('wildcardCredentials')).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'fail', 'reflects-any-origin'],
      [NULL, 'fail', 'null-origin'],
    ]);
  });

  it('a snapshot from before the foreign preflight was collected is unverified, never pass', async () => {
    const { fact } = await run('strict');
    const { foreign: _dropped, ...old } = fact as typeof fact & { foreign?: unknown };
    const cfg = config('strict');
    const verdicts = corsCheck.evaluate({ cors: old, buckets: noAws } as never, { config: collectContext(cfg).config, now: new Date() }).map((f) => [f.resource, f.status, f.code]);
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'unverified', 'foreign-origin-not-probed'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
  });
});
