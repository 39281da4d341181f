import type { ConfigInput } from '../../src/config/schema.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { factOf, type AnyCheck, type FactOutcome, type FactRef, type Result } from '../../src/model.js';
import { makeConfig } from '../../src/plugins/tester.js';

// Issue 16: evaluation must grow with the estate, not with its square. Time would flake on a shared machine; the
// elements the searching array methods walk (and the arrays spread or copied) do not. A check that looks one list up
// in another per entry (`includes`, `find`, `filter`) walks 16x the elements for 4x the resources; linear work 4x.

const SCANS = ['includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'filter', 'slice', 'concat'] as const;

/** Runs `work` counting the elements walked by the array searches (and copied by slice/concat/spread), and the entries of maps and sets iterated, meanwhile. */
export function scannedWhile<T>(work: () => T): { value: T; scanned: number } {
  let scanned = 0;
  const restores: (() => void)[] = [];
  const count = <P extends object>(prototype: P, key: PropertyKey, size: (self: never) => number) => {
    const original = (prototype as Record<PropertyKey, (...args: unknown[]) => unknown>)[key]!;
    const define = (value: unknown) => Object.defineProperty(prototype, key, { configurable: true, writable: true, value });
    define(function (this: never, ...args: unknown[]) {
      scanned += size(this);
      return original.apply(this, args);
    });
    restores.push(() => define(original));
  };
  const arrayLength = (self: unknown[]) => self.length;
  const collectionSize = (self: Map<unknown, unknown> | Set<unknown>) => self.size;
  // Spread and for…of go through the iterator: an array copied per entry (`[...list, item]`) counts too.
  for (const key of [...SCANS, Symbol.iterator]) count(Array.prototype, key, arrayLength);
  for (const key of ['entries', 'keys', 'values', 'forEach', Symbol.iterator]) {
    count(Map.prototype, key, collectionSize);
    count(Set.prototype, key, collectionSize);
  }
  try {
    return { value: work(), scanned };
  } finally {
    for (const restore of restores.reverse()) restore();
  }
}

/**
 * The growth of a check's work from an estate of `n` to one of 4n: the ratio of the elements walked while the engine
 * evaluates it, and of its results. `estate(size)` gives the facts (by the names the check gives them) and the config of
 * an estate of that size: every list that grows with an account grows with `size`.
 */
export function growth(check: AnyCheck, estate: (size: number) => { facts: Record<string, unknown>; config?: Partial<ConfigInput> }, n = 500): { scans: number; results: number } {
  const run = (size: number) => {
    const { facts, config = {} } = estate(size);
    const outcomes = new Map<string, FactOutcome>(Object.entries(check.facts as Record<string, FactRef>).map(([name, ref]) => [factOf(ref).id, { ok: true, value: facts[name] }]));
    const context = { config: makeConfig(config), now: new Date('2025-10-11T22:30:00Z') };
    return scannedWhile((): Result[] => evaluateCheck(check, outcomes, context));
  };
  const small = run(n);
  const large = run(4 * n);
  return { scans: large.scanned / small.scanned, results: large.value.length / Math.max(1, small.value.length) };
}
