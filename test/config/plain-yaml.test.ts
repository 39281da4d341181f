import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { readPlainYaml } from '../../src/config/plain-yaml.js';

// The loader reads an init-written config without yaml's document (readPlainYaml), and leaves any other text to yaml.
// What the fast reader accepts, it must read exactly as yaml does: the same value, no text yaml finds an error in,
// and the same line for every path the reports ask about. Anything it is unsure of, it must leave to yaml.

const SEED = Number(process.env.READINESS_FUZZ_SEED ?? 20261201);

/** The loader's lineOf over yaml's document (src/config/load.ts). */
function documentLineOf(document: Document, lineCounter: LineCounter, path: (string | number)[]): number | undefined {
  const parent = (path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true)) as Node | null | undefined;
  const last = path.at(-1);
  let node: Node | undefined;
  if (typeof last === 'number') node = isSeq(parent) ? (parent.items[last] as Node | undefined) : undefined;
  else {
    const keyParent = (path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true)) as Node | null | undefined;
    node = isMap(keyParent) ? (keyParent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key as Node | undefined) : undefined;
  }
  return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
}

/** Every path of a value, and beside each some that lead nowhere or that yaml's getIn reads loosely ('0' for 0). */
function pathsOf(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path, [...path, 'nosuch'], [...path, 0], [...path, '0'], [...path, 1.5], [...path, -1]);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out);
  return out;
}

/** The property: what readPlainYaml accepts is what yaml reads. Returns whether it accepted. */
function agreesWithYaml(text: string): boolean {
  const plain = readPlainYaml(text, 1_000_000);
  if (!plain) return false;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  expect(document.errors.map((e) => e.message)).toEqual([]);
  const value = document.toJS();
  if (!isDeepStrictEqual(plain.value, value)) expect(plain.value).toStrictEqual(value);
  for (const path of pathsOf(value)) {
    const line = documentLineOf(document, lineCounter, path);
    if (plain.lineOf(path) !== line) expect({ path, line: plain.lineOf(path) }).toEqual({ path, line });
  }
  return true;
}

const KEYS = ['a', 'name', 'b.c', 'x-y', 'aws', 'On', 'yes', 'true', 'null', 'Null', '__proto__', 'constructor', 'prototype', 'toString', '_k', 'a/b', 'k1'];
const SCALARS = [
  'db-0', 'phi-files-12', 'us-east-1', 'required', 'AWS/RDS', 'https://app.example.com/x', 'reports/e2e/*.xml', '${TOKEN}', 'postgres://u:${P}@h/db',
  '~', 'null', 'Null', 'NULL', 'true', 'True', 'FALSE', 'yes', 'no', 'on', '0', '7', '007', '-5', '+5', '12345678901234567890', '0.5', '1.50', '.5', '5.', '-.5',
  '0o17', '0x1F', '1e5', '1.5E-3', '.inf', '-.Inf', '.nan', '2025-10-11', '2025-10-11T22:30:00Z', '-', '- x', 'a: b', 'a:', 'a:b', 'a::b', 'arn:aws:s3:::b/*',
  'a #b', 'a#b', '#c', '{a}', '[a]', 'a,b', '*a', '&a', '!t', '@x', '`x`', '%x', '|', '>', '?', '? x', ':x', '...', '---', 'x  y', 'two words', 'a (b) = c',
  '"q"', "'q'", '"a: b"', "'a #b'", '"a\\"b"', "'it''s'", '""', "''", '"\\n"', '"a', "'a", 'a"', "a'", '=', '~x', '$x', '{{r}}', 'x}', 'é', '\t',
];

type Tree = string | Tree[] | [string, Tree][] | { map: [string, Tree][] };
const scalar = fc.oneof(fc.constantFrom(...SCALARS), fc.string({ unit: fc.constantFrom('a', '1', ' ', ':', '-', '#', '.', "'", '"', '{', '*', '/', '\\'), maxLength: 6 }));
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    fc.record({ map: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 4 }) }),
  ),
})).node;
const style = fc.record({ indent: fc.integer({ min: 1, max: 4 }), compact: fc.boolean(), inlineItemMaps: fc.boolean(), comments: fc.boolean() });

