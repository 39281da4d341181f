import { z } from '../zod.js';
import { defineFact } from '../model.js';

export const exposedSecrets = defineFact({
  id: 'repository.exposed-secrets',
  description: 'Places where a service-role key or a database password appears in the files of the git work tree the config belongs to, or in the built frontend, and lines any commit of its history added (location, kind and commit only, never the text)',
  permissions: [],
  schema: () => z.object({
    source: z.enum(['git', 'walk']),
    filesScanned: z.number(),
    buildDir: z.string().nullable(),
    /** With `commit` (short hash): found only in that commit of the history, no longer in the work tree. */
    findings: z.array(z.object({ file: z.string(), line: z.number(), kind: z.enum(['service-role-jwt', 'supabase-secret-key', 'database-url-password', 'database-password']), commit: z.string().optional() })),
    /** Files listed but not read (larger than the scan limit, or unreadable): a key may hide there. */
    unscanned: z.array(z.object({ file: z.string(), reason: z.enum(['too-large', 'unreadable']) })).default([]),
    /** `domain.frontendBuildDir` is set but the folder does not exist: the build was not seen. */
    buildDirMissing: z.boolean().default(false),
    /** What was scanned, relative to the config's folder: the git work tree's root (e.g. `..`), else the folder itself (`.`). */
    scope: z.string().nullable().default(null),
    /** Scanned files that are code or configuration (by extension, and .env files); null in older snapshots. */
    sourceFiles: z.number().nullable().default(null),
    /** The history of every ref that was searched; null outside a git work tree; absent in older snapshots (not searched). */
    history: z.object({ commits: z.number(), shallow: z.boolean() }).nullable().optional(),
    /** Why git refused the repository the folder is in (its files were then read as a folder's, its history not at all); null when it did not. */
    gitError: z.string().nullable().optional(),
  }),
});
