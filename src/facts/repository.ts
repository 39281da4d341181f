import { z } from 'zod';
import { defineFact } from '../model.js';

export const exposedSecrets = defineFact({
  id: 'repository.exposed-secrets',
  description: 'Places where a service-role key or a database password appears in tracked files or the built frontend (location and kind only, never the text)',
  permissions: [],
  schema: z.object({
    source: z.enum(['git', 'walk']),
    filesScanned: z.number(),
    buildDir: z.string().nullable(),
    findings: z.array(z.object({ file: z.string(), line: z.number(), kind: z.enum(['service-role-jwt', 'supabase-secret-key', 'database-url-password']) })),
  }),
});
