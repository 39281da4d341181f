import { AwsSession } from '../../../src/collectors/aws/session.js';
import type { Collector, CollectContext } from '../../../src/collectors/types.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import type { FactDefinition, FactValue } from '../../../src/model.js';
import { makeConfig } from '../../support/check-tester.js';

/** A collect context as the engine gives it, for one collector run outside the engine. */
export function collectContext(config: Partial<ConfigInput>, options: { baseDir?: string; timeoutMs?: number; now?: Date } = {}): CollectContext {
  const validated = makeConfig(config);
  return {
    config: validated,
    now: options.now ?? new Date(),
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    env: {},
    baseDir: options.baseDir ?? process.cwd(),
    aws: new AwsSession({ config: validated.aws, env: {} }),
    fact: () => Promise.reject(new Error('this collector needs no other fact')),
  };
}

/** Runs a collector and validates its answer against the fact's schema, as the engine does. */
export async function collect<F extends FactDefinition>(collector: Collector<F>, context: CollectContext): Promise<FactValue<F>> {
  return collector.fact.schema.parse(await collector.collect(context)) as FactValue<F>;
}
