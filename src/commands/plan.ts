import { chmod } from 'node:fs/promises';
import type { PlanOptions } from '../cli.js';
import { redact, secretValues } from '../engine/redact.js';
import { renderFixPlan } from '../reporters/fix-plan.js';
import { assess, writeAtomically } from './check.js';

/** plan: the same assessment as `check`, written as a fix script for a person to review and run. */
export async function runPlan(options: PlanOptions): Promise<number> {
  const { report, loaded } = await assess(options);
  const script = redact(renderFixPlan(report), secretValues(loaded.config, process.env));
  if (!options.out) {
    process.stdout.write(script);
    return 0;
  }
  await writeAtomically(options.out, script);
  await chmod(options.out, 0o755);
  process.stdout.write(`Wrote ${options.out} (${script.trimEnd().split('\n').at(-1)!.slice(2, -1)}), in critical-path order. Review it before running it.\n`);
  return 0;
}
