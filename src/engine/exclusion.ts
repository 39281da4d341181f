import type { Config } from '../config/schema.js';
import { UNUSED_SERVICES } from '../config/services.js';
import type { AnyCheck } from '../model.js';

/** Why a check is out of scope: turned off (`checks.<id>.off`) or its service declared unused; undefined when in scope. */
export type Exclusion = { code: 'turned-off'; reason: string } | { code: 'declared-unused'; reason: string; service: string };

export function exclusionOf(check: AnyCheck, config: Config): Exclusion | undefined {
  const off = config.checks[check.meta.id]?.off;
  if (off) return { code: 'turned-off', reason: off };
  for (const { service, reason } of config.unused) {
    if (UNUSED_SERVICES[service].some((prefix) => check.meta.id.startsWith(`${prefix}.`))) return { code: 'declared-unused', reason, service };
  }
  return undefined;
}
