import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { checkOptions } from '../../src/engine/options.js';
import { factOf, type AnyCheck, type FactOutcome, type FactRef, type Finding } from '../../src/model.js';

/** A validated config from a partial one, as the loader would give it. */
export function makeConfig(input: Partial<ConfigInput> = {}): Config {
  return configSchema.parse({ project: 'test', ...input });
}

export interface CheckCase {
  name: string;
  facts: Record<string, unknown>;
  config?: Partial<ConfigInput>;
  now?: string;
  /** Expected [resource, status, code] of every finding, in order. */
  expected: [string, Finding['status'], string][];
}

/** Like ESLint's RuleTester: facts in, findings' status and code out (not prose). */
export function runCase(check: AnyCheck, testCase: CheckCase): [string, Finding['status'], string][] {
  const config = makeConfig(testCase.config);
  const findings = check.evaluate(testCase.facts as never, { config, now: new Date(testCase.now ?? '2025-10-11T22:30:00Z'), options: checkOptions(check, config) });
  for (const finding of findings) {
    if (!(finding.code in check.meta.messages)) throw new Error(`${check.meta.id}: code "${finding.code}" has no message`);
  }
  return findings.map((f) => [f.resource, f.status, f.code]);
}

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
