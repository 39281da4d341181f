import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpCollector } from '../../src/collectors/probes/http.js';
import { withoutUrlCredentials } from '../../src/collectors/url-credentials.js';
import { redact } from '../../src/engine/redact.js';
import { isOneLineError, runCli } from '../support/cli.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { collect, collectContext } from '../probes/support/context.js';
import { startHttp, type LocalServer } from '../probes/support/servers.js';

// Secrets a URL carries: user:password@, and tokens, signatures and OAuth codes in the query.
const PASSWORD = 'urlpw-canary-7f3a9c';
const TOKEN = 'token-canary-1b2e4d';
const CODE = 'code-canary-9d8c7b';
const SIGNATURE = 'sig-canary-5a6b7c';
const CANARIES = [PASSWORD, TOKEN, CODE, SIGNATURE];
const SECRET_URL = `https://alice:${PASSWORD}@app.example.test/callback?state=kept&access_token=${TOKEN}&code=${CODE}&X-Amz-Signature=${SIGNATURE}`;

describe('redaction covers URL-embedded secrets', () => {
  it.each([
    ['plain text', `failed: ${SECRET_URL}`],
    ['JSON', JSON.stringify({ message: SECRET_URL })],
    ['HTML-escaped', SECRET_URL.replaceAll('&', '&amp;')],
    ['a postgres URL', `connect postgres://reader:${PASSWORD}@db.example.test:5432/postgres failed`],
  ])('in %s', (_form, text) => {
    const masked = redact(text, []);
    for (const canary of CANARIES) expect(masked).not.toContain(canary);
    if (text.includes('state=kept')) expect(masked).toContain('state=kept');
  });

  it('a link keeps what a reader needs (scheme, host, path, harmless parameters), relative or absolute', () => {
    expect(withoutUrlCredentials(SECRET_URL)).toBe('https://app.example.test/callback?state=kept&access_token=redacted&code=redacted&X-Amz-Signature=redacted');
    expect(withoutUrlCredentials(`/login?code=${CODE}&next=%2Fhome`)).toBe('/login?code=redacted&next=%2Fhome');
    expect(withoutUrlCredentials(`//cdn.example.test/a?token=${TOKEN}`)).toBe('//cdn.example.test/a?token=redacted');
  });
});

describe('an HTTP Location header', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startHttp((_req, res) => res.writeHead(302, { location: SECRET_URL }).end());
  });
  afterAll(() => server?.close());

  it('is stored without its credentials, and still shows where it redirects', async () => {
    const config = { domain: { name: 'app.example.test', resolve: { 'app.example.test:80': `127.0.0.1:${server.port}` } } };
    const fact = await collect(createHttpCollector({ timeoutMs: 3000 }), collectContext(config));
    const location = fact.find((endpoint) => endpoint.host === 'app.example.test')!.http.location;
    expect(location).toMatch(/^https:\/\/app\.example\.test\/callback\?state=kept&/);
    for (const canary of CANARIES) expect(JSON.stringify(fact)).not.toContain(canary);
  });
});

describe('a password in supabase.apiUrl', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'readiness-apiurl-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is refused with the config (fetch would quote it in its error), and never printed', async () => {
    const config = join(dir, 'readiness.config.yaml');
    await writeFile(config, `project: x\nsupabase:\n  projectRef: ${PROJECT_REF}\n  apiUrl: https://admin:${PASSWORD}@127.0.0.1:9/\n`);
    const run = await runCli(['check', '--config', config, '--section', 'supabase', '--format', 'json'], { SUPABASE_ACCESS_TOKEN: 'sbp_not-a-real-token-0000' });
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(/supabase\.apiUrl: must not carry a user or password/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });
});
