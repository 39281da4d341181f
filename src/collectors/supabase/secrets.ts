import { z } from 'zod';
import { supabaseSecrets } from '../../facts/supabase.js';
import { defineCollector, FactError } from '../types.js';
import { managementGet, supabaseProject } from './api.js';

const secretsAnswer = z.array(z.object({ name: z.string() }).loose());

export const supabaseSecretsCollector = defineCollector(supabaseSecrets, async (context) => {
  const { ref } = supabaseProject(context);
  const answer = secretsAnswer.safeParse(await managementGet(context, `/v1/projects/${ref}/secrets`));
  if (!answer.success) throw new FactError('MalformedResponse', 'GET /v1/projects/{ref}/secrets: unexpected answer shape');
  // Only names are kept: the digest of each value never leaves this function.
  return { names: answer.data.map((secret) => secret.name).sort() };
});
