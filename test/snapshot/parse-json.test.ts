import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/snapshot.js';

// A snapshot's bytes are parsed with their non-ASCII characters written as \u escapes (a one-byte text, parsed
// faster than the two-byte text one `→` makes of all of it). Same value as JSON.parse of the decoded text, and on
// invalid JSON (a raw character outside a string, one a backslash escapes, broken UTF-8) the same error.

const SEED = Number(process.env.READINESS_FUZZ_SEED ?? 20261201);

function outcome(run: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The bytes at the start of memory of their own with `room` bytes past their end, as readSnapshotBytes reads them. */
function withRoom(bytes: Buffer, room: number): Buffer {
  const memory = Buffer.alloc(bytes.length + room);
  bytes.copy(memory);
  return memory.subarray(0, bytes.length);
}

/**
 * The same answer as JSON.parse of the text: escaped in a copy (no room), in place (room enough), and in a copy again
 * when the room is too small for the escapes. In place, an invalid text is put back first, so its error is the same.
 */
function agrees(bytes: Buffer): void {
  const reference = outcome(() => JSON.parse(bytes.toString('utf8')));
  for (const [input, room] of [[bytes, 0], [withRoom(bytes, 1 << 20), 1 << 20], [withRoom(bytes, 2), 2]] as const) {
    const fast = outcome(() => parseJson(input, room));
    if (!isDeepStrictEqual(fast, reference)) expect(fast, `room ${room}`).toStrictEqual(reference);
  }
}

const piece = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\\\\', '\\"', '\\u', '\\u2192', 'a', '1', ' ', 'true', 'null', '→', 'é', '😀', '\uFEFF', '\u2028'),
  fc.string({ maxLength: 3 }),
);
const bytesOf = (text: string) => Buffer.from(text, 'utf8');
/** Bytes that are not UTF-8: a lone continuation byte, a cut sequence, an encoded surrogate, an overlong form. */
const brokenUtf8 = fc.constantFrom([0x80], [0xe2, 0x86], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xff], [0xf0, 0x9f, 0x98]);

describe('parseJson of bytes', () => {
  it.each([
    ['{"route":"0.0.0.0/0 → igw-1","e":"é😀"}'],
    ['{"a":"\\\\→"}'],
    ['{"a":"\\→"}'],
    ['{"a":"\\u21→"}'],
    ['{"a":1}→'],
    ['\uFEFF{"a":1}'],
    ['["→\\u2192"]'],
    ['{"a":"plain ascii"}'],
  ])('%s', (text) => agrees(bytesOf(text)));

  // The bytes are searched for non-ASCII characters 64 KB at a time: a character or a run of them across the edge
  // of a block, in several blocks, and a backslash before one far into the text.
  it.each([
    ['a character across the edge of a block', `{"a":"${'x'.repeat(64 * 1024 - 7)}→é😀 after"}`],
    ['a run longer than a block', `{"a":"${'→'.repeat(30_000)}","b":1}`],
    ['characters in several blocks', JSON.stringify({ a: `${'x'.repeat(70_000)}é`, b: [`${'y'.repeat(70_000)}→`, '😀'] })],
    ['an escaped character far in', `{"a":"${'x'.repeat(200_000)}\\→"}`],
    ['an escaped backslash before one far in', `{"a":"${'x'.repeat(200_000)}\\\\→"}`],
    ['invalid JSON after one far in', `{"a":"${'x'.repeat(100_000)}→"} x`],
  ])('%s', (_, text) => agrees(bytesOf(text)));

  it('any JSON value, as written by JSON.stringify', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => agrees(bytesOf(JSON.stringify(value)))), { seed: SEED, numRuns: 2000 });
  });

  it('any text of JSON pieces, valid or not, with bytes that are not UTF-8', () => {
    const text = fc.array(fc.oneof(piece.map(bytesOf), brokenUtf8.map((b) => Buffer.from(b))), { maxLength: 12 }).map((parts) => Buffer.concat(parts));
    const wrapped = fc.oneof(text, text.map((b) => Buffer.concat([bytesOf('{"k":"'), b, bytesOf('"}')])));
    fc.assert(fc.property(wrapped, agrees), { seed: SEED, numRuns: 5000 });
  });
});
