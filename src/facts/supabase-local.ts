import { z } from '../zod.js';
import { defineFact } from '../model.js';

/** What the repository holds for Supabase: function folders and migration files (read from disk). */

export const localFunctions = defineFact({
  id: 'supabase.functions.local',
  description: 'Edge Function folders of supabase.functionsDir, with the last change of each, shared folders it imports included (when its last commit reached the checked-out branch, or file times when changed locally), whether the git history is shallow, the checked-out and production (remote default) branches, and whether the code of each checks the caller (auth.getUser, auth.getClaims, jose, the role or sub claim)',
  permissions: [],
  schema: () => z.object({
    dir: z.string(),
    functions: z.array(
      z.object({
        name: z.string(),
        lastModified: z.string(),
        /** git: time of the last commit on the checked-out branch's first-parent line (work tree clean); mtime: newest file time (uncommitted changes, or not a repository). */
        changeSource: z.enum(['git', 'mtime']),
        /** Shared folders of functionsDir (`_shared`, …) the function imports: their changes are its changes. */
        shared: z.array(z.string()).default([]),
        /**
         * Where the function's code (its folder and the shared files it imports) asks who the caller is: the first marker found
         * (`auth.getUser()`, `auth.getClaims()`, `jwtVerify()`, `createRemoteJWKSet()`, `role claim`, `sub claim`) and its file,
         * relative to dir; null: none found. Only the verdict is kept, never source. Absent in snapshots taken before it was collected.
         */
        callerCheck: z.object({ marker: z.string(), file: z.string() }).nullable().optional(),
      }),
    ),
    /** The git history is shallow (CI's default checkout): a commit date may be the clone's boundary, not the last change. */
    shallow: z.boolean().default(false),
    /**
     * The checked-out branch (null: detached HEAD the CI did not name) and the production branch, the remote's default one
     * (null: unknown), of the git work tree; null: not a git work tree. Present only when the commit dates are those at which
     * each change reached the checked-out branch (first-parent history); absent in snapshots taken before it was collected.
     */
    git: z.object({ branch: z.string().nullable(), productionBranch: z.string().nullable() }).nullable().optional(),
  }),
});

export const localMigrations = defineFact({
  id: 'supabase.migrations.local',
  description: 'Migration files (<version>_<name>.sql) of supabase.migrationsDir, each with a hash of its SQL',
  permissions: [],
  schema: () => z.object({
    dir: z.string(),
    versions: z.array(z.string()),
    /** .sql files whose name is not <version>_<name>.sql: the CLI skips them. */
    ignored: z.array(z.string()),
    /** Each migration file with the hash of its SQL (migrationHash), to compare with what was applied. Absent in snapshots taken before it was collected. */
    files: z.array(z.object({ name: z.string(), version: z.string(), hash: z.string() })).optional(),
  }),
});
