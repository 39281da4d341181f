import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../probes/support/certificates.js';
import { startHttp, startHttps, startHung, type LocalServer } from '../probes/support/servers.js';
import { entry, runDeclared, tempFolder } from './support.js';

const TOKEN = 'planted-bearer-token-7f3a9c';
let server: LocalServer;
let selfSigned: LocalServer;
let hung: LocalServer;
let pki: TestPki;
let folder: { dir: string; cleanup(): Promise<void> };
const seenAuthorization: (string | undefined)[] = [];

function answer(req: IncomingMessage, res: ServerResponse): void {
  seenAuthorization.push(req.headers.authorization);
  const json = (body: unknown) => void res.writeHead(200, { 'content-type': 'application/json', 'x-version': '2.4.1' }).end(JSON.stringify(body));
  switch (req.url) {
    case '/empty':
      return void res.writeHead(200, { 'content-type': 'application/json' }).end();
    case '/healthy':
      return json({ status: 'ok', checks: [{ name: 'db', ok: true }, { name: 'queue', ok: true }] });
    case '/degraded':
      return json({ status: 'ok', checks: [{ name: 'db', ok: true }, { name: 'queue', ok: false }] });
    case '/html':
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    case '/private':
      return void res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401).end(req.headers.authorization === `Bearer ${TOKEN}` ? 'welcome' : '');
    default:
      return void res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = await startHttp(answer);
  pki = createTestPki();
  selfSigned = await startHttps(pki.selfSigned('localhost', 10) , (_, res) => res.end('ok'));
  hung = await startHung();
  folder = await tempFolder();
});
afterAll(async () => {
  await Promise.all([server?.close(), selfSigned?.close(), hung?.close(), folder?.cleanup()]);
  pki?.cleanup();
});

const config = (...entries: string[]) => `project: test\ncustomChecks:\n${entries.join('')}`;
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const http = (body: string) => `http:\n  requireTls: false\n  ${body.trim().split('\n').join('\n  ')}`;

describe('declared HTTP checks: holes first', () => {
  it('200 with an empty body fails a required body match or JSON expectation, never passes', async () => {
    const run = await runDeclared(
      config(
        entry('custom.empty-regex', http(`url: ${url('/empty')}\nbodyMatches: '"status":\\s*"ok"'`)),
        entry('custom.empty-json', http(`url: ${url('/empty')}\njson: [{ path: $.status, equals: ok }]`)),
        entry('custom.empty-exists', http(`url: ${url('/empty')}\njson: [{ path: $.status, exists: true }]`)),
      ),
      folder.dir,
    );
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.empty-regex', 'fail', 'body-mismatch'],
      ['custom.empty-json', 'fail', 'body-not-json'],
      ['custom.empty-exists', 'fail', 'body-not-json'],
    ]);
  });

  it('an "every" JSON expectation over a path that selects nothing fails; one failing element fails it', async () => {
    const run = await runDeclared(
      config(
        entry('custom.no-such-list', http(`url: ${url('/healthy')}\njson: [{ path: "$.components[*].ok", equals: true }]`)),
        entry('custom.one-down', http(`url: ${url('/degraded')}\njson: [{ path: "$.checks[*].ok", equals: true }]`)),
        entry('custom.html', http(`url: ${url('/html')}\njson: [{ path: $.status, equals: ok }]`)),
      ),
      folder.dir,
    );
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.no-such-list', 'fail', 'json-unmet'],
      ['custom.one-down', 'fail', 'json-unmet'],
      ['custom.html', 'fail', 'body-not-json'],
    ]);
    expect(run.results[1]!.message).toContain('found false');
  });

  it('no answer in time, or nobody listening, is unverified', async () => {
    const run = await runDeclared(
      config(
        entry('custom.hung', http(`url: http://127.0.0.1:${hung.port}/\ntimeoutMs: 300`)),
        entry('custom.closed', http(`url: http://127.0.0.1:1/`)),
      ),
      folder.dir,
    );
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.hung', 'unverified', 'timeout'],
      ['custom.closed', 'unverified', 'unreachable'],
    ]);
  });

  it('requireTls: a plain-http URL fails; a certificate this machine does not trust fails', async () => {
    const run = await runDeclared(
      config(entry('custom.plain', `http: { url: ${url('/healthy')} }`), entry('custom.self-signed', `http: { url: "https://localhost:${selfSigned.port}/" }`)),
      folder.dir,
    );
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.plain', 'fail', 'not-tls'],
      ['custom.self-signed', 'fail', 'tls-untrusted'],
    ]);
  });

  it('a header whose ${NAME} is not set sends no request and is unverified (not a 401 read as a failure)', async () => {
    seenAuthorization.length = 0;
    const run = await runDeclared(config(entry('custom.private', http(`url: ${url('/private')}\nheaders: { Authorization: "Bearer \${API_TOKEN}" }`))), folder.dir, { env: {} });
    expect(run.rows.map(([, , status, code]) => [status, code])).toEqual([['unverified', 'header-unset']]);
    expect(seenAuthorization).toEqual([]);
  });

  it('a header from the environment is sent, and never written to the fact, the result or its message', async () => {
    seenAuthorization.length = 0;
    const run = await runDeclared(config(entry('custom.private', http(`url: ${url('/private')}\nheaders: { Authorization: "Bearer \${API_TOKEN}" }\nbodyMatches: welcome`))), folder.dir, { env: { API_TOKEN: TOKEN } });
    expect(run.rows.map(([, , status, code]) => [status, code])).toEqual([['pass', 'met']]);
    expect(seenAuthorization).toEqual([`Bearer ${TOKEN}`]);
    expect(JSON.stringify([...run.outcomes])).not.toContain(TOKEN);
    expect(JSON.stringify(run.results)).not.toContain(TOKEN);
  });
});

describe('declared HTTP checks: the happy path', () => {
  it('status, header and JSON expectations met → pass; a header that does not match → fail', async () => {
    const run = await runDeclared(
      config(
        entry('custom.healthy', http(`url: ${url('/healthy')}\nexpectStatus: [200, 204]\nheaderMatches: { X-Version: '^2\\.' }\njson:\n  - { path: $.status, equals: ok }\n  - { path: "$.checks[*].name", includes: db }\n  - { path: "$.checks[*].ok", equals: true }`)),
        entry('custom.old-version', http(`url: ${url('/healthy')}\nheaderMatches: { X-Version: '^3\\.' }`)),
        entry('custom.missing', http(`url: ${url('/nothing')}`)),
      ),
      folder.dir,
    );
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.healthy', 'pass', 'met'],
      ['custom.old-version', 'fail', 'header-mismatch'],
      ['custom.missing', 'fail', 'unexpected-status'],
    ]);
    expect(run.results[0]).toMatchObject({ section: 'domain', severity: 'high', hipaa: ['164.312(b)'], resource: url('/healthy'), scored: true });
  });
});
