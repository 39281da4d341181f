import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { supabaseChecks } from '../../checks/supabase/index.js';
import mfa from '../../checks/supabase/supabase.auth.mfa.js';
import passwordPolicy from '../../checks/supabase/supabase.auth.password-policy.js';
import sessionTimeout from '../../checks/supabase/supabase.auth.session-timeout.js';
import verifyJwt from '../../checks/supabase/supabase.functions.verify-jwt.js';
import projectHealthy from '../../checks/supabase/supabase.project.healthy.js';
import secretsRequired from '../../checks/supabase/supabase.secrets.required.js';
import sslEnforcement from '../../checks/supabase/supabase.ssl-enforcement.js';
import networkRestrictions from '../../checks/supabase/supabase.network-restrictions.js';
import backupsPitr from '../../checks/supabase/supabase.backups.pitr.js';
import advisors from '../../checks/supabase/supabase.advisors.security.js';
import { rateLimitWaitMs } from '../../src/collectors/supabase/api.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { deployedFunction, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { collectForChecks, failureOf } from '../support/supabase-collect.js';

const apiChecks = [projectHealthy, secretsRequired, verifyJwt, mfa, sessionTimeout, passwordPolicy, sslEnforcement, networkRestrictions, backupsPitr, advisors];
const base = `/v1/projects/${PROJECT_REF}`;

let server: ManagementApiServer;
const config = (over: Partial<NonNullable<ConfigInput['supabase']>> = {}): Partial<ConfigInput> => ({
  supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url, requiredSecrets: ['DATABASE_PASSWORD'], ...over },
});

beforeAll(async () => {
  server = await startManagementApi(
    projectRoutes({ functions: [deployedFunction('appointments'), deployedFunction('health', { verify_jwt: false })] }),
  );
});
afterAll(() => server.stop());
afterEach(() => {
  server.requests.length = 0;
});

