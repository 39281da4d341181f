import type { Config } from '../config/schema.js';
import type { AnyCheck } from '../model.js';

/** A check's options: the defaults its `meta.options` declares (the config's per-check entries come on top). */
export function checkOptions(check: AnyCheck, _config: Config): Record<string, unknown> {
  return check.meta.options ? check.meta.options.parse({}) : {};
}
