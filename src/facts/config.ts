import { z } from '../zod.js';
import { defineFact } from '../model.js';

export const attestations = defineFact({
  id: 'attestations',
  description: 'Attestations recorded in config, with the sha256 of each local evidence file',
  permissions: [],
  schema: () => z.record(
    z.string(),
    z.object({
      date: z.string(),
      by: z.string(),
      evidence: z.string(),
      expires: z.string().nullable(),
      /** sha256 of the evidence when it is a local file; null for a URL; "missing" when the file is absent. */
      evidenceSha256: z.string().nullable(),
      evidenceFound: z.boolean(),
    }),
  ),
});