describe('Management API collectors against a local server', () => {
  it('a well-configured project passes every API check, one call per fact', async () => {
    // The deployed function's code checks the user: verify_jwt alone lets the anon key through.
    const project = await mkdtemp(join(tmpdir(), 'readiness-api-functions-'));
    await mkdir(join(project, 'supabase/functions/appointments'), { recursive: true });
    await writeFile(join(project, 'supabase/functions/appointments/index.ts'), "Deno.serve(async (req) => { const { data } = await supabase.auth.getUser(req.headers.get('Authorization')!.slice(7)); return Response.json(data); });\n");
    const run = await collectForChecks(apiChecks, config({ publicFunctions: ['health'], functionsDir: 'supabase/functions' }), { baseDir: project }).finally(() => rm(project, { recursive: true, force: true }));
    for (const check of apiChecks) {
      expect(run.results(check).map(([, status]) => status), check.meta.id).not.toContain('fail');
      expect(run.results(check).map(([, status]) => status), check.meta.id).not.toContain('unverified');
    }
    const paths = server.requests.map((request) => request.path).sort();
    expect(paths).toEqual(
      ['', '/advisors/security', '/config/auth', '/database/backups', '/functions', '/health', '/network-restrictions', '/secrets', '/ssl-enforcement'].map((p) => `${base}${p}`).sort(),
    );
    expect(server.requests.every((request) => request.authorization === 'Bearer test-token')).toBe(true);
    expect(server.requests.find((request) => request.path.endsWith('/health'))?.query.get('services')).toBe('auth,db,rest,storage,realtime');
  });

  it('a service the health answer leaves out is unverified, whatever the others say', async () => {
    server.script(`${base}/health`, { status: 200, body: [{ name: 'auth', healthy: true, status: 'ACTIVE_HEALTHY' }, { name: 'rest', healthy: true, status: 'ACTIVE_HEALTHY' }] });
    const run = await collectForChecks([projectHealthy], config());
    expect(run.results(projectHealthy)).toEqual([
      [PROJECT_REF, 'pass', 'healthy'],
      ['auth', 'pass', 'service-healthy'],
      ['rest', 'pass', 'service-healthy'],
      ['db', 'unverified', 'service-not-reported'],
      ['storage', 'unverified', 'service-not-reported'],
      ['realtime', 'unverified', 'service-not-reported'],
    ]);
  });

  it('maps answers into facts: functions, verify_jwt, timestamps', async () => {
    const run = await collectForChecks([verifyJwt], config());
    // No functionsDir: verify_jwt alone does not say the code checks the user (the anon key is a valid JWT).
    expect(run.results(verifyJwt)).toEqual([
      ['appointments', 'unverified', 'caller-check-unknown'],
      ['health', 'fail', 'not-verified'],
    ]);
    const functions = run.outcomes.get('supabase.functions');
    expect(functions?.ok && functions.value).toEqual([
      { slug: 'appointments', status: 'ACTIVE', version: 3, updatedAt: '2025-10-10T00:00:00.000Z', verifyJwt: true },
      { slug: 'health', status: 'ACTIVE', version: 3, updatedAt: '2025-10-10T00:00:00.000Z', verifyJwt: false },
    ]);
  });

  it('session timeouts are read in hours: 720 h idle and 8760 h timebox fail, 0.25 h and 12 h pass', async () => {
    const auth = projectRoutes()[`${base}/config/auth`] as Record<string, unknown>;
    server.script(`${base}/config/auth`, { status: 200, body: { ...auth, sessions_inactivity_timeout: 720, sessions_timebox: 8760 } });
    const run = await collectForChecks([sessionTimeout], config());
    expect(run.results(sessionTimeout)).toEqual([
      ['inactivity-timeout', 'fail', 'inactivity-too-long'],
      ['session-timebox', 'fail', 'timebox-too-long'],
    ]);
    server.script(`${base}/config/auth`, { status: 200, body: { ...auth, sessions_inactivity_timeout: null, sessions_timebox: null } });
    expect((await collectForChecks([sessionTimeout], config())).results(sessionTimeout)).toEqual([
      ['inactivity-timeout', 'fail', 'inactivity-not-set'],
      ['session-timebox', 'fail', 'timebox-not-set'],
    ]);
    expect((await collectForChecks([sessionTimeout], config())).results(sessionTimeout)).toEqual([
      ['inactivity-timeout', 'pass', 'inactivity-set'],
      ['session-timebox', 'pass', 'timebox-set'],
    ]);
  });

  it('uses SUPABASE_ACCESS_TOKEN when the config has no token', async () => {
    const run = await collectForChecks([sslEnforcement], { supabase: { projectRef: PROJECT_REF, apiUrl: server.url } }, { env: { SUPABASE_ACCESS_TOKEN: 'from-env' } });
    expect(run.results(sslEnforcement)).toEqual([[PROJECT_REF, 'pass', 'enforced']]);
    expect(server.requests[0]?.authorization).toBe('Bearer from-env');
  });
});

