import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { spawnCli } from '../support/cli.js';
import { createTestPki, type TestPki } from './support/certificates.js';
import { startHttp, startHttps, startHung, type LocalServer } from './support/servers.js';

let pki: TestPki;
let dir: string;
const servers: LocalServer[] = [];

beforeAll(async () => {
  pki = createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'readiness-probe-cli-'));
  writeFileSync(join(dir, 'test-ca.pem'), pki.ca.cert);
  const https = await startHttps(pki.issue(['app.example.test'], 200), (_req, res) => {
    res.writeHead(200, { 'strict-transport-security': 'max-age=63072000; includeSubDomains; preload' }).end('ok');
  });
  const redirect = await startHttp((req, res) => res.writeHead(308, { location: `https://${req.headers.host}${req.url}` }).end());
  const hung = await startHung();
  servers.push(https, redirect, hung);
  writeFileSync(
    join(dir, 'readiness.config.yaml'),
    [
      'project: probe-cli',
      'domain:',
      '  name: app.example.test',
      '  productionOrigins: [https://app.example.test]',
      '  resolve:',
      `    app.example.test: 127.0.0.1:${https.port}`,
      `    app.example.test:80: 127.0.0.1:${redirect.port}`,
      `    hung.example.test: 127.0.0.1:${hung.port}`,
      'probes:',
      '  - { id: app-health, url: https://app.example.test/health, expectStatus: 200, timeoutMs: 3000 }',
      '  - { id: hung, url: https://hung.example.test/health, expectStatus: 200, timeoutMs: 800 }',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('readiness check with the registered probe collectors', () => {
  it('trusts a private CA through NODE_EXTRA_CA_CERTS, and a hung probe ends unverified in time', async () => {
    const started = Date.now();
    const run = await spawnCli(['check', '--config', join(dir, 'readiness.config.yaml'), '--format', 'json', '--only', 'domain.tls.certificate,domain.tls.protocol,domain.http.security-headers,domain.probes.health'], {
      env: { NODE_EXTRA_CA_CERTS: join(dir, 'test-ca.pem') },
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.results.map((r) => [r.checkId, r.resource, r.status, r.code])).toEqual([
      ['domain.tls.certificate', 'app.example.test', 'pass', 'valid'],
      ['domain.tls.protocol', 'app.example.test', 'pass', 'modern-only'],
      ['domain.http.security-headers', 'app.example.test', 'pass', 'secure'],
      ['domain.probes.health', 'app-health', 'pass', 'healthy'],
      ['domain.probes.health', 'hung', 'unverified', 'timeout'],
    ]);
    expect(report.results[0]!.evidence).toMatchObject({ issuer: 'Readiness Test CA', subjectAltNames: ['app.example.test'] });
    expect(run.code).toBe(1);
  });
});
