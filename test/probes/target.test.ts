import { describe, expect, it } from 'vitest';
import { domainHosts, probeTarget } from '../../src/collectors/probes/target.js';
import { makeConfig } from '../support/check-tester.js';

const config = makeConfig({
  domain: {
    name: 'example.test',
    hosts: { app: 'app.example.test', api: 'api.example.test', www: 'example.test' },
    resolve: {
      'app.example.test': 'd33wpxg6ve4byx.cloudfront.net',
      'api.example.test': '127.0.0.1:8443',
      'api.example.test:80': '127.0.0.1:8080',
      'v6.example.test': '[::1]:9443',
    },
  },
});

describe('domain.resolve (like curl --resolve)', () => {
  it.each([
    ['a bare host key keeps the port', 'app.example.test', 443, { address: 'd33wpxg6ve4byx.cloudfront.net', port: 443, overridden: true }],
    ['a bare host key with a port replaces 443', 'api.example.test', 443, { address: '127.0.0.1', port: 8443, overridden: true }],
    ['a host:port key wins for that port', 'api.example.test', 80, { address: '127.0.0.1', port: 8080, overridden: true }],
    ['a bare key with a port does not move port 80', 'v6.example.test', 80, { address: '::1', port: 80, overridden: true }],
    ['IPv6 in brackets', 'v6.example.test', 443, { address: '::1', port: 9443, overridden: true }],
    ['no override: the name itself', 'other.example.test', 443, { address: 'other.example.test', port: 443, overridden: false }],
  ])('%s', (_name, host, port, expected) => {
    expect(probeTarget(config, host, port)).toEqual({ host, ...expected });
  });

  it('probes the apex first, then each host once', () => {
    expect(domainHosts(config)).toEqual([
      { host: 'example.test', role: 'apex' },
      { host: 'app.example.test', role: 'app' },
      { host: 'api.example.test', role: 'api' },
    ]);
  });
});
