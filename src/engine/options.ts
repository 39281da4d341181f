import type { CheckSettings, Config } from '../config/schema.js';
import { lazily } from '../lazily.js';
import { SEVERITIES, type AnyCheck, type OptionsSchema, type Severity } from '../model.js';
import { z } from '../zod.js';

const noOptions = lazily(() => z.strictObject({}));
/** Each check's strict schema, made once: a run asks for it per check and account. */
const strictSchemas = new WeakMap<OptionsSchema, OptionsSchema>();

/** The schema a check's `checks.<id>` options are validated with: its own options, unknown keys refused. */
export function optionsSchema(check: AnyCheck): OptionsSchema {
  const options = check.meta.options;
  if (!options) return noOptions();
  const made = strictSchemas.get(options);
  if (made) return made;
  const strict = options.strict();
  strictSchemas.set(options, strict);
  return strict;
}

/**
 * Options are a handful of keys parsed once per check: zod's compiled fast path (`new Function` per object schema) would
 * cost more to build than it saves, so they are parsed without it.
 */
export const ONE_SHOT = { jitless: true } as const;

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

/** A check's options: the defaults its `meta.options` declares, overridden by `checks.<id>` in the config. */
export function checkOptions(check: AnyCheck, config: Config): Record<string, unknown> {
  const { options } = splitSettings(config.checks[check.meta.id]);
  return optionsSchema(check).parse(options, ONE_SHOT);
}

/** The severity the config gives the check (`checks.<id>.severity`), else its own. */
export function checkSeverity(check: AnyCheck, config: Config): Severity {
  return config.checks[check.meta.id]?.severity ?? check.meta.severity;
}

export { exclusionOf, type Exclusion } from './exclusion.js';
