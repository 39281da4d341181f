import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sessionTimeout from '../../checks/supabase/supabase.auth.session-timeout.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';

/**
 * Supabase applies the inactivity timeout and the timebox only when a session is refreshed: the access token
 * stays valid against the Data API for `jwt_exp` seconds whatever they say.
 */
const authPath = `/v1/projects/${PROJECT_REF}/config/auth`;

let server: ManagementApiServer;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url } });
const withAuth = async (over: Record<string, unknown>, drop: string[] = []) => {
  const body: Record<string, unknown> = { ...(projectRoutes()[authPath] as Record<string, unknown>), sessions_inactivity_timeout: 0.25, sessions_timebox: 12, ...over };
  for (const key of drop) delete body[key];
  server.script(authPath, { status: 200, body });
  return collectForChecks([sessionTimeout], config());
};

beforeAll(async () => {
  server = await startManagementApi(projectRoutes());
});
afterAll(() => server.stop());

describe('supabase.auth.session-timeout: the access token lifetime (jwt_exp)', () => {
  it('a 7-day access token fails the 15 min inactivity limit, however short the session timeouts', async () => {
    const run = await withAuth({ jwt_exp: 604800 });
    expect(run.results(sessionTimeout)).toEqual([
      ['inactivity-timeout', 'fail', 'jwt-expiry-too-long'],
      ['session-timebox', 'pass', 'timebox-set'],
    ]);
  });

  it('the Supabase default (1 h access token) fails the 15 min inactivity limit', async () => {
    const run = await withAuth({ jwt_exp: 3600 });
    expect(run.results(sessionTimeout)[0]).toEqual(['inactivity-timeout', 'fail', 'jwt-expiry-too-long']);
  });

  it('a 15 min access token with a 15 min inactivity timeout passes', async () => {
    const run = await withAuth({ jwt_exp: 900 });
    expect(run.results(sessionTimeout)).toEqual([
      ['inactivity-timeout', 'pass', 'inactivity-set'],
      ['session-timebox', 'pass', 'timebox-set'],
    ]);
    const auth = run.outcomes.get('supabase.auth');
    expect(auth?.ok && auth.value).toMatchObject({ jwtExpirySeconds: 900 });
  });

  it('jwt_exp null in the answer is unverified, never a pass', async () => {
    const run = await withAuth({ jwt_exp: null });
    expect(run.results(sessionTimeout)[0]).toEqual(['inactivity-timeout', 'unverified', 'jwt-expiry-unknown']);
  });

  it('jwt_exp absent from the answer is unverified, never a pass', async () => {
    const run = await withAuth({}, ['jwt_exp']);
    expect(run.results(sessionTimeout)[0]).toEqual(['inactivity-timeout', 'unverified', 'jwt-expiry-unknown']);
  });

  it('an unset inactivity timeout still fails as unset, whatever the token lifetime', async () => {
    const run = await withAuth({ sessions_inactivity_timeout: null, jwt_exp: 900 });
    expect(run.results(sessionTimeout)[0]).toEqual(['inactivity-timeout', 'fail', 'inactivity-not-set']);
  });
});
