import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAlreadyParsed } from '../../src/already-parsed.js';
import { anyEdit as edit, demoFacts as facts, demoSnapshot as demo, edited, pathsOf } from '../support/value-edits.js';

// A snapshot's fact that already has its schema's exact shape is taken as it is, not parsed by zod again. A value
// taken so that zod would refuse, or would give back otherwise (a key stripped or reordered, a default filled), would
// let a malformed fact reach the checks, or change a report: whenever the shortcut says yes, zod must accept the value
// and give back an equal one, keys in the same order. Held on every fact of the demo and thousands of broken values.

const SEED = Number(process.env.READINESS_FUZZ_SEED ?? 20261202);

/** The shortcut's yes is zod's: accepted, and the same value back, keys in the same order. */
function agrees(schema: z.ZodType, value: unknown): boolean {
  if (!isAlreadyParsed(schema, value)) return true;
  const parsed = schema.safeParse(value);
  return parsed.success && isDeepStrictEqual(parsed.data, value) && JSON.stringify(parsed.data) === JSON.stringify(value);
}

describe('a fact taken as already parsed is what zod would make of it', () => {
  it('the demo covers most facts, and every fact of the demo is taken as written (as collect writes them)', () => {
    expect(facts.length).toBeGreaterThan(40);
    expect(facts.filter((fact) => !isAlreadyParsed(fact.schema, demo.facts[fact.id]!.value)).map((fact) => fact.id)).toEqual([]);
  });

  it.each(facts.map((fact) => [fact.id, fact] as const))('%s', (_, fact) => {
    const value = demo.facts[fact.id]!.value;
    expect(agrees(fact.schema, value)).toBe(true);
    fc.assert(
      fc.property(fc.constantFrom(...pathsOf(value)), edit, (path, change) => agrees(fact.schema, edited(value, path, change))),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('what is not taken as parsed (zod decides)', () => {
  const bucket = z.object({ name: z.string(), tags: z.record(z.string(), z.string()), size: z.number().nullable(), note: z.string().optional(), region: z.string().default('us-east-1') });
  const written = { name: 'b', tags: { env: 'prod' }, size: 1, note: 'n', region: 'eu-west-1' };

  it('a value as zod writes it is taken; an optional key may be absent', () => {
    expect(isAlreadyParsed(bucket, written)).toBe(true);
    const { note: _, ...withoutNote } = written;
    expect(isAlreadyParsed(bucket, withoutNote)).toBe(true);
    expect(agrees(bucket, withoutNote)).toBe(true);
  });

  it.each([
    ['a key the schema does not know (zod strips it)', { ...written, extra: 1 }],
    ['keys in another order than zod writes them', { tags: { env: 'prod' }, name: 'b', size: 1, note: 'n', region: 'eu-west-1' }],
    ['a default to fill', { name: 'b', tags: {}, size: 1 }],
    ['a required key missing', { name: 'b', size: 1, region: 'x' }],
    ['an own __proto__ key', JSON.parse('{"name":"b","tags":{},"size":1,"region":"x","__proto__":{"polluted":true}}') as unknown],
    ['an own __proto__ key in a record', JSON.parse('{"name":"b","tags":{"__proto__":"x"},"size":1,"region":"x"}') as unknown],
    ['a number that is not finite', { ...written, size: Number.POSITIVE_INFINITY }],
    ['an array for an object', [written]],
    ['an object of another prototype', Object.assign(Object.create({ inherited: 1 }) as object, written)],
  ])('%s', (_, value) => {
    expect(isAlreadyParsed(bucket, value)).toBe(false);
  });

  it('checks other than a list length, formats, unions and transforms', () => {
    expect(isAlreadyParsed(z.array(z.string()).min(1), ['x'])).toBe(true);
    expect(isAlreadyParsed(z.array(z.string()).min(1), [])).toBe(false);
    expect(isAlreadyParsed(z.array(z.string()).max(1), ['x', 'y'])).toBe(false);
    expect(isAlreadyParsed(z.string().regex(/^\d+$/), '123')).toBe(false);
    expect(isAlreadyParsed(z.iso.datetime(), '2025-10-11T22:30:00Z')).toBe(false);
    expect(isAlreadyParsed(z.union([z.string(), z.number()]), 'x')).toBe(false);
    expect(isAlreadyParsed(z.string().transform((text) => text.trim()), ' x ')).toBe(false);
    expect(isAlreadyParsed(z.strictObject({ a: z.string() }), { a: 'x' })).toBe(false);
  });

  it('nothing, once a key is added to Object.prototype (for…in would list it as every object\'s)', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = true;
    try {
      expect(isAlreadyParsed(bucket, written)).toBe(false);
    } finally {
      delete prototype.polluted;
    }
    expect(isAlreadyParsed(bucket, written)).toBe(true);
  });
});
