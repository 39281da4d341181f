import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { snapshotSchema } from '../../src/snapshot.js';
import { ONE_SHOT } from '../../src/engine/options.js';

// Snapshots are validated with zod's generated parsers (z.compile), twice as fast at 10,000 resources. A generated
// parser that accepts what the interpreted one refuses would let malformed facts reach the checks: for every fact of
// the demo, the two must agree on valid values and on thousands of broken ones, down to the first issue reported.
// A small value (and the envelope) is parsed by the interpreted parser without zod's per-object fast path (ONE_SHOT):
// it must answer the same too.

const SEED = Number(process.env.READINESS_FUZZ_SEED ?? 20261201);
const demo = JSON.parse(readFileSync(DEMO_SNAPSHOT, 'utf8')) as { facts: Record<string, { ok: boolean; value?: unknown }> };
const facts = [...collectors.values()].map((c) => c.fact).filter((fact) => demo.facts[fact.id]?.ok);

type Path = (string | number)[];

function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, i) => pathsOf(item, [...path, i], out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out);
  return out;
}

type Edit = { kind: 'replace'; with: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; with: unknown };

function edited(value: unknown, path: Path, edit: Edit): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  if (path.length === 0) return edit.kind === 'replace' ? edit.with : copy;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const last = path.at(-1)!;
  if (edit.kind === 'replace') parent[last] = edit.with;
  else if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[edit.key] = edit.with;
  }
  return copy;
}

const replacement = fc.oneof(
  fc.constantFrom(null, undefined, '', 'x', 0, -1, 1.5, Number.NaN, true, false, [], {}, ['x'], [1], { a: 1 }, '2025-10-11T22:30:00Z', 'not-a-date'),
  fc.jsonValue({ maxDepth: 2 }),
);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), with: replacement }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('extra', 'name', '__proto__', 'constructor'), with: replacement }),
);

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
