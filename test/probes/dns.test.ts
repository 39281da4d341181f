import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dnsCheck from '../../checks/domain/domain.dns.records.js';
import { createDnsCollector } from '../../src/collectors/probes/dns.js';
import { FactError } from '../../src/collectors/types.js';
import { collect, collectContext } from './support/context.js';
import { startDnsServer } from './support/dns-server.js';

const NOW = new Date();
let dns: Awaited<ReturnType<typeof startDnsServer>>;

beforeAll(async () => {
  dns = await startDnsServer({
    'example.test': { A: ['192.0.2.10'] },
    'app.example.test': { CNAME: 'd111abcdef8.cloudfront.net' },
    'd111abcdef8.cloudfront.net': { A: ['192.0.2.20'] },
    // A Route 53 alias: no CNAME, only an address whose PTR names CloudFront.
    'cdn.example.test': { A: ['192.0.2.30'] },
    '30.2.0.192.in-addr.arpa': { PTR: 'server-192-0-2-30.iad89.r.cloudfront.net' },
    'api.example.test': { CNAME: 'd-abc123.execute-api.us-east-1.amazonaws.com' },
    'd-abc123.execute-api.us-east-1.amazonaws.com': { A: ['192.0.2.40'] },
    'wrong.example.test': { A: ['192.0.2.50'] },
    '50.2.0.192.in-addr.arpa': { PTR: 'vps-50.hosting.example' },
    'bare.example.test': { A: ['192.0.2.60'] },
  });
});
afterAll(() => dns.stop());

const evaluate = (fact: unknown, config: Parameters<typeof collectContext>[0]) =>
  dnsCheck.evaluate({ dns: fact } as never, { config: collectContext(config).config, now: NOW }).map((f) => [f.resource, f.status, f.code]);

describe('DNS probe against a local DNS server', () => {
  it('follows CNAME chains, sees aliases through PTR, and tells CloudFront and API Gateway apart', async () => {
    const config = { domain: { name: 'example.test', hosts: { app: 'app.example.test', cdn: 'cdn.example.test', api: 'api.example.test', www: 'www.example.test' } } };
    const fact = await collect(createDnsCollector({ servers: [dns.server] }), collectContext(config));
    expect(fact.records.find((r) => r.host === 'app.example.test')).toMatchObject({ resolved: true, cnames: ['d111abcdef8.cloudfront.net'], addresses: ['192.0.2.20'] });
    expect(fact.records.find((r) => r.host === 'cdn.example.test')).toMatchObject({ cnames: [], reverse: ['server-192-0-2-30.iad89.r.cloudfront.net'] });
    expect(evaluate(fact, config)).toEqual([
      ['example.test', 'pass', 'resolves'],
      ['app.example.test', 'pass', 'points-to-cloudfront'],
      ['cdn.example.test', 'pass', 'points-to-cloudfront'],
      ['api.example.test', 'pass', 'points-to-api-gateway'],
      ['www.example.test', 'fail', 'not-resolving'],
    ]);
  });

  it('fails an app host that resolves to a plain server and an apex that does not exist', async () => {
    const config = { domain: { name: 'missing.test', hosts: { app: 'wrong.example.test', api: 'bare.example.test' } } };
    const fact = await collect(createDnsCollector({ servers: [dns.server] }), collectContext(config));
    expect(evaluate(fact, config)).toEqual([
      ['missing.test', 'fail', 'not-resolving'],
      ['wrong.example.test', 'fail', 'not-cloudfront'],
      ['bare.example.test', 'unverified', 'target-undetermined'],
    ]);
  });

  it('a resolver that does not answer gives unverified, not "does not resolve"', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const config = { domain: { name: 'example.test' } };
      const started = Date.now();
      const fact = await collect(createDnsCollector({ servers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 200 }), collectContext(config));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(evaluate(fact, config)).toEqual([['example.test', 'unverified', 'dns-error']]);
    } finally {
      silent.close();
    }
  });

  it('without a domain section the fact is NotConfigured', async () => {
    await expect(createDnsCollector({ servers: [dns.server] }).collect(collectContext({}))).rejects.toMatchObject({ kind: 'NotConfigured' });
    await expect(createDnsCollector().collect(collectContext({}))).rejects.toBeInstanceOf(FactError);
  });
});
