import { z } from '../zod-package.js';
import { isJsonPath, select } from './json-path.js';

/** A regular expression as written in the config: refused at load when it does not compile. */
export const regexSource = z.string().min(1).refine((source) => {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const jsonPath = z.string().refine(isJsonPath, 'not a JSON path of the supported subset: $ followed by .name, [\'name\'], [n], [*]');

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What the values a path selects must be. Exactly one test: `equals`, `matches`, `includes` or `exists`. */
export const expectationSchema = z
  .strictObject({
    path: jsonPath.describe('JSON path of the values to test, e.g. $.status or $.TagList[*].Key.'),
    equals: scalar.optional().describe('Every value equals this (and there is at least one).'),
    matches: regexSource.optional().describe('Every value matches this regular expression (and there is at least one).'),
    includes: scalar.optional().describe('At least one value equals this.'),
    exists: z.boolean().optional().describe('true: the path selects at least one value; false: none.'),
  })
  .refine((e) => [e.equals, e.matches, e.includes, e.exists].filter((test) => test !== undefined).length === 1, {
    message: 'give exactly one of equals, matches, includes, exists',
  });
export type Expectation = z.output<typeof expectationSchema>;

/** One value as a fact records it: scalars as they are, lists and objects as (bounded) JSON text. */
export type Observed = string | number | boolean | null;
export const observedSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const observationSchema = z.object({ path: z.string(), values: z.array(observedSchema), more: z.number().int().nonnegative() });
export type Observation = z.output<typeof observationSchema>;

/** Values kept per path, and characters per value: enough to judge and to show, never a whole document. */
const MAX_VALUES = 1000;
const MAX_CHARS = 500;

/** What a path selects in an answer, bounded for a snapshot. Values past the bound are counted in `more`. */
export function observe(root: unknown, path: string): Observation {
  const values = select(root, path);
  return { path, values: values.slice(0, MAX_VALUES).map(toObserved), more: Math.max(0, values.length - MAX_VALUES) };
}

function toObserved(value: unknown): Observed {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
}

export type Verdict = { met: true } | { met: false; why: 'no-value' | 'not-equal' | 'no-match' | 'not-included' | 'present' | 'truncated'; value?: Observed };

/**
 * Whether the observed values meet the expectation. "Every value" tests need at least one value:
 * nothing selected never passes vacuously. A test over values past the bound (`more` > 0) that
 * would need them is not met ("truncated"): the unread values may be the failing ones.
 */
export function meets(expectation: Expectation, observation: Observation): Verdict {
  const { values, more } = observation;
  if (expectation.exists !== undefined) {
    const present = values.length > 0;
    if (expectation.exists) return present ? { met: true } : { met: false, why: 'no-value' };
    return present ? { met: false, why: 'present', value: values[0]! } : { met: true };
  }
  if (expectation.includes !== undefined) {
    if (values.some((value) => value === expectation.includes)) return { met: true };
    return more > 0 ? { met: false, why: 'truncated' } : { met: false, why: 'not-included' };
  }
  if (values.length === 0) return { met: false, why: 'no-value' };
  if (expectation.matches !== undefined) {
    const pattern = new RegExp(expectation.matches, 'u');
    const miss = values.find((value) => value === null || !pattern.test(String(value)));
    if (miss !== undefined) return { met: false, why: 'no-match', value: miss };
  } else {
    const miss = values.find((value) => value !== expectation.equals);
    if (miss !== undefined) return { met: false, why: 'not-equal', value: miss };
  }
  return more > 0 ? { met: false, why: 'truncated' } : { met: true };
}

/** The expectation in words, for messages: `$.status equals "ok"`. */
export function describeExpectation(expectation: Expectation): string {
  if (expectation.exists !== undefined) return `${expectation.path} ${expectation.exists ? 'is present' : 'is absent'}`;
  if (expectation.includes !== undefined) return `${expectation.path} includes ${JSON.stringify(expectation.includes)}`;
  if (expectation.matches !== undefined) return `every ${expectation.path} matches /${expectation.matches}/`;
  return `every ${expectation.path} equals ${JSON.stringify(expectation.equals)}`;
}

/** Why an expectation is not met, in words. */
export function describeMiss(verdict: Exclude<Verdict, { met: true }>): string {
  const value = verdict.value === undefined ? '' : ` (found ${JSON.stringify(verdict.value)})`;
  switch (verdict.why) {
    case 'no-value':
      return 'nothing there';
    case 'present':
      return `present${value}`;
    case 'truncated':
      return 'more values than were kept: not judged';
    default:
      return `not so${value}`;
  }
}
