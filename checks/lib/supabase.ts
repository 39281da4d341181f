import type { Config } from '../../src/config/schema.js';

/** The project ref for remediation commands, or a placeholder when the section is absent. */
export function projectRefOf(config: Config): string {
  return config.supabase?.projectRef ?? '<project-ref>';
}

/** A Management API PATCH of the auth config, copy-pasteable with SUPABASE_ACCESS_TOKEN set. */
export function authConfigPatch(body: string): string {
  return `curl -fsS -X PATCH "https://api.supabase.com/v1/projects/{{projectRef}}/config/auth" -H "Authorization: Bearer $SUPABASE_ACCESS_TOKEN" -H "Content-Type: application/json" -d '${body}'`;
}
