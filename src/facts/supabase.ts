import { z } from '../zod.js';
import { defineFact } from '../model.js';

export const supabaseSecrets = defineFact({
  id: 'supabase.secrets',
  description: 'Names of the Edge Function secrets of the project (values are dropped at the collector)',
  permissions: ['GET /v1/projects/{ref}/secrets'],
  schema: () => z.object({ names: z.array(z.string()) }),
});