/** The tree written as block YAML, in one of the styles a person or `init` writes. */
function write(node: Tree, s: { indent: number; compact: boolean; inlineItemMaps: boolean; comments: boolean }): string {
  const lines: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  const emit = (value: Tree, column: number, prefix: string): void => {
    if (typeof value === 'string') {
      lines.push(`${prefix} ${value}`.replace(/^ /, ''));
      return;
    }
    if (Array.isArray(value)) {
      lines.push(prefix);
      for (const item of value as Tree[]) {
        const itemColumn = column;
        if (typeof item === 'string') lines.push(`${pad(itemColumn)}- ${item}`);
        else if (!Array.isArray(item) && s.inlineItemMaps) {
          item.map.forEach(([key, child], i) => emitEntry(key, child, itemColumn + 2, i === 0 ? `${pad(itemColumn)}- ` : pad(itemColumn + 2)));
        } else emit(item, itemColumn + s.indent, `${pad(itemColumn)}-`);
        if (s.comments) lines.push(`${pad(itemColumn)}# note`);
      }
      return;
    }
    if (prefix) lines.push(prefix);
    value.map.forEach(([key, child]) => emitEntry(key, child, column, pad(column)));
  };
  const emitEntry = (key: string, child: Tree, column: number, lead: string): void => {
    if (typeof child === 'string') lines.push(`${lead}${key}: ${child}`);
    else if (Array.isArray(child)) emit(child, s.compact ? column : column + s.indent, `${lead}${key}:`);
    else emit(child, column + s.indent, `${lead}${key}:`);
    if (s.comments) lines.push('', `${pad(column)}# about ${key}`);
  };
  const root: Tree = typeof node === 'object' && !Array.isArray(node) ? node : { map: [['root', node]] };
  emit(root, 0, '');
  return `${lines.join('\n')}\n`;
}

describe('readPlainYaml reads what it accepts as yaml does', () => {
  it('an init-style config', () => {
    const buckets = Array.from({ length: 30 }, (_, i) => `      - name: phi-files-${i}\n${i % 2 ? '' : '        versioning: required\n'}`).join('');
    const text = `project: p\naws:\n  region: us-east-1\n  rds:\n    clusters:\n      - db-0\n      - db-1\n  s3:\n    buckets:\n${buckets}  cloudwatch:\n    requiredAlarms:\n      - namespace: AWS/RDS\n        metric: CPUUtilization\n        maxThreshold: 80\n        dimensions:\n          DBClusterIdentifier: db-0\nsupabase:\n  accessToken: \${SUPABASE_ACCESS_TOKEN}\n  publicFunctions:\nvendors:\n`;
    expect(agreesWithYaml(text)).toBe(true);
  });

  it('refuses what the loader refuses (left to yaml and checkKeys)', () => {
    for (const text of ['a: 1\na: 2\n', '__proto__:\n  x: 1\n', 'a:\n  constructor: 1\n', 'true: 1\n', '- a\n', 'a: [1]\n', 'a: &x 1\nb: *x\n', '%YAML 1.1\n---\na: 1\n', 'a: 1 # c\n', 'a: 1\r\n', 'a:\tb\n']) {
      expect(readPlainYaml(text, 1_000_000), text).toBeUndefined();
    }
    expect(readPlainYaml('a: 1\nb: 2\nc: 3\n', 2)).toBeUndefined();
    // Nesting deeper than any config is yaml's to read.
    const deep = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(readPlainYaml(`${deep} 1\n`, 1_000_000)).toBeUndefined();
    expect(readPlainYaml('a:\n b:\n  c: 1\n', 1_000_000)?.value).toEqual({ a: { b: { c: 1 } } });
  });

  it('any tree written as block YAML', () => {
    let accepted = 0;
    fc.assert(
      fc.property(tree, style, (node, s) => {
        if (agreesWithYaml(write(node, s))) accepted++;
      }),
      { seed: SEED, numRuns: 3000 },
    );
    // Most trees hold some odd scalar; enough are plain for the property to say something.
    expect(accepted).toBeGreaterThan(300);
  });

  it('the same, with a character changed, added or removed anywhere', () => {
    const change = fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'replace'), char: fc.constantFrom(' ', '  ', '\n', '-', '- ', ':', ': ', '#', '"', "'", '{', '[', '*', '&', '!', '|', '>', '?', '%', '@', '`', ',', '.', '0', 'x', '\t', '\r', '---', '...') });
    fc.assert(
      fc.property(tree, style, fc.array(change, { minLength: 1, maxLength: 3 }), (node, s, changes) => {
        let text = write(node, s);
        for (const { at, kind, char } of changes) {
          const i = at % (text.length + 1);
          text = kind === 'insert' ? text.slice(0, i) + char + text.slice(i) : kind === 'delete' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + char + text.slice(i + 1);
        }
        agreesWithYaml(text);
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });
});
