import { describe, expect, it } from 'vitest';
import dnsRecords from '../../../checks/domain/domain.dns.records.js';
import tlsCertificate from '../../../checks/domain/domain.tls.certificate.js';
import tlsProtocol from '../../../checks/domain/domain.tls.protocol.js';
import securityHeaders from '../../../checks/domain/domain.http.security-headers.js';
import corsOrigin from '../../../checks/domain/domain.cors.production-origin.js';
import probesHealth from '../../../checks/domain/domain.probes.health.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const domain = { name: 'example.test', hosts: { app: 'app.example.test', api: 'api.example.test' }, productionOrigins: ['https://app.example.test'] };
const target = (host: string) => ({ host, address: host, port: 443, overridden: false });
const record = (over: Record<string, unknown>) => ({ host: 'example.test', role: 'apex', resolved: true, cnames: [], addresses: ['192.0.2.1'], reverse: [], error: null, ...over });
const unresolved = (host: string, role: string) => record({ host, role, resolved: false, addresses: [], error: 'ENOTFOUND' });

describe('domain.dns.records', () => {
  const cases: CheckCase[] = [
    {
      name: 'apex resolves, app via CloudFront CNAME, api via API Gateway custom domain',
      facts: { dns: { apex: 'example.test', records: [record({}), record({ host: 'app.example.test', role: 'app', cnames: ['d111.cloudfront.net'] }), record({ host: 'api.example.test', role: 'api', cnames: ['d-abc123.execute-api.us-east-1.amazonaws.com'] })] } },
      config: { domain },
      expected: [['example.test', 'pass', 'resolves'], ['app.example.test', 'pass', 'points-to-cloudfront'], ['api.example.test', 'pass', 'points-to-api-gateway']],
    },
    {
      name: 'a Route 53 alias shows only through the PTR of its address',
      facts: { dns: { apex: 'example.test', records: [record({ host: 'cdn.example.test', role: 'cdn', reverse: ['server-1-2-3-4.iad89.r.cloudfront.net'] })] } },
      expected: [['cdn.example.test', 'pass', 'points-to-cloudfront']],
    },
    {
      name: 'app pointing at another host, api at CloudFront fail',
      facts: { dns: { apex: 'example.test', records: [record({ host: 'app.example.test', role: 'app', reverse: ['vps-1.hosting.example'] }), record({ host: 'api.example.test', role: 'api', cnames: ['d1.cloudfront.net'] })] } },
      expected: [['app.example.test', 'fail', 'not-cloudfront'], ['api.example.test', 'fail', 'not-api-gateway']],
    },
    {
      name: 'addresses only, no CNAME and no reverse name: unverified (an alias cannot be told apart)',
      facts: { dns: { apex: 'example.test', records: [record({ host: 'api.example.test', role: 'api' })] } },
      expected: [['api.example.test', 'unverified', 'target-undetermined']],
    },
    {
      name: 'names that do not resolve fail (the seed: DNS not configured)',
      facts: { dns: { apex: 'example.test', records: [unresolved('example.test', 'apex'), unresolved('app.example.test', 'app')] } },
      expected: [['example.test', 'fail', 'not-resolving'], ['app.example.test', 'fail', 'not-resolving']],
    },
    {
      name: 'a resolver that times out is unverified, not a fail',
      facts: { dns: { apex: 'example.test', records: [record({ resolved: false, addresses: [], error: 'ETIMEOUT' })] } },
      expected: [['example.test', 'unverified', 'dns-error']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(dnsRecords, c)).toEqual(c.expected));
});

const tls = (over: Record<string, unknown> = {}) => ({
  host: 'app.example.test', target: target('app.example.test'), connected: true, error: null, authorized: true, authorizationError: null,
  subject: 'app.example.test', issuer: 'Test CA', subjectAltNames: ['app.example.test'], notAfter: '2026-01-01T00:00:00.000Z', protocol: 'TLSv1.3',
  legacy: { outcome: 'refused', detail: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' }, ...over,
});
const NOW = '2025-10-11T22:30:00Z';

describe('domain.tls.certificate', () => {
  const cases: CheckCase[] = [
    { name: 'trusted, 81 days left passes', facts: { tls: [tls()] }, now: NOW, expected: [['app.example.test', 'pass', 'valid']] },
    { name: '10 days left fails', facts: { tls: [tls({ notAfter: '2025-10-21T22:30:00.000Z' })] }, now: NOW, expected: [['app.example.test', 'fail', 'expiring-soon']] },
    { name: 'expired against now fails', facts: { tls: [tls({ notAfter: '2025-10-01T00:00:00.000Z' })] }, now: NOW, expected: [['app.example.test', 'fail', 'expired']] },
    { name: 'self-signed fails', facts: { tls: [tls({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })] }, now: NOW, expected: [['app.example.test', 'fail', 'untrusted']] },
    { name: 'certificate for another name fails', facts: { tls: [tls({ authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' })] }, now: NOW, expected: [['app.example.test', 'fail', 'name-mismatch']] },
    { name: 'no connection (name does not resolve) is unverified', facts: { tls: [tls({ connected: false, error: 'ENOTFOUND' })] }, now: NOW, expected: [['app.example.test', 'unverified', 'unreachable']] },
    { name: 'a server refusing TLS 1.2+ fails', facts: { tls: [tls({ connected: true, error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', protocol: null })] }, now: NOW, expected: [['app.example.test', 'fail', 'handshake-refused']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(tlsCertificate, c)).toEqual(c.expected));
});

describe('domain.tls.protocol', () => {
  const cases: CheckCase[] = [
    { name: 'TLS 1.3 and legacy refused passes', facts: { tls: [tls()] }, expected: [['app.example.test', 'pass', 'modern-only']] },
    { name: 'TLS 1.0 accepted fails', facts: { tls: [tls({ legacy: { outcome: 'accepted', detail: 'TLSv1' } })] }, expected: [['app.example.test', 'fail', 'legacy-accepted']] },
    { name: 'legacy probe inconclusive is unverified', facts: { tls: [tls({ legacy: { outcome: 'unknown', detail: 'ETIMEDOUT' } })] }, expected: [['app.example.test', 'unverified', 'legacy-undetermined']] },
    { name: 'unreachable is unverified', facts: { tls: [tls({ connected: false, error: 'ECONNREFUSED', protocol: null })] }, expected: [['app.example.test', 'unverified', 'unreachable']] },
    { name: 'TLS 1.2+ refused fails', facts: { tls: [tls({ error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', protocol: null })] }, expected: [['app.example.test', 'fail', 'modern-refused']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(tlsProtocol, c)).toEqual(c.expected));
});

const http = (https: Record<string, unknown>, plain: Record<string, unknown>) => ({
  host: 'app.example.test',
  https: { target: target('app.example.test'), connected: true, error: null, status: 200, hsts: 'max-age=31536000; includeSubDomains', ...https },
  http: { target: { ...target('app.example.test'), port: 80 }, connected: true, error: null, status: 301, location: 'https://app.example.test/', ...plain },
});

describe('domain.http.security-headers', () => {
  const cases: CheckCase[] = [
    { name: 'HSTS 1 year and redirect passes', facts: { http: [http({}, {})] }, expected: [['app.example.test', 'pass', 'secure']] },
    { name: 'port 80 closed counts as no plain-HTTP page', facts: { http: [http({}, { connected: false, error: 'ECONNREFUSED', status: null, location: null })] }, expected: [['app.example.test', 'pass', 'secure']] },
    { name: 'no HSTS fails', facts: { http: [http({ hsts: null }, {})] }, expected: [['app.example.test', 'fail', 'hsts-missing']] },
    { name: 'HSTS of one day fails', facts: { http: [http({ hsts: 'max-age=86400' }, {})] }, expected: [['app.example.test', 'fail', 'hsts-too-short']] },
    { name: 'plain HTTP page served fails', facts: { http: [http({}, { status: 200, location: null })] }, expected: [['app.example.test', 'fail', 'plain-http-served']] },
    { name: 'redirect to http:// still serves plain HTTP', facts: { http: [http({}, { status: 302, location: 'http://app.example.test/login' })] }, expected: [['app.example.test', 'fail', 'plain-http-served']] },
    { name: 'port 80 timing out is unverified', facts: { http: [http({}, { connected: false, error: 'ETIMEDOUT', status: null, location: null })] }, expected: [['app.example.test', 'unverified', 'http-undetermined']] },
    { name: 'no HTTPS answer is unverified', facts: { http: [http({ connected: false, error: 'ENOTFOUND', status: null, hsts: null }, { connected: false, error: 'ENOTFOUND', status: null, location: null })] }, expected: [['app.example.test', 'unverified', 'unreachable']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(securityHeaders, c)).toEqual(c.expected));
});

const preflight = (over: Record<string, unknown> = {}) => ({ origin: 'https://app.example.test', connected: true, error: null, status: 204, allowOrigin: 'https://app.example.test', allowMethods: 'GET,POST', ...over });
const FOREIGN_ORIGIN = 'https://readiness-cors-probe.invalid';
const foreign = (over: Record<string, unknown> = {}) => ({ origin: FOREIGN_ORIGIN, connected: true, error: null, status: 403, allowOrigin: null, allowCredentials: null, ...over });
const nullOrigin = (over: Record<string, unknown> = {}) => ({ origin: 'null', connected: true, error: null, status: 403, allowOrigin: null, allowCredentials: null, ...over });
const cors = (...preflights: unknown[]) => ({ url: 'https://api.example.test/', preflights, foreign: foreign(), nullOrigin: nullOrigin() });
const bucketCors = (bucket: string, origins: string[]) => ({ bucket, rules: [{ allowedOrigins: origins, allowedMethods: ['GET'], allowedHeaders: ['*'] }] });
const API = 'https://api.example.test/ ← https://app.example.test';
const ANY = `https://api.example.test/ ← ${FOREIGN_ORIGIN}`;
const REFUSED: [string, 'pass', string] = [ANY, 'pass', 'foreign-origin-refused'];
const NUL = 'https://api.example.test/ ← null';
const NULL_REFUSED: [string, 'pass', string] = [NUL, 'pass', 'null-origin-refused'];
const noAws = { ok: false, failure: { kind: 'NotConfigured', message: 'no aws section' } };

describe('domain.cors.production-origin', () => {
  const cases: CheckCase[] = [
    { name: 'API allows the origin, no AWS section', facts: { cors: cors(preflight()), buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED] },
    { name: 'API answers * fails', facts: { cors: { ...cors(preflight({ allowOrigin: '*' })), foreign: foreign({ status: 204, allowOrigin: '*' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'fail', 'preflight-wildcard'], [ANY, 'fail', 'preflight-wildcard'], NULL_REFUSED] },
    { name: 'API without CORS headers fails', facts: { cors: cors(preflight({ status: 403, allowOrigin: null })), buckets: noAws }, config: { domain }, expected: [[API, 'fail', 'preflight-rejected'], REFUSED, NULL_REFUSED] },
    { name: 'API unreachable is unverified', facts: { cors: { ...cors(preflight({ connected: false, error: 'ENOTFOUND', status: null, allowOrigin: null })), foreign: foreign({ connected: false, error: 'ENOTFOUND', status: null }), nullOrigin: nullOrigin({ connected: false, error: 'ENOTFOUND', status: null }) }, buckets: noAws }, config: { domain }, expected: [[API, 'unverified', 'preflight-unreachable'], [ANY, 'unverified', 'foreign-origin-unreachable'], [NUL, 'unverified', 'null-origin-unreachable']] },
    { name: 'API echoing the foreign origin fails, even on an error status', facts: { cors: { ...cors(preflight()), foreign: foreign({ status: 403, allowOrigin: FOREIGN_ORIGIN }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], [ANY, 'fail', 'reflects-any-origin'], NULL_REFUSED] },
    { name: 'API allowing `null` fails', facts: { cors: { ...cors(preflight()), foreign: foreign({ status: 204, allowOrigin: 'null' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], [ANY, 'fail', 'reflects-any-origin'], NULL_REFUSED] },
    { name: 'API answering * with credentials fails', facts: { cors: { ...cors(preflight()), foreign: foreign({ status: 204, allowOrigin: '*', allowCredentials: 'true' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], [ANY, 'fail', 'reflects-any-origin'], NULL_REFUSED] },
    { name: 'API naming another origin to the foreign one passes', facts: { cors: { ...cors(preflight()), foreign: foreign({ status: 204, allowOrigin: 'https://app.example.test', allowCredentials: 'true' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED] },
    { name: 'foreign preflight failed is unverified', facts: { cors: { ...cors(preflight()), foreign: foreign({ connected: false, error: 'ECONNRESET', status: null }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], [ANY, 'unverified', 'foreign-origin-unreachable'], NULL_REFUSED] },
    { name: 'a snapshot without the foreign preflight is unverified, never pass', facts: { cors: { url: 'https://api.example.test/', preflights: [preflight()] }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], [ANY, 'unverified', 'foreign-origin-not-probed'], [NUL, 'unverified', 'null-origin-not-probed']] },
    { name: 'API allowing the origin `null` with credentials fails', facts: { cors: { ...cors(preflight()), nullOrigin: nullOrigin({ status: 204, allowOrigin: 'null', allowCredentials: 'true' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, [NUL, 'fail', 'null-origin']] },
    { name: 'API allowing `null` without credentials, in another case, on an error status, fails', facts: { cors: { ...cors(preflight()), nullOrigin: nullOrigin({ status: 403, allowOrigin: ' Null ' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, [NUL, 'fail', 'null-origin']] },
    { name: 'API answering `null` with * fails, with credentials as null-origin', facts: { cors: { ...cors(preflight()), nullOrigin: nullOrigin({ status: 204, allowOrigin: '*', allowCredentials: 'true' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, [NUL, 'fail', 'null-origin']] },
    { name: 'API answering `null` with * fails', facts: { cors: { ...cors(preflight()), nullOrigin: nullOrigin({ status: 204, allowOrigin: '*' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, [NUL, 'fail', 'preflight-wildcard']] },
    { name: 'API naming the production origin to `null` passes', facts: { cors: { ...cors(preflight()), nullOrigin: nullOrigin({ status: 204, allowOrigin: 'https://app.example.test', allowCredentials: 'true' }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED] },
    { name: '`null` preflight failed is unverified', facts: { cors: { ...cors(preflight()), nullOrigin: nullOrigin({ connected: false, error: 'ECONNRESET', status: null }) }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, [NUL, 'unverified', 'null-origin-unreachable']] },
    { name: 'a snapshot without the `null` preflight is unverified, never pass', facts: { cors: { url: 'https://api.example.test/', preflights: [preflight()], foreign: foreign() }, buckets: noAws }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, [NUL, 'unverified', 'null-origin-not-probed']] },
    { name: 'no API host: nothing probed', facts: { cors: { url: null, preflights: [] }, buckets: noAws }, config: { domain }, expected: [['api', 'not_applicable', 'no-api-host']] },
    {
      name: 'bucket rules: the origin allowed, a wildcard, only a plain-http dev origin; no rules at all is skipped',
      facts: { cors: cors(preflight()), buckets: { ok: true, value: [bucketCors('files', ['https://app.example.test']), bucketCors('videos', ['*']), bucketCors('old', ['http://localhost:3000']), { bucket: 'logs', rules: [] }] } },
      config: { domain },
      expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED, ['files', 'pass', 'bucket-allowed'], ['videos', 'fail', 'bucket-wildcard'], ['old', 'fail', 'bucket-insecure-origin']],
    },
    {
      name: 'a `*` anywhere in an allowed origin is a wildcard, next to the production origin too',
      facts: { cors: cors(preflight()), buckets: { ok: true, value: [bucketCors('a', ['https://app.example.test', 'https://*']), bucketCors('b', ['https://app.example.test', 'http://*.example.com']), { bucket: 'c', rules: [{ allowedOrigins: ['https://app.example.test'], allowedMethods: ['GET'], allowedHeaders: [] }, { allowedOrigins: ['https://*.example.test'], allowedMethods: ['GET'], allowedHeaders: [] }] }] } },
      config: { domain },
      expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED, ['a', 'fail', 'bucket-wildcard'], ['b', 'fail', 'bucket-wildcard'], ['c', 'fail', 'bucket-wildcard']],
    },
    {
      name: 'an allowed origin `null` fails, PHI or not; a wildcard next to it is named first',
      facts: { cors: cors(preflight()), buckets: { ok: true, value: [bucketCors('files', ['https://app.example.test', 'null']), bucketCors('assets', ['https://app.example.test', 'NULL']), bucketCors('both', ['null', 'https://*'])] } },
      config: { domain, aws: { s3: { buckets: [{ name: 'files' }, { name: 'assets', phi: false }] } } },
      expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED, ['files', 'fail', 'bucket-null-origin'], ['assets', 'fail', 'bucket-null-origin'], ['both', 'fail', 'bucket-wildcard']],
    },
    {
      name: 'an http:// origin fails for a PHI bucket, not for a `phi: false` one',
      facts: { cors: cors(preflight()), buckets: { ok: true, value: [bucketCors('files', ['https://app.example.test', 'http://app.example.test']), bucketCors('assets', ['https://app.example.test', 'http://localhost:3000'])] } },
      config: { domain, aws: { s3: { buckets: [{ name: 'files' }, { name: 'assets', phi: false }] } } },
      expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED, ['files', 'fail', 'bucket-insecure-origin'], ['assets', 'pass', 'bucket-allowed']],
    },
    { name: 'bucket CORS denied is unverified', facts: { cors: cors(preflight()), buckets: { ok: false, failure: { kind: 'AccessDenied', message: 'grant s3:GetBucketCORS' } } }, config: { domain }, expected: [[API, 'pass', 'preflight-allowed'], REFUSED, NULL_REFUSED, ['s3', 'unverified', 'bucket-cors-unverified']] },
    { name: 'no production origins is unverified', facts: { cors: cors(), buckets: noAws }, config: { domain: { ...domain, productionOrigins: [] } }, expected: [['domain.productionOrigins', 'unverified', 'no-production-origins']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(corsOrigin, c)).toEqual(c.expected));

  it('names the endpoint, the echoed value and the wildcard rule', () => {
    // Through the engine, which hands an optional fact its value.
    const facts = { cors: { ...cors(preflight()), foreign: foreign({ status: 204, allowOrigin: FOREIGN_ORIGIN, allowCredentials: 'true' }) }, buckets: [{ bucket: 'files', rules: [{ allowedOrigins: ['https://app.example.test'], allowedMethods: ['GET'], allowedHeaders: [] }, { allowedOrigins: ['https://*'], allowedMethods: ['GET'], allowedHeaders: [] }] }, bucketCors('uploads', ['https://app.example.test', 'http://app.example.test'])] };
    const [, reflects, , wildcard, insecure] = renderedMessages(corsOrigin, facts, { domain });
    expect(reflects).toContain('https://api.example.test/');
    expect(reflects).toContain(`Access-Control-Allow-Origin: ${FOREIGN_ORIGIN}`);
    expect(reflects).toContain('Access-Control-Allow-Credentials: true');
    expect(wildcard).toContain('files');
    expect(wildcard).toContain('https://* (rule 2)');
    expect(insecure).toContain('uploads');
    expect(insecure).toContain('http://app.example.test');
  });

  it('names the host that allows `null`, and the bucket rule', () => {
    const facts = { cors: { ...cors(preflight()), nullOrigin: nullOrigin({ status: 204, allowOrigin: 'null', allowCredentials: 'true' }) }, buckets: [{ bucket: 'files', rules: [{ allowedOrigins: ['https://app.example.test'], allowedMethods: ['GET'], allowedHeaders: [] }, { allowedOrigins: ['null'], allowedMethods: ['GET'], allowedHeaders: [] }] }] };
    const [, , allowsNull, bucket] = renderedMessages(corsOrigin, facts, { domain });
    expect(allowsNull).toContain('https://api.example.test/');
    expect(allowsNull).toContain('Access-Control-Allow-Origin: null');
    expect(allowsNull).toContain('Access-Control-Allow-Credentials: true');
    expect(bucket).toContain('files');
    expect(bucket).toContain('null (rule 2)');
  });
});

const probe = (over: Record<string, unknown> = {}) => ({ id: 'api-health', url: 'https://api.example.test/health', target: target('api.example.test'), expectStatus: 200, timeoutMs: 5000, outcome: 'answered', status: 200, durationMs: 42, error: null, expectBody: null, bodyMatched: null, contentType: 'application/json', htmlDocument: false, ...over });

describe('domain.probes.health', () => {
  const cases: CheckCase[] = [
    { name: '200 as expected passes', facts: { probes: [probe()] }, expected: [['api-health', 'pass', 'healthy']] },
    { name: '503 fails', facts: { probes: [probe({ status: 503 })] }, expected: [['api-health', 'fail', 'unexpected-status']] },
    { name: 'a timeout is unverified, never pass', facts: { probes: [probe({ outcome: 'timeout', status: null, error: 'ETIMEDOUT' })] }, expected: [['api-health', 'unverified', 'timeout']] },
    { name: 'a refused connection is unverified', facts: { probes: [probe({ outcome: 'unreachable', status: null, error: 'ECONNREFUSED' })] }, expected: [['api-health', 'unverified', 'unreachable']] },
    { name: 'an HTML page (a single-page app fallback) is unverified without expectBody', facts: { probes: [probe({ contentType: 'text/html', htmlDocument: true })] }, expected: [['api-health', 'unverified', 'html-page']] },
    { name: 'the expected body passes, even in HTML', facts: { probes: [probe({ expectBody: 'ok', bodyMatched: true, htmlDocument: true })] }, expected: [['api-health', 'pass', 'healthy']] },
    { name: 'a 200 without the expected body fails', facts: { probes: [probe({ expectBody: 'ok', bodyMatched: false })] }, expected: [['api-health', 'fail', 'unexpected-body']] },
    { name: 'a snapshot from before answers were read is unverified', facts: { probes: [probe({ expectBody: undefined, bodyMatched: undefined, contentType: undefined, htmlDocument: undefined })] }, expected: [['api-health', 'unverified', 'body-not-collected']] },
    { name: 'the wrong status fails before the body is looked at', facts: { probes: [probe({ status: 404, htmlDocument: true })] }, expected: [['api-health', 'fail', 'unexpected-status']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(probesHealth, c)).toEqual(c.expected));
});
