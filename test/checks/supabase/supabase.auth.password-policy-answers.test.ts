import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import passwordPolicy from '../../../checks/supabase/supabase.auth.password-policy.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../../support/management-api-server.js';
import { collectForChecks } from '../../support/supabase-collect.js';

/** supabase.auth.password-policy, fed by the real collector from the Management API stand-in (GET /v1/projects/{ref}/config/auth). */
const authPath = `/v1/projects/${PROJECT_REF}/config/auth`;

let server: ManagementApiServer;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url } });
const withAuth = async (over: Record<string, unknown>, drop: string[] = []) => {
  const body: Record<string, unknown> = { ...(projectRoutes()[authPath] as Record<string, unknown>), password_min_length: 12, password_hibp_enabled: true, password_required_characters: '', ...over };
  for (const key of drop) delete body[key];
  server.script(authPath, { status: 200, body });
  return (await collectForChecks([passwordPolicy], config())).results(passwordPolicy);
};

beforeAll(async () => {
  server = await startManagementApi(projectRoutes());
});
afterAll(() => server.stop());

describe('supabase.auth.password-policy against the Management API answer', () => {
  it('12 characters and leaked-password protection pass, without composition rules (NIST SP 800-63B asks for none)', async () => {
    expect(await withAuth({})).toEqual([
      ['min-length', 'pass', 'length-ok'],
      ['leaked-password-protection', 'pass', 'leaked-check-on'],
    ]);
  });

  it('a long minimum length does not hide leaked-password protection being off', async () => {
    expect(await withAuth({ password_min_length: 64, password_required_characters: 'abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789', password_hibp_enabled: false })).toEqual([
      ['min-length', 'pass', 'length-ok'],
      ['leaked-password-protection', 'fail', 'leaked-check-off'],
    ]);
  });

  it('null (unset: the Auth defaults, 6 characters and no leaked-password check) fails', async () => {
    expect(await withAuth({ password_min_length: null, password_hibp_enabled: null })).toEqual([
      ['min-length', 'fail', 'length-short'],
      ['leaked-password-protection', 'fail', 'leaked-check-off'],
    ]);
  });

  it.each(['password_min_length', 'password_hibp_enabled', 'password_required_characters'])('%s absent from the answer: unverified, never a pass', async (field) => {
    expect(await withAuth({}, [field])).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });
});
