import { AwsSession } from '../../src/collectors/aws/session.js';
import { collectors } from '../../src/collectors/index.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { collectFacts } from '../../src/engine/collect.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { factOf, type AnyCheck, type FactOutcome, type Status } from '../../src/model.js';
import { makeConfig } from './check-tester.js';

export interface SupabaseRun {
  outcomes: Map<string, FactOutcome>;
  /** [resource, status, code] of every result of the check, as the engine produced them. */
  results(check: AnyCheck): [string, Status, string][];
}

export const TEST_NOW = new Date('2025-10-11T22:30:00Z');

/** Collects the facts of the given checks through the real collectors and engine, then evaluates the checks on them. */
export async function collectForChecks(
  checks: AnyCheck[],
  config: Partial<ConfigInput>,
  options: { baseDir?: string; env?: NodeJS.ProcessEnv; collectorTimeoutMs?: number; now?: Date } = {},
): Promise<SupabaseRun> {
  const full = makeConfig(config);
  const now = options.now ?? TEST_NOW;
  const env = options.env ?? {};
  const facts = checks.flatMap((check) => Object.values(check.facts).map((ref) => factOf(ref as never)));
  const aws = new AwsSession({ config: undefined, env });
  const outcomes = await collectFacts(facts, {
    collectors,
    context: { config: full, now, env, baseDir: options.baseDir ?? process.cwd(), aws },
    collectorTimeoutMs: options.collectorTimeoutMs ?? 20_000,
  });
  return {
    outcomes,
    results: (check) => evaluateCheck(check, outcomes, { config: full, now }).map((r) => [r.resource, r.status, r.code]),
  };
}

/** The failure of a fact that could not be collected (test helper: throws when it was collected). */
export function failureOf(run: SupabaseRun, factId: string) {
  const outcome = run.outcomes.get(factId);
  if (!outcome || outcome.ok) throw new Error(`${factId} was collected: ${JSON.stringify(outcome)}`);
  return outcome.failure;
}
