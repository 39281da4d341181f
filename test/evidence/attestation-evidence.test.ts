import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import trainingCheck from '../../checks/compliance/compliance.training.js';
import supabaseBaa from '../../checks/supabase/supabase.baa.js';
import { attestationsCollector } from '../../src/collectors/files/attestations.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { checkOptions } from '../../src/engine/options.js';
import type { AnyCheck } from '../../src/model.js';
import { renderedMessages, runCase } from '../support/check-tester.js';
import { collect, collectContext } from '../probes/support/context.js';
import { startHung } from '../probes/support/servers.js';

const NOW = new Date('2025-10-11T22:30:00Z');
const BODY = '%PDF-1.7 signed training attendance list';
const LANDING = '<!doctype html><html><body><h1>Acme cares about your privacy</h1></body></html>';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let root: string;
let server: Server;
let base: string;
let closedPort: number;
const seen: IncomingHttpHeaders[] = [];

const context = (config: Partial<ConfigInput>) => collectContext(config, { baseDir: root, now: NOW });
const evaluate = (check: AnyCheck, facts: Record<string, unknown>, config: Partial<ConfigInput>) => {
  const { config: validated } = context(config);
  return check.evaluate(facts as never, { config: validated, now: NOW, options: checkOptions(check, validated) }).map((f) => [f.resource, f.status, f.code]);
};
const training = (evidence: string, sha256?: string) => ({ attestations: { training: { signed: '2025-09-01', by: 'Jane Doe', evidence, ...(sha256 ? { sha256 } : {}) } } });
/** Collects one `training` attestation with this evidence (and pinned sha256) and runs compliance.training on it. */
async function attest(evidence: string, pinned?: string) {
  const config = training(evidence, pinned);
  const fact = await collect(attestationsCollector, context(config));
  return { fact: fact.training!, findings: evaluate(trainingCheck, { attestations: fact }, config) };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'readiness-attestation-'));
  server = createServer((request, response) => {
    seen.push(request.headers);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/ok') return response.end(BODY);
    if (path === '/trust') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LANDING);
    if (path === '/moved') return response.writeHead(302, { location: '/ok' }).end();
    if (path === '/blank') return response.end(' \n\t\n');
    if (path === '/login') return response.writeHead(403).end('<html>Sign in</html>');
    if (path === '/broken') return response.writeHead(503).end('try later');
    if (path === '/gone') return response.writeHead(410).end();
    return response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

describe('local evidence files', () => {
  it('an empty file is no evidence: fail evidence-empty', async () => {
    write('docs/empty.pdf', '');
    expect((await attest('docs/empty.pdf')).findings).toEqual([['training', 'fail', 'evidence-empty']]);
  });

  it('a file of whitespace only is no evidence either', async () => {
    write('docs/blank.csv', '  \n\r\n\t ');
    expect((await attest('docs/blank.csv')).findings).toEqual([['training', 'fail', 'evidence-empty']]);
  });

  it('a file with content still passes, with its sha256; a missing one still fails', async () => {
    write('docs/attendance.csv', 'name,date\nJane,2025-09-01\n');
    const { fact, findings } = await attest('docs/attendance.csv');
    expect(findings).toEqual([['training', 'pass', 'attested']]);
    expect(fact).toMatchObject({ evidenceFound: true, evidenceSha256: sha256('name,date\nJane,2025-09-01\n') });
    expect((await attest('docs/nowhere.csv')).findings).toEqual([['training', 'fail', 'evidence-missing']]);
  });
});

describe('evidence URLs are fetched', () => {
  it('200 with a body passes, with the sha256 and size of the body', async () => {
    const { fact, findings } = await attest(`${base}/ok`);
    expect(findings).toEqual([['training', 'pass', 'attested']]);
    expect(fact).toMatchObject({ evidenceFound: true, evidenceSha256: sha256(BODY), evidenceStatus: 200, evidenceBytes: Buffer.byteLength(BODY) });
  });

  it('follows a redirect to the document', async () => {
    const { fact, findings } = await attest(`${base}/moved`);
    expect(findings).toEqual([['training', 'pass', 'attested']]);
    expect(fact).toMatchObject({ evidenceSha256: sha256(BODY), evidenceStatus: 200 });
  });

  it('a web page on the link\'s own host (a landing page answers 200 as well as a document) is unverified until pinned', async () => {
    const { fact, findings } = await attest(`${base}/trust`);
    expect(fact).toMatchObject({ evidenceStatus: 200, evidenceContentType: 'text/html', evidenceSha256: sha256(LANDING), pinnedSha256: null });
    expect(findings).toEqual([['training', 'unverified', 'evidence-web-page']]);
    const [message] = renderedMessages(trainingCheck, { attestations: { training: fact } }, training(`${base}/trust`));
    expect(message).toContain(`sha256: ${sha256(LANDING)}`);
    expect((await attest(`${base}/trust`, sha256(LANDING).toUpperCase())).findings).toEqual([['training', 'pass', 'attested']]);
  });

  it('evidence that is no longer what was pinned fails, a file as well as a URL', async () => {
    expect((await attest(`${base}/trust`, sha256('the page as it was reviewed'))).findings).toEqual([['training', 'fail', 'evidence-changed']]);
    write('docs/attendance.csv', 'name,date\nJane,2025-09-01\n');
    expect((await attest('docs/attendance.csv', sha256('name,date\nJane,2025-09-01\nJohn,2025-09-01\n'))).findings).toEqual([['training', 'fail', 'evidence-changed']]);
    expect((await attest('docs/attendance.csv', sha256('name,date\nJane,2025-09-01\n'))).findings).toEqual([['training', 'pass', 'attested']]);
  });

  it('404 and 410 fail as a missing file', async () => {
    expect((await attest(`${base}/baa.pdf`)).findings).toEqual([['training', 'fail', 'evidence-missing']]);
    expect((await attest(`${base}/gone`)).findings).toEqual([['training', 'fail', 'evidence-missing']]);
  });

  it('200 with a blank body fails evidence-empty', async () => {
    expect((await attest(`${base}/blank`)).findings).toEqual([['training', 'fail', 'evidence-empty']]);
  });

  it('a login wall (403) or a server error is unverified, with the status as reason', async () => {
    const login = await attest(`${base}/login`);
    expect(login.findings).toEqual([['training', 'unverified', 'evidence-unreachable']]);
    expect(login.fact).toMatchObject({ evidenceStatus: 403, evidenceFound: false });
    expect((await attest(`${base}/broken`)).findings).toEqual([['training', 'unverified', 'evidence-unreachable']]);
    const [message] = renderedMessages(trainingCheck, { attestations: { training: login.fact } }, training(`${base}/login`));
    expect(message).toContain('403');
  });

  it('a closed port is unverified, with the network error as reason', async () => {
    const { fact, findings } = await attest(`http://127.0.0.1:${closedPort}/baa.pdf`);
    expect(findings).toEqual([['training', 'unverified', 'evidence-unreachable']]);
    expect(fact.evidenceError).toMatch(/ECONNREFUSED/);
    const [message] = renderedMessages(trainingCheck, { attestations: { training: fact } }, training(`http://127.0.0.1:${closedPort}/baa.pdf`));
    expect(message).toMatch(/could not be checked: .*ECONNREFUSED/);
  });

  it('a server that never answers is cut off by the run signal: unverified, not a hang', async () => {
    const hung = await startHung();
    try {
      const config = training(`http://127.0.0.1:${hung.port}/baa.pdf`);
      const fact = await collect(attestationsCollector, collectContext(config, { baseDir: root, now: NOW, timeoutMs: 300 }));
      expect(fact.training).toMatchObject({ evidenceFound: false, evidenceError: expect.stringMatching(/abort|timeout/i) });
      expect(evaluate(trainingCheck, { attestations: fact }, config)).toEqual([['training', 'unverified', 'evidence-unreachable']]);
    } finally {
      await hung.close();
    }
  });

  it('other schemes cannot be fetched: unverified', async () => {
    const { fact, findings } = await attest('ftp://files.example.test/baa.pdf');
    expect(findings).toEqual([['training', 'unverified', 'evidence-unreachable']]);
    expect(fact.evidenceError).toBe('only http(s) evidence can be fetched');
  });

  it('sends no credential of the link, and keeps none in the fact', async () => {
    seen.length = 0;
    const { fact, findings } = await attest(`http://auditor:Hunter2-Secret@127.0.0.1:${(server.address() as AddressInfo).port}/ok?token=s3cr3t-token`);
    expect(findings).toEqual([['training', 'pass', 'attested']]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[0]!.cookie).toBeUndefined();
    expect(JSON.stringify(fact)).not.toMatch(/Hunter2-Secret|s3cr3t-token/);
    const refused = await attest(`http://auditor:Hunter2-Secret@127.0.0.1:${closedPort}/x?token=s3cr3t-token`);
    expect(JSON.stringify(refused.fact)).not.toMatch(/Hunter2-Secret|s3cr3t-token/);
  });
});

describe('a redirect to another host (a private Google Doc or SharePoint link)', () => {
  let docs: Server;
  let signIn: Server;
  let docsBase: string;
  let signInHost: string;
  const PDF = '%PDF-1.7 AWS Business Associate Addendum';

  beforeAll(async () => {
    signIn = createServer((request, response) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname === '/login') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><form>Sign in to continue</form></html>');
      return response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => signIn.listen(0, 'localhost', resolve));
    signInHost = `localhost:${(signIn.address() as AddressInfo).port}`;
    docs = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path === '/document/d/abc/edit') return response.writeHead(302, { location: `http://${signInHost}/login?continue=${encodeURIComponent(`${docsBase}${path}`)}` }).end();
      if (path === '/old/baa.pdf') return response.writeHead(302, { location: '/files/baa.pdf' }).end();
      if (path === '/files/baa.pdf') return response.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF);
      return response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => docs.listen(0, '127.0.0.1', resolve));
    docsBase = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => docs.close(resolve));
    await new Promise((resolve) => signIn.close(resolve));
  });

  it('a 302 to a sign-in page on another host that answers 200 HTML is unverified, never pass', async () => {
    const { fact, findings } = await attest(`${docsBase}/document/d/abc/edit`);
    expect(findings).toEqual([['training', 'unverified', 'evidence-unreachable']]);
    expect(fact).toMatchObject({ evidenceStatus: 200, evidenceFinalHost: signInHost, evidenceContentType: 'text/html' });
    const [message] = renderedMessages(trainingCheck, { attestations: { training: fact } }, training(`${docsBase}/document/d/abc/edit`));
    expect(message).toContain(`redirected to ${signInHost} (a sign-in page?)`);
  });

  it('a redirect on the same host to the PDF still passes', async () => {
    const { fact, findings } = await attest(`${docsBase}/old/baa.pdf`);
    expect(findings).toEqual([['training', 'pass', 'attested']]);
    expect(fact).toMatchObject({ evidenceStatus: 200, evidenceSha256: sha256(PDF), evidenceFinalHost: new URL(docsBase).host, evidenceContentType: 'application/pdf' });
  });

  it('a URL fetched 200 in a snapshot without the final host is unverified: the redirect was not recorded', () => {
    const before = { training: { date: '2025-09-01', by: 'Jane Doe', evidence: 'https://docs.google.com/document/d/abc/edit', expires: null, evidenceSha256: sha256(PDF), evidenceFound: true, evidenceStatus: 200, evidenceBytes: 42, evidenceEmpty: false } };
    expect(evaluate(trainingCheck, { attestations: before }, {})).toEqual([['training', 'unverified', 'evidence-unreachable']]);
  });
});

describe('a snapshot from before evidence URLs were fetched', () => {
  it('is unverified for URL evidence, never pass', () => {
    const before = { 'supabase-baa': { date: '2024-01-15', by: 'Jane Doe', evidence: 'https://supabase.com/dashboard/org/acme/documents', expires: null, evidenceSha256: null, evidenceFound: true } };
    expect(runCase(supabaseBaa, { name: 'old', facts: { attestations: before }, config: { supabase: { projectRef: 'abcdefghijabcdefghij' } }, now: NOW.toISOString(), expected: [] })).toEqual([['supabase-baa', 'unverified', 'evidence-unreachable']]);
    const [message] = renderedMessages(supabaseBaa, { attestations: before }, { supabase: { projectRef: 'abcdefghijabcdefghij' } });
    expect(message).toContain('snapshot from before');
  });

  it('fails a hashed local file whose sha256 is that of an empty file', () => {
    const before = { training: { date: '2025-09-01', by: 'Jane Doe', evidence: 'docs/empty.pdf', expires: null, evidenceSha256: sha256(''), evidenceFound: true } };
    expect(evaluate(trainingCheck, { attestations: before }, {})).toEqual([['training', 'fail', 'evidence-empty']]);
  });
});
