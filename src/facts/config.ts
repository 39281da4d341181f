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
      /** The sha256 the config pins (`sha256:`), lower case; null when none. Absent in snapshots from before. */
      pinnedSha256: z.string().nullable().optional(),
      /** sha256 of the evidence file, or of the body of the evidence URL; null when it was not read. */
      evidenceSha256: z.string().nullable(),
      evidenceFound: z.boolean(),
      /** Size in bytes of what was hashed. Absent in snapshots from before. */
      evidenceBytes: z.number().int().nonnegative().optional(),
      /** The file or body is empty or whitespace only. Absent in snapshots from before. */
      evidenceEmpty: z.boolean().optional(),
      /** Final HTTP status of an evidence URL (after redirects). Absent for a file, and in snapshots from before. */
      evidenceStatus: z.number().int().optional(),
      /** Why an evidence URL could not be fetched (network error, timeout, scheme), without credentials. */
      evidenceError: z.string().optional(),
      /** Host (with port) of the evidence URL after redirects. Absent for a file, and in snapshots from before. */
      evidenceFinalHost: z.string().optional(),
      /** Media type the evidence URL answered (e.g. application/pdf, text/html), without parameters. */
      evidenceContentType: z.string().optional(),
    }),
  ),
});
