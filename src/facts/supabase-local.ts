import { z } from '../zod.js';
import { defineFact } from '../model.js';

/** What the repository holds for Supabase: function folders and migration files (read from disk). */

export const localFunctions = defineFact({
  id: 'supabase.functions.local',
  description: 'Edge Function folders of supabase.functionsDir, with the last change of each, shared folders it imports included (last commit, or file times when changed locally), and whether the git history is shallow',
  permissions: [],
  schema: () => z.object({
    dir: z.string(),
    functions: z.array(
      z.object({
        name: z.string(),
        lastModified: z.string(),
        /** git: time of the last commit (work tree clean); mtime: newest file time (uncommitted changes, or not a repository). */
        changeSource: z.enum(['git', 'mtime']),
        /** Shared folders of functionsDir (`_shared`, …) the function imports: their changes are its changes. */
        shared: z.array(z.string()).default([]),
      }),
    ),
    /** The git history is shallow (CI's default checkout): a commit date may be the clone's boundary, not the last change. */
    shallow: z.boolean().default(false),
  }),
});

export const localMigrations = defineFact({
  id: 'supabase.migrations.local',
  description: 'Migration files (<version>_<name>.sql) of supabase.migrationsDir',
  permissions: [],
  schema: () => z.object({
    dir: z.string(),
    versions: z.array(z.string()),
    /** .sql files whose name is not <version>_<name>.sql: the CLI skips them. */
    ignored: z.array(z.string()),
  }),
});
