import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import headersCheck from '../../checks/domain/domain.http.security-headers.js';
import { createHttpCollector } from '../../src/collectors/probes/http.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createTestPki, type TestPki } from './support/certificates.js';
import { collect, collectContext } from './support/context.js';
import { startHttp, startHttps, type LocalServer } from './support/servers.js';

// What each host's HTTPS answer sends as Strict-Transport-Security (one entry per header line),
// and where its plain-HTTP answer redirects to.
const HOSTS: Record<string, { hsts: string[]; location: string }> = {
  'good.example.test': { hsts: ['max-age=31536000; includeSubDomains'], location: 'https://good.example.test/' },
  'suffix.example.test': { hsts: ['x-max-age=31536000; max-age=0'], location: 'https://suffix.example.test/' },
  'twice.example.test': { hsts: ['max-age=31536000; max-age=31536000'], location: 'https://twice.example.test/' },
  'garbled.example.test': { hsts: ['max-age=31536000abc'], location: 'https://garbled.example.test/' },
  'firstbad.example.test': { hsts: ['includeSubDomains', 'max-age=31536000'], location: 'https://firstbad.example.test/' },
  'firstshort.example.test': { hsts: ['max-age=0', 'max-age=31536000'], location: 'https://firstshort.example.test/' },
  'firstgood.example.test': { hsts: ['max-age=31536000', 'max-age=0'], location: 'https://firstgood.example.test/' },
  'elsewhere.example.test': { hsts: ['max-age=31536000'], location: 'https://evil.example/' },
  'userinfo.example.test': { hsts: ['max-age=31536000'], location: 'https://userinfo.example.test@evil.example/' },
  'nohost.example.test': { hsts: ['max-age=31536000'], location: 'https://' },
  'apex.example.test': { hsts: ['max-age=31536000'], location: 'https://example.test/' },
};

let pki: TestPki;
const servers: LocalServer[] = [];
let resolve: Record<string, string> = {};

const hostOf = (host: string | undefined) => (host ?? '').replace(/:\d+$/, '');

beforeAll(async () => {
  pki = createTestPki();
  const names = ['example.test', ...Object.keys(HOSTS)];
  const secure = await startHttps(pki.issue(names, 90), (req, res: ServerResponse) => {
    const hsts = HOSTS[hostOf(req.headers.host)]?.hsts ?? ['max-age=31536000'];
    res.setHeader('strict-transport-security', hsts.length === 1 ? hsts[0]! : hsts);
    res.writeHead(200).end('ok');
  });
  const plain = await startHttp((req, res) => res.writeHead(301, { location: HOSTS[hostOf(req.headers.host)]?.location ?? 'https://example.test/' }).end());
  servers.push(secure, plain);
  resolve = Object.fromEntries(names.flatMap((name) => [[name, `127.0.0.1:${secure.port}`], [`${name}:80`, `127.0.0.1:${plain.port}`]]));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  pki.cleanup();
});

describe('domain.http.security-headers against local servers', () => {
  it('judges the first Strict-Transport-Security header as a browser parses it, and where http:// goes', async () => {
    const config: Partial<ConfigInput> = { domain: { name: 'example.test', hosts: Object.fromEntries(Object.keys(HOSTS).map((host) => [host.split('.')[0]!, host])), resolve } };
    const fact = await collect(createHttpCollector({ timeoutMs: 3000 }), collectContext(config));
    // Node joins repeated header lines with ", "; the collector keeps what it was given.
    expect(fact.find((e) => e.host === 'firstbad.example.test')!.https.hsts).toBe('includeSubDomains, max-age=31536000');
    // ...and each line apart: the first is the one a browser uses.
    expect(fact.find((e) => e.host === 'firstgood.example.test')!.https.hstsLines).toEqual(['max-age=31536000', 'max-age=0']);
    expect(fact.find((e) => e.host === 'good.example.test')!.https.hstsLines).toEqual(['max-age=31536000; includeSubDomains']);
    // The user-info of a redirect is dropped: what is left is the host the browser goes to.
    expect(fact.find((e) => e.host === 'userinfo.example.test')!.http.location).toBe('https://evil.example/');
    const findings = headersCheck.evaluate({ http: fact } as never, { config: collectContext(config).config, now: new Date() });
    expect(findings.map((f) => [f.resource, f.status, f.code])).toEqual([
      ['example.test', 'pass', 'secure'],
      ['good.example.test', 'pass', 'secure'],
      ['suffix.example.test', 'fail', 'hsts-too-short'],
      ['twice.example.test', 'fail', 'hsts-malformed'],
      ['garbled.example.test', 'fail', 'hsts-malformed'],
      ['firstbad.example.test', 'fail', 'hsts-malformed'],
      ['firstshort.example.test', 'fail', 'hsts-too-short'],
      // The first line is a year: a browser keeps the host on HTTPS for a year, whatever the second says.
      ['firstgood.example.test', 'pass', 'secure'],
      ['elsewhere.example.test', 'unverified', 'redirect-elsewhere'],
      ['userinfo.example.test', 'unverified', 'redirect-elsewhere'],
      ['nohost.example.test', 'fail', 'plain-http-served'],
      ['apex.example.test', 'pass', 'secure'],
    ]);
    // A snapshot from before the lines were kept apart has only the joined value: two lines cannot pass on it.
    const joinedOnly = fact.map((e) => ({ ...e, https: { ...e.https, hstsLines: undefined } }));
    const before = headersCheck.evaluate({ http: joinedOnly } as never, { config: collectContext(config).config, now: new Date() });
    expect(before.find((f) => f.resource === 'firstgood.example.test')).toMatchObject({ status: 'unverified', code: 'hsts-ambiguous' });
  });
});
