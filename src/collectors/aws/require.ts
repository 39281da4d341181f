import { FactError, type CollectContext } from '../types.js';

/** AWS checks are assessed only when the config has an `aws` section. */
export function requireAws(context: CollectContext): void {
  if (!context.config.aws) throw new FactError('NotConfigured', 'no `aws` section in the config');
}
