import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/commands/output.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-output-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('writeAtomically', () => {
  it('writes pieces gathered into large writes byte for byte, multi-byte characters across every boundary, and hashes exactly those bytes', async () => {
    // Pieces of every size, up to several times the write size, with 2-, 3- and 4-byte characters and a lone surrogate.
    const pieces: string[] = [];
    for (let i = 0; i < 4000; i++) pieces.push(`${i} é € 😀 ${'x'.repeat(i % 97)}\n`);
    pieces.push('ü'.repeat(300_000), '', 'tail \ud800 end', '😀'.repeat(100_000), 'last');
    const text = pieces.join('');
    const hash = createHash('sha256');
    const file = join(dir, 'pieces.txt');
    await writeAtomically(file, pieces, hash);
    const written = await readFile(file);
    expect(written.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(hash.digest('hex')).toBe(sha256(written));
    expect(await readdir(dir)).toEqual(['pieces.txt']);
  });

  it('writes one string, and an empty report as an empty file', async () => {
    await writeAtomically(join(dir, 'one.txt'), 'one\n');
    expect(await readFile(join(dir, 'one.txt'), 'utf8')).toBe('one\n');
    const hash = createHash('sha256');
    await writeAtomically(join(dir, 'empty.txt'), [], hash);
    expect(await readFile(join(dir, 'empty.txt'), 'utf8')).toBe('');
    expect(hash.digest('hex')).toBe(sha256(''));
  });

  it('leaves no file and no temporary behind when the pieces fail half-way', async () => {
    const failing = function* () {
      yield 'x'.repeat(1 << 20);
      throw new Error('reporter broke');
    };
    await expect(writeAtomically(join(dir, 'broken', 'report.txt'), failing())).rejects.toThrow(/cannot write .*report\.txt \(reporter broke\)/);
    expect(await readdir(join(dir, 'broken'))).toEqual([]);
  });
});
