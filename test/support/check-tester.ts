import type { ConfigInput } from '../../src/config/schema.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { factOf, type AnyCheck, type FactOutcome, type FactRef } from '../../src/model.js';
import { makeConfig } from '../../src/plugins/tester.js';

export { makeConfig, runCase, type CheckCase } from '../../src/plugins/tester.js';

/** The remediation command of each result, rendered by the engine as a report would show it. */
export function renderedCommands(check: AnyCheck, facts: Record<string, unknown>, config: Partial<ConfigInput> = {}): (string | undefined)[] {
  const outcomes = new Map<string, FactOutcome>(Object.entries(check.facts as Record<string, FactRef>).map(([name, ref]) => [factOf(ref).id, { ok: true, value: facts[name] }]));
  return evaluateCheck(check, outcomes, { config: makeConfig(config), now: new Date('2025-10-11T22:30:00Z') }).map((result) => result.remediation.command);
}

/** The message of each result, rendered by the engine as a report would show it. */
export function renderedMessages(check: AnyCheck, facts: Record<string, unknown>, config: Partial<ConfigInput> = {}): string[] {
  const outcomes = new Map<string, FactOutcome>(Object.entries(check.facts as Record<string, FactRef>).map(([name, ref]) => [factOf(ref).id, { ok: true, value: facts[name] }]));
  return evaluateCheck(check, outcomes, { config: makeConfig(config), now: new Date('2025-10-11T22:30:00Z') }).map((result) => result.message);
}
