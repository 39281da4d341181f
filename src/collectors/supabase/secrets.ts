import { supabaseSecrets } from '../../facts/supabase.js';
import { defineCollector } from '../types.js';
import { callManagementApi, expectList, managementApi } from './api.js';

export const supabaseSecretsCollector = defineCollector(supabaseSecrets, async (context) => {
  const { api, ref } = managementApi(context);
  const secrets = await callManagementApi(context, 'GET /v1/projects/{ref}/secrets', () =>
    api.GET('/v1/projects/{ref}/secrets', { params: { path: { ref } } }),
  );
  // Only names are kept: the digest of each value never leaves this function.
  return { names: expectList(secrets, 'GET /v1/projects/{ref}/secrets').map((secret) => secret.name).sort() };
});
