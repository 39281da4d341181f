import { z } from 'zod';
import type { CheckSettings, Config } from '../config/schema.js';
import { UNUSED_SERVICES } from '../config/services.js';
import { SEVERITIES, type AnyCheck, type OptionsSchema, type Severity } from '../model.js';

const NO_OPTIONS = z.strictObject({});

/** The schema a check's `checks.<id>` options are validated with: its own options, unknown keys refused. */
export function optionsSchema(check: AnyCheck): OptionsSchema {
  return (check.meta.options ?? NO_OPTIONS).strict();
}

/** The whole `checks.<id>` entry of one check: the engine's keys and the check's own options (for the JSON Schema). */
export function checkSettingsSchema(check: AnyCheck): OptionsSchema {
  return optionsSchema(check).extend({
    severity: z.enum(SEVERITIES).optional().describe(`Overrides the check's severity (${check.meta.severity}).`),
    off: z.string().min(1).optional().describe('Turns the check off; the reason is shown in the report.'),
  }).describe(check.meta.title);
}

/** `checks.<id>` split into the engine's keys (severity, off) and the check's own options. */
export function splitSettings(entry: CheckSettings | undefined): { severity?: Severity | undefined; off?: string | undefined; options: Record<string, unknown> } {
  const { severity, off, ...options } = entry ?? {};
  return { severity, off, options };
}

const strictSchemas = new WeakMap<AnyCheck, OptionsSchema>();

/** A check's options: the defaults its `meta.options` declares, overridden by `checks.<id>` in the config. */
export function checkOptions(check: AnyCheck, config: Config): Record<string, unknown> {
  const { options } = splitSettings(config.checks[check.meta.id]);
  // Built once per check: a zod schema costs more to build than to use.
  let schema = strictSchemas.get(check);
  if (!schema) {
    schema = optionsSchema(check);
    strictSchemas.set(check, schema);
  }
  return schema.parse(options);
}

/** The severity the config gives the check (`checks.<id>.severity`), else its own. */
export function checkSeverity(check: AnyCheck, config: Config): Severity {
  return config.checks[check.meta.id]?.severity ?? check.meta.severity;
}

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
