import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import corsCheck from '../../checks/domain/domain.cors.production-origin.js';
import healthCheck from '../../checks/domain/domain.probes.health.js';
import headersCheck from '../../checks/domain/domain.http.security-headers.js';
import certificateCheck from '../../checks/domain/domain.tls.certificate.js';
import protocolCheck from '../../checks/domain/domain.tls.protocol.js';
import { createHealthCollector } from '../../src/collectors/probes/health.js';
import { createCorsCollector, createHttpCollector } from '../../src/collectors/probes/http.js';
import { createTlsCollector } from '../../src/collectors/probes/tls.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { collectFacts } from '../../src/engine/collect.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { healthProbes } from '../../src/facts/probes.js';
import type { AnyCheck } from '../../src/model.js';
import { createTestPki, type TestPki } from './support/certificates.js';
import { collect, collectContext } from './support/context.js';
import { startHttp, startHttps, startHung, type LocalServer } from './support/servers.js';

const HSTS = 'max-age=31536000; includeSubDomains';
let pki: TestPki;
const servers: Record<string, LocalServer> = {};
let closedPort: number;
const hostsSeen: string[] = [];

beforeAll(async () => {
  pki = createTestPki();
  const good = pki.issue(['example.test', 'app.example.test', 'api.example.test', 'legacy.example.test'], 90);
  servers.good = await startHttps(good, (req, res) => {
    hostsSeen.push(`${req.method} ${req.headers.host}${req.url}`);
    if (req.method === 'OPTIONS') {
      const allowed = req.headers.origin === 'https://app.example.test';
      res.writeHead(allowed ? 204 : 403, allowed ? { 'access-control-allow-origin': req.headers.origin!, 'access-control-allow-methods': 'GET,POST', vary: 'Origin' } : {});
      return res.end();
    }
    if (req.url === '/down') return res.writeHead(503).end('down');
    // A single-page app's fallback: every unknown path answers 200 with the app's index.html.
    if (req.url?.startsWith('/app/')) return res.writeHead(200, { 'content-type': 'text/html' }).end('\n<!DOCTYPE html>\n<html lang="en"><head><title>App</title></head><body><div id="root"></div></body></html>');
    if (req.url === '/degraded') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"degraded","db":"unreachable"}');
    if (req.url === '/ok') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    res.writeHead(200, { 'strict-transport-security': HSTS }).end(`hello ${req.headers.host}`);
  });
  // Expires in 10 days, sends no HSTS, and answers every preflight with `*`.
  servers.soon = await startHttps(pki.issue(['soon.example.test'], 10), (req, res) => {
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, req.method === 'OPTIONS' ? { 'access-control-allow-origin': '*' } : {}).end();
  });
  servers.self = await startHttps(pki.selfSigned('self.example.test', 90), (_req, res) => res.writeHead(200, { 'strict-transport-security': HSTS }).end());
  servers.legacy = await startHttps({ ...good, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (_req, res) => res.writeHead(200, { 'strict-transport-security': HSTS }).end());
  // Speaks only TLS 1.0/1.1: a handshake at 1.2+ is refused with a protocol_version alert.
  servers.ancient = await startHttps({ ...good, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, (_req, res) => res.writeHead(200).end());
  servers.redirect = await startHttp((req, res) => res.writeHead(301, { location: `https://${req.headers.host}${req.url}` }).end());
  servers.plain = await startHttp((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>plain</h1>'));
  servers.hung = await startHung();
  const closed = await startHttp(() => undefined);
  closedPort = closed.port;
  await closed.close();
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
  pki.cleanup();
});

const at = (name: string) => `127.0.0.1:${servers[name]!.port}`;
const domainConfig = (): Partial<ConfigInput> => ({
  domain: {
    name: 'example.test',
    hosts: { app: 'app.example.test', api: 'api.example.test', soon: 'soon.example.test', self: 'self.example.test', legacy: 'legacy.example.test', other: 'other.example.test', ancient: 'ancient.example.test', hung: 'hung.example.test', gone: 'nowhere.invalid' },
    productionOrigins: ['https://app.example.test', 'https://admin.example.test'],
    resolve: {
      'example.test': at('good'),
      'example.test:80': at('redirect'),
      'app.example.test': at('good'),
      'app.example.test:80': at('redirect'),
      'api.example.test': at('good'),
      'api.example.test:80': at('plain'),
      'soon.example.test': at('soon'),
      'soon.example.test:80': at('redirect'),
      'self.example.test': at('self'),
      'self.example.test:80': at('redirect'),
      'legacy.example.test': at('legacy'),
      'legacy.example.test:80': at('redirect'),
      // The good server's certificate does not name this host.
      'other.example.test': at('good'),
      'other.example.test:80': at('redirect'),
      'ancient.example.test': at('ancient'),
      'hung.example.test': at('hung'),
      'hung.example.test:80': at('hung'),
    },
  },
});

function evaluate(check: AnyCheck, facts: Record<string, unknown>, config: Partial<ConfigInput>) {
  return check.evaluate(facts as never, { config: collectContext(config).config, now: new Date() }).map((f) => [f.resource, f.status, f.code]);
}

describe('TLS probe against local servers', () => {
  it('judges each certificate and protocol, and a hung or unresolvable host is unverified within the timeout', async () => {
    const config = domainConfig();
    const started = Date.now();
    const fact = await collect(createTlsCollector({ ca: [pki.ca.cert], timeoutMs: 1500 }), collectContext(config));
    expect(Date.now() - started).toBeLessThan(6000);
    expect(fact.find((e) => e.host === 'app.example.test')).toMatchObject({ subject: 'example.test', issuer: 'Readiness Test CA', authorized: true, subjectAltNames: expect.arrayContaining(['app.example.test']) });
    expect(evaluate(certificateCheck, { tls: fact }, config)).toEqual([
      ['example.test', 'pass', 'valid'],
      ['app.example.test', 'pass', 'valid'],
      ['api.example.test', 'pass', 'valid'],
      ['soon.example.test', 'fail', 'expiring-soon'],
      ['self.example.test', 'fail', 'untrusted'],
      ['legacy.example.test', 'pass', 'valid'],
      ['other.example.test', 'fail', 'name-mismatch'],
      ['ancient.example.test', 'fail', 'handshake-refused'],
      ['hung.example.test', 'unverified', 'unreachable'],
      ['nowhere.invalid', 'unverified', 'unreachable'],
    ]);
    // Node's default servers refuse TLS 1.0/1.1 with a protocol_version alert; the legacy server
    // (minVersion TLSv1, SECLEVEL=0) completes a TLS 1.1 handshake with the SECLEVEL=0 client.
    expect(evaluate(protocolCheck, { tls: fact }, config)).toEqual([
      ['example.test', 'pass', 'modern-only'],
      ['app.example.test', 'pass', 'modern-only'],
      ['api.example.test', 'pass', 'modern-only'],
      ['soon.example.test', 'pass', 'modern-only'],
      ['self.example.test', 'pass', 'modern-only'],
      ['legacy.example.test', 'fail', 'legacy-accepted'],
      ['other.example.test', 'pass', 'modern-only'],
      ['ancient.example.test', 'fail', 'modern-refused'],
      ['hung.example.test', 'unverified', 'unreachable'],
      ['nowhere.invalid', 'unverified', 'unreachable'],
    ]);
    expect(fact.find((e) => e.host === 'legacy.example.test')!.legacy).toEqual({ outcome: 'accepted', detail: 'TLSv1.1' });
  });

  it('at the default security level this OpenSSL will not even offer TLS 1.0/1.1: the probe must lower it', async () => {
    // Seen here (Node 22, OpenSSL 3.0): without `ciphers: DEFAULT@SECLEVEL=0` the client fails with
    // ERR_SSL_NO_PROTOCOLS_AVAILABLE before sending anything, even to a server that accepts TLS 1.0.
    const error = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: servers.legacy!.port, servername: 'legacy.example.test', rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
      socket.once('secureConnect', () => (socket.end(), resolve('accepted')));
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(error).toBe('ERR_SSL_NO_PROTOCOLS_AVAILABLE');
  });

  it('without the test CA in the trust store, the CA-signed certificate is untrusted', async () => {
    const config: Partial<ConfigInput> = { domain: { name: 'app.example.test', resolve: { 'app.example.test': at('good') } } };
    const fact = await collect(createTlsCollector({ timeoutMs: 1500 }), collectContext(config));
    expect(evaluate(certificateCheck, { tls: fact }, config)).toEqual([['app.example.test', 'fail', 'untrusted']]);
  });
});

describe('HTTP probe against local servers', () => {
  it('reads HSTS and the plain-HTTP answer of each host', async () => {
    const config = domainConfig();
    const fact = await collect(createHttpCollector({ timeoutMs: 1500 }), collectContext(config));
    expect(fact.find((e) => e.host === 'app.example.test')!.http).toMatchObject({ status: 301, location: 'https://app.example.test/' });
    expect(evaluate(headersCheck, { http: fact }, config)).toEqual([
      ['example.test', 'pass', 'secure'],
      ['app.example.test', 'pass', 'secure'],
      ['api.example.test', 'fail', 'plain-http-served'],
      ['soon.example.test', 'fail', 'hsts-missing'],
      ['self.example.test', 'pass', 'secure'],
      ['legacy.example.test', 'pass', 'secure'],
      ['other.example.test', 'pass', 'secure'],
      ['ancient.example.test', 'unverified', 'unreachable'],
      ['hung.example.test', 'unverified', 'unreachable'],
      ['nowhere.invalid', 'unverified', 'unreachable'],
    ]);
  });

  it('preflights the API from each production origin', async () => {
    const config = domainConfig();
    const fact = await collect(createCorsCollector({ timeoutMs: 1500 }), collectContext(config));
    const noAws = { ok: false, failure: { kind: 'NotConfigured', message: 'no aws section' } };
    expect(evaluate(corsCheck, { cors: fact, buckets: noAws }, config)).toEqual([
      ['https://api.example.test/ ← https://app.example.test', 'pass', 'preflight-allowed'],
      ['https://api.example.test/ ← https://admin.example.test', 'fail', 'preflight-rejected'],
      ['https://api.example.test/ ← https://readiness-cors-probe.invalid', 'pass', 'foreign-origin-refused'],
      ['https://api.example.test/ ← null', 'pass', 'null-origin-refused'],
    ]);
    const wildcard: Partial<ConfigInput> = { domain: { name: 'example.test', hosts: { api: 'api.example.test' }, productionOrigins: ['https://app.example.test'], resolve: { 'api.example.test': at('soon') } } };
    const wildcardFact = await collect(createCorsCollector({ timeoutMs: 1500 }), collectContext(wildcard));
    expect(evaluate(corsCheck, { cors: wildcardFact, buckets: noAws }, wildcard)).toEqual([
      ['https://api.example.test/ ← https://app.example.test', 'fail', 'preflight-wildcard'],
      ['https://api.example.test/ ← https://readiness-cors-probe.invalid', 'fail', 'preflight-wildcard'],
      ['https://api.example.test/ ← null', 'fail', 'preflight-wildcard'],
    ]);
  });
});

describe('health probes against local servers', () => {
  const probesConfig = (): Partial<ConfigInput> => ({
    ...domainConfig(),
    probes: [
      { id: 'api-health', url: 'https://api.example.test/health', expectStatus: 200, timeoutMs: 3000 },
      { id: 'api-down', url: 'https://api.example.test/down', expectStatus: 200, timeoutMs: 3000 },
      { id: 'hung', url: 'https://hung.example.test/health', expectStatus: 200, timeoutMs: 800 },
      { id: 'refused', url: `http://127.0.0.1:${closedPort}/health`, expectStatus: 200, timeoutMs: 3000 },
      { id: 'self-signed', url: 'https://self.example.test/health', expectStatus: 200, timeoutMs: 3000 },
    ],
  });

  it('answers, 503, a hung server, a closed port and an untrusted certificate', async () => {
    const config = probesConfig();
    const started = Date.now();
    const fact = await collect(createHealthCollector({ ca: [pki.ca.cert] }), collectContext(config));
    expect(Date.now() - started).toBeLessThan(3500);
    expect(fact.find((p) => p.id === 'hung')).toMatchObject({ outcome: 'timeout', status: null });
    // domain.resolve moved the address, not the name: the server saw the real Host.
    expect(hostsSeen).toContain('GET api.example.test/health');
    expect(fact.find((p) => p.id === 'self-signed')).toMatchObject({ outcome: 'unreachable', error: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(evaluate(healthCheck, { probes: fact }, config)).toEqual([
      ['api-health', 'pass', 'healthy'],
      ['api-down', 'fail', 'unexpected-status'],
      ['hung', 'unverified', 'timeout'],
      ['refused', 'unverified', 'unreachable'],
      ['self-signed', 'unverified', 'unreachable'],
    ]);
  });

  it('a 200 is not healthy when it is a single-page app fallback page or lacks the expected body', async () => {
    const config: Partial<ConfigInput> = {
      ...domainConfig(),
      probes: [
        { id: 'spa-fallback', url: 'https://api.example.test/app/health', expectStatus: 200, timeoutMs: 3000 },
        { id: 'spa-expecting', url: 'https://api.example.test/app/health', expectStatus: 200, expectBody: '"status":"ok"', timeoutMs: 3000 },
        { id: 'degraded', url: 'https://api.example.test/degraded', expectStatus: 200, expectBody: '"status":"ok"', timeoutMs: 3000 },
        { id: 'ok', url: 'https://api.example.test/ok', expectStatus: 200, expectBody: '"status":"ok"', timeoutMs: 3000 },
        { id: 'plain-text', url: 'https://api.example.test/health', expectStatus: 200, timeoutMs: 3000 },
      ],
    };
    const fact = await collect(createHealthCollector({ ca: [pki.ca.cert] }), collectContext(config));
    expect(fact.find((p) => p.id === 'spa-fallback')).toMatchObject({ status: 200, contentType: 'text/html', htmlDocument: true, bodyMatched: null });
    expect(fact.find((p) => p.id === 'degraded')).toMatchObject({ status: 200, bodyMatched: false, htmlDocument: false });
    // Verdicts only: the answer itself is never kept.
    expect(JSON.stringify(fact)).not.toContain('unreachable"');
    expect(JSON.stringify(fact)).not.toContain('root');
    expect(evaluate(healthCheck, { probes: fact }, config)).toEqual([
      ['spa-fallback', 'unverified', 'html-page'],
      ['spa-expecting', 'fail', 'unexpected-body'],
      ['degraded', 'fail', 'unexpected-body'],
      ['ok', 'pass', 'healthy'],
      ['plain-text', 'pass', 'healthy'],
    ]);
  });

  it('sends a probe URL\'s key to the server but keeps it out of the fact', async () => {
    const key = 'sb_secret_probe0123456789abcdefghij';
    const config: Partial<ConfigInput> = { ...domainConfig(), probes: [{ id: 'keyed', url: `https://api.example.test/health?apikey=${key}&v=1`, expectStatus: 200, timeoutMs: 3000 }] };
    const fact = await collect(createHealthCollector({ ca: [pki.ca.cert] }), collectContext(config));
    expect(hostsSeen).toContain(`GET api.example.test/health?apikey=${key}&v=1`);
    expect(fact).toMatchObject([{ id: 'keyed', url: 'https://api.example.test/health?apikey=redacted&v=1' }]);
    expect(JSON.stringify(fact)).not.toContain(key);
  });

  it('through the engine, a hung server never holds the run past its --timeout, and is reported under its own probe id', async () => {
    const probes = [
      { id: 'api-health', url: 'https://api.example.test/health', expectStatus: 200, timeoutMs: 60_000 },
      { id: 'hung', url: 'https://hung.example.test/', expectStatus: 200, timeoutMs: 60_000 },
    ];
    const config = collectContext({ ...domainConfig(), probes });
    const collector = createHealthCollector({ ca: [pki.ca.cert] });
    const started = Date.now();
    const outcomes = await collectFacts([healthProbes], {
      collectors: new Map([[healthProbes.id, collector]]),
      context: { config: config.config, now: config.now, env: {}, baseDir: config.baseDir, aws: config.aws },
      runSignal: AbortSignal.timeout(1_500),
    });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(outcomes.get(healthProbes.id)).toMatchObject({ ok: true, partial: { kind: 'Timeout', unread: ['hung'], read: 1 } });
    const results = evaluateCheck(healthCheck, outcomes, { config: config.config, now: config.now });
    expect(results.map((r) => [r.resource, r.status, r.code])).toEqual([
      ['api-health', 'pass', 'healthy'],
      ['hung', 'unverified', 'fact-unavailable'],
    ]);
    expect(results[1]!.message).toContain('--timeout');
  });

  it('without probes the fact is NotConfigured', async () => {
    await expect(createHealthCollector().collect(collectContext({}))).rejects.toMatchObject({ kind: 'NotConfigured' });
  });
});
