import { configSchema, type Config, type ConfigInput } from '../config/schema.js';
import { checkOptions } from '../engine/options.js';
import type { AnyCheck, Finding } from '../model.js';

/** A validated config from a partial one, as the loader would give it. */
export function makeConfig(input: Partial<ConfigInput> = {}): Config {
  return configSchema.parse({ project: 'test', ...input });
}

export interface CheckCase {
  name: string;
  /** The values of the check's facts, by the names its `facts` gives them. */
  facts: Record<string, unknown>;
  config?: Partial<ConfigInput>;
  now?: string;
  /** The check's options, as a config's `checks.<id>` entry would give them (defaults fill the rest). */
  options?: Record<string, unknown>;
  /** Expected [resource, status, code] of every finding, in order. */
  expected: [string, Finding['status'], string][];
}

/** Like ESLint's RuleTester: facts in, findings' status and code out (not prose). A code without a message throws. */
export function runCase(check: AnyCheck, testCase: CheckCase): [string, Finding['status'], string][] {
  const config = makeConfig(testCase.config);
  const findings = check.evaluate(testCase.facts as never, {
    config,
    now: new Date(testCase.now ?? '2025-10-11T22:30:00Z'),
    // Options given by the case override the config's `checks.<id>` entry and the check's defaults.
    options: testCase.options && check.meta.options ? check.meta.options.parse(testCase.options) : checkOptions(check, config),
  });
  for (const finding of findings) {
    if (!(finding.code in check.meta.messages)) throw new Error(`${check.meta.id}: code "${finding.code}" has no message`);
  }
  return findings.map((f) => [f.resource, f.status, f.code]);
}