describe('Management API failures are typed and fail closed', () => {
  it('401 → NoCredentials, unverified', async () => {
    server.script(`${base}/ssl-enforcement`, { status: 401, body: { message: 'Unauthorized' } });
    const run = await collectForChecks([sslEnforcement], config());
    expect(failureOf(run, 'supabase.ssl-enforcement').kind).toBe('NoCredentials');
    expect(run.results(sslEnforcement).map(([, status, code]) => [status, code])).toEqual([['unverified', 'fact-unavailable']]);
  });

  it('403 → AccessDenied naming the call', async () => {
    server.script(`${base}/config/auth`, { status: 403, body: { message: 'Forbidden' } });
    const run = await collectForChecks([mfa], config());
    const failure = failureOf(run, 'supabase.auth');
    expect(failure.kind).toBe('AccessDenied');
    expect(failure.fix).toContain('GET /v1/projects/{ref}/config/auth');
    expect(run.results(mfa).map(([, status]) => status)).toEqual(['unverified']);
  });

  it('429 with X-RateLimit-Reset waits, then succeeds', async () => {
    server.script(`${base}/network-restrictions`, { status: 429, headers: { 'x-ratelimit-reset': '1' }, body: { message: 'Too many requests' } });
    const started = Date.now();
    const run = await collectForChecks([networkRestrictions], config());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(run.results(networkRestrictions)).toEqual([[PROJECT_REF, 'pass', 'restricted']]);
    expect(server.requests.filter((request) => request.path === `${base}/network-restrictions`)).toHaveLength(2);
  });

  it('429 that does not clear after bounded waits → Throttled', async () => {
    const tooMany = { status: 429, headers: { 'x-ratelimit-reset': '0' }, body: { message: 'Too many requests' } };
    server.script(`${base}/database/backups`, tooMany, tooMany, tooMany);
    const run = await collectForChecks([backupsPitr], config());
    expect(failureOf(run, 'supabase.backups').kind).toBe('Throttled');
    expect(server.requests.filter((request) => request.path === `${base}/database/backups`)).toHaveLength(3);
  });

  it('5xx → Error', async () => {
    server.script(`${base}/advisors/security`, { status: 503, body: { message: 'unavailable' } });
    const run = await collectForChecks([advisors], config());
    expect(failureOf(run, 'supabase.advisors.security')).toMatchObject({ kind: 'Error', message: expect.stringContaining('503') });
  });

  it('an answer missing a documented field is off-schema → MalformedResponse, never a pass', async () => {
    server.script(`${base}/ssl-enforcement`, { status: 200, body: { appliedSuccessfully: true } });
    const run = await collectForChecks([sslEnforcement], config());
    expect(failureOf(run, 'supabase.ssl-enforcement').kind).toBe('MalformedResponse');
  });

  it('an advisor answer without its `lints` list → MalformedResponse, never a clean pass', async () => {
    server.script(`${base}/advisors/security`, { status: 200, body: {} });
    const run = await collectForChecks([advisors], config());
    expect(failureOf(run, 'supabase.advisors.security').kind).toBe('MalformedResponse');
    expect(run.results(advisors)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('network restrictions without any CIDR list → MalformedResponse, never "restricted"', async () => {
    server.script(`${base}/network-restrictions`, { status: 200, body: { entitlement: 'allowed', status: 'applied', config: {} } });
    const run = await collectForChecks([networkRestrictions], config());
    expect(failureOf(run, 'supabase.network-restrictions').kind).toBe('MalformedResponse');
    expect(run.results(networkRestrictions)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('an object where the documented answer is a list → MalformedResponse', async () => {
    server.script(`${base}/functions`, { status: 200, body: { functions: [] } });
    const run = await collectForChecks([verifyJwt], config());
    expect(failureOf(run, 'supabase.functions').kind).toBe('MalformedResponse');
  });

  it('invalid JSON → MalformedResponse', async () => {
    server.script(`${base}/secrets`, { status: 200, raw: '[{"name": "DATABASE_PASS' });
    const run = await collectForChecks([secretsRequired], config());
    expect(failureOf(run, 'supabase.secrets').kind).toBe('MalformedResponse');
  });

  it('nothing listening → Unreachable', async () => {
    const closed = await startManagementApi({});
    const url = closed.url;
    await closed.stop();
    const run = await collectForChecks([sslEnforcement], { supabase: { projectRef: PROJECT_REF, accessToken: 't', apiUrl: url } });
    expect(failureOf(run, 'supabase.ssl-enforcement').kind).toBe('Unreachable');
  });

  it('a server that never answers → Timeout', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const run = await collectForChecks([sslEnforcement], { supabase: { projectRef: PROJECT_REF, accessToken: 't', apiUrl: `http://127.0.0.1:${port}` } }, { collectorTimeoutMs: 300 });
      expect(failureOf(run, 'supabase.ssl-enforcement').kind).toBe('Timeout');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('no token → NoCredentials; no supabase section → not assessed', async () => {
    const noToken = await collectForChecks([mfa], { supabase: { projectRef: PROJECT_REF, apiUrl: server.url } });
    expect(failureOf(noToken, 'supabase.auth').kind).toBe('NoCredentials');
    const absent = await collectForChecks(supabaseChecks, {});
    for (const check of supabaseChecks.filter((c) => c.meta.id !== 'supabase.baa')) {
      expect(absent.results(check).map(([, status]) => status), check.meta.id).toEqual(['not_applicable']);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('X-RateLimit-Reset', () => {
  it('reads seconds, epoch seconds and epoch milliseconds, bounded to a minute', () => {
    const now = 1_760_000_000_000;
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': '2' }), now)).toBe(2000);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 3) }), now)).toBe(3000);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': String(now + 4000) }), now)).toBe(4000);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': '3600' }), now)).toBe(60_000);
  });
});
