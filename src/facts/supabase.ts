import { z } from '../zod.js';
import { defineFact } from '../model.js';

export const supabaseSecrets = defineFact({
  id: 'supabase.secrets',
  description: 'Names of the Edge Function secrets of the project, and whether each value is empty or a placeholder (judged from its digest, which is dropped at the collector)',
  permissions: ['GET /v1/projects/{ref}/secrets'],
  schema: () =>
    z.object({
      names: z.array(z.string()),
      /**
       * Per secret, what its value is: `empty`, `placeholder` (changeme, TODO, ...), `other` (neither), or `unknown` (the
       * answer gave no value). Absent in snapshots from before it was collected.
       */
      values: z.array(z.object({ name: z.string(), kind: z.enum(['empty', 'placeholder', 'other', 'unknown']) })).optional(),
    }),
});
