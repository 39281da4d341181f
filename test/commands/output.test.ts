import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSha256, ON_THREAD_FROM_BYTES } from '../../src/commands/file-sha256.js';
import { writeAtomically, writeWithChecksum } from '../../src/commands/output.js';
import { PACKAGE_ROOT } from '../../src/version.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-output-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('writeAtomically', () => {
  it('writes pieces gathered into large writes byte for byte, multi-byte characters across every boundary', async () => {
    // Pieces of every size, up to several times the write size, with 2-, 3- and 4-byte characters and a lone surrogate.
    const pieces: string[] = [];
    for (let i = 0; i < 4000; i++) pieces.push(`${i} é € 😀 ${'x'.repeat(i % 97)}\n`);
    pieces.push('ü'.repeat(300_000), '', 'tail \ud800 end', '😀'.repeat(100_000), 'last');
    const text = pieces.join('');
    const file = join(dir, 'pieces.txt');
    await writeAtomically(file, pieces);
    const written = await readFile(file);
    expect(written.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(await readdir(dir)).toEqual(['pieces.txt']);
  });

  it('writes one string, and an empty report as an empty file', async () => {
    await writeAtomically(join(dir, 'one.txt'), 'one\n');
    expect(await readFile(join(dir, 'one.txt'), 'utf8')).toBe('one\n');
    await writeAtomically(join(dir, 'empty.txt'), []);
    expect(await readFile(join(dir, 'empty.txt'), 'utf8')).toBe('');
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

describe('writeWithChecksum', () => {
  /** Pieces of `bytes` bytes or a little more, with multi-byte characters, different for each seed. */
  const piecesOf = (bytes: number, seed: string) => {
    const pieces: string[] = [];
    for (let size = 0, i = 0; size < bytes; i++) {
      const piece = `${seed} ${i} é 😀 ${'y'.repeat(i % 300)}\n`;
      pieces.push(piece);
      size += Buffer.byteLength(piece);
    }
    return pieces;
  };

  it('writes beside each report its sha256 in sha256sum format, small ones hashed here and large ones on the hashing thread, several at once', async () => {
    const out = join(dir, 'checksums');
    const sizes = { 'empty.txt': 0, 'small.md': 10_000, 'large.json': ON_THREAD_FROM_BYTES + 1, 'larger.xml': 3 * ON_THREAD_FROM_BYTES, 'large.sarif': ON_THREAD_FROM_BYTES * 2 };
    // As the CLI writes them: each rendered and written in turn, the digests and renames awaited together.
    await Promise.all(Object.entries(sizes).map(([name, bytes]) => writeWithChecksum(join(out, name), piecesOf(bytes, name))));
    for (const [name, bytes] of Object.entries(sizes)) {
      const written = await readFile(join(out, name));
      expect(written.equals(Buffer.from(piecesOf(bytes, name).join(''), 'utf8'))).toBe(true);
      expect(await readFile(join(out, `${name}.sha256`), 'utf8')).toBe(`${sha256(written)}  ${name}\n`);
    }
    expect((await readdir(out)).sort()).toEqual(Object.keys(sizes).flatMap((name) => [name, `${name}.sha256`]).sort());
  });

  it('hashes on the thread what the file holds when it is asked, and answers a file that cannot be read with its error code, then hashes the next', async () => {
    const large = join(dir, 'thread-large.bin');
    const content = Buffer.alloc(ON_THREAD_FROM_BYTES + 12_345, 'z');
    await writeFile(large, content);
    expect(await fileSha256(large, content.length)).toBe(sha256(content));
    await expect(fileSha256(join(dir, 'no-such-file'), ON_THREAD_FROM_BYTES)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fileSha256(large, content.length)).toBe(sha256(content));
  });

  it('leaves no report, no checksum and no temporary behind when a large report cannot be put in place, and says why in one line', async () => {
    const out = join(dir, 'unhashable');
    await mkdir(out);
    // A folder where the report should go: it is written and hashed on the thread, then the rename over the folder fails.
    await mkdir(join(out, 'report.json'));
    await expect(writeWithChecksum(join(out, 'report.json'), piecesOf(ON_THREAD_FROM_BYTES + 1, 'x'))).rejects.toThrow(/^cannot write .*report\.json \((EISDIR|ENOTEMPTY|EEXIST)\)$/);
    expect(await readdir(out)).toEqual(['report.json']);
  });

  it('does not keep the process alive once the digests are given: a run that wrote a large report ends by itself', () => {
    const file = join(dir, 'exit-check.txt');
    const script = `
      const { writeWithChecksum } = await import(${JSON.stringify(join(PACKAGE_ROOT, 'src', 'commands', 'output.ts'))});
      await writeWithChecksum(${JSON.stringify(file)}, ['x'.repeat(${ON_THREAD_FROM_BYTES * 2})]);
      console.log('written');`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('written\n');
    expect(run.status).toBe(0);
  });
});
