import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { snapshotSchema } from '../../src/snapshot.js';
import { ONE_SHOT } from '../../src/engine/options.js';
import { anyEdit as edit, demoFacts as facts, demoSnapshot as demo, edited, pathsOf } from '../support/value-edits.js';

// Snapshots are validated with zod's generated parsers (z.compile), twice as fast at 10,000 resources. A generated
// parser that accepts what the interpreted one refuses would let malformed facts reach the checks: for every fact of
// the demo, the two must agree on valid values and on thousands of broken ones, down to the first issue reported.
// A small value (and the envelope) is parsed by the interpreted parser without zod's per-object fast path (ONE_SHOT):
// it must answer the same too.

const SEED = Number(process.env.READINESS_FUZZ_SEED ?? 20261201);

function agree(schema: z.ZodType, fast: z.ZodType, value: unknown): void {
  const slow = schema.safeParse(value);
  for (const quick of [fast.safeParse(value), schema.safeParse(value, ONE_SHOT)]) {
    expect(quick.success).toBe(slow.success);
    if (slow.success) expect(isDeepStrictEqual(quick.data, slow.data)).toBe(true);
    else expect(quick.error!.issues).toEqual(slow.error!.issues);
  }
}

describe('a compiled fact schema answers as the interpreted one', () => {
  it('the demo covers most facts', () => expect(facts.length).toBeGreaterThan(40));

  it('the snapshot envelope', () => {
    const fast = z.compile(snapshotSchema());
    const envelope = { ...demo, facts: Object.fromEntries(Object.entries(demo.facts).slice(0, 5)) };
    agree(snapshotSchema(), fast, envelope);
    fc.assert(
      fc.property(fc.constantFrom(...pathsOf(envelope)), edit, (path, change) => agree(snapshotSchema(), fast, edited(envelope, path, change))),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it.each(facts.map((fact) => [fact.id, fact] as const))('%s', (_, fact) => {
    const fast = z.compile(fact.schema);
    const value = demo.facts[fact.id]!.value;
    agree(fact.schema, fast, value);
    const paths = pathsOf(value);
    fc.assert(
      fc.property(fc.constantFrom(...paths), edit, (path, change) => agree(fact.schema, fast, edited(value, path, change))),
      { seed: SEED, numRuns: 300 },
    );
  });
});
