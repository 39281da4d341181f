import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_SNAPSHOT } from '../../src/commands/setup.js';

/**
 * Broken versions of the demo's facts, for the tests that hold a faster reading of a fact to zod's
 * (test/snapshot/compiled-schemas.test.ts, test/snapshot/already-parsed.test.ts).
 */

export const demoSnapshot = JSON.parse(readFileSync(DEMO_SNAPSHOT, 'utf8')) as { facts: Record<string, { ok: boolean; value?: unknown }> };
/** Every fact the demo records a value of. */
export const demoFacts = [...collectors.values()].map((c) => c.fact).filter((fact) => demoSnapshot.facts[fact.id]?.ok);

export type Path = (string | number)[];

/** The paths into a value (the first three items of each list), at most about 400. */
export function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, i) => pathsOf(item, [...path, i], out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out);
  return out;
}

export type Edit = { kind: 'replace'; with: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; with: unknown } | { kind: 'last' };

/** The value with one change at `path`: replaced, deleted, a key added to it, or its key moved to the end of its object. */
export function edited(value: unknown, path: Path, edit: Edit): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  if (path.length === 0) return edit.kind === 'replace' ? edit.with : copy;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const last = path.at(-1)!;
  if (edit.kind === 'replace') parent[last] = edit.with;
  else if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (edit.kind === 'last') {
    if (!Array.isArray(parent)) {
      const moved = parent[last];
      delete parent[last];
      parent[last] = moved;
    }
  } else {
    const target = parent[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[edit.key] = edit.with;
  }
  return copy;
}

const replacement = fc.oneof(
  fc.constantFrom(null, undefined, '', 'x', 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, false, [], {}, ['x'], [1], { a: 1 }, '2025-10-11T22:30:00Z', 'not-a-date'),
  fc.jsonValue({ maxDepth: 2 }),
);

/** One edit of any kind, with values of every type (and of none). */
export const anyEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), with: replacement }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({ kind: fc.constant('last' as const) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('extra', 'name', '__proto__', 'constructor'), with: replacement }),
);
