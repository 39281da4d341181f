import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sslEnforcement from '../../../checks/supabase/supabase.ssl-enforcement.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../../support/management-api-server.js';
import { collectForChecks } from '../../support/supabase-collect.js';

/** supabase.ssl-enforcement, fed by the real collector from the Management API stand-in (GET /v1/projects/{ref}/ssl-enforcement). */
const sslPath = `/v1/projects/${PROJECT_REF}/ssl-enforcement`;

let server: ManagementApiServer;
const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url } });
const withSsl = async (body: unknown) => {
  server.script(sslPath, { status: 200, body });
  return (await collectForChecks([sslEnforcement], config())).results(sslEnforcement);
};

beforeAll(async () => {
  server = await startManagementApi(projectRoutes());
});
afterAll(() => server.stop());

describe('supabase.ssl-enforcement against the Management API answer', () => {
  it('enforced and applied passes', async () => {
    expect(await withSsl({ currentConfig: { database: true }, appliedSuccessfully: true })).toEqual([[PROJECT_REF, 'pass', 'enforced']]);
  });

  it('requested but not applied successfully fails', async () => {
    expect(await withSsl({ currentConfig: { database: true }, appliedSuccessfully: false })).toEqual([[PROJECT_REF, 'fail', 'not-applied']]);
  });

  it('not enforced fails', async () => {
    expect(await withSsl({ currentConfig: { database: false }, appliedSuccessfully: true })).toEqual([[PROJECT_REF, 'fail', 'not-enforced']]);
  });

  it.each([
    ['currentConfig absent', { appliedSuccessfully: true }],
    ['currentConfig empty', { currentConfig: {}, appliedSuccessfully: true }],
    ['currentConfig.database null', { currentConfig: { database: null }, appliedSuccessfully: true }],
    ['appliedSuccessfully absent', { currentConfig: { database: true } }],
    ['only the requested config', { requestedConfig: { database: true } }],
  ])('%s: unverified, never "enforced"', async (_name, body) => {
    expect(await withSsl(body)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });
});
