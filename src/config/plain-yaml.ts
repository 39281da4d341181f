/**
 * A fast reading of the YAML an `init`-written config is made of: block maps and lists, plain names and numbers,
 * simple quoted strings, full-line comments. An init-style config of 10,000 resources is 16,000 such lines, which the
 * yaml library takes a third of a second to parse. Anything else (flow style, anchors, tags, directives, escapes,
 * multi-line or odd scalars, a key yaml's checks would refuse) is not read here: `undefined`, and the caller parses
 * the text with the yaml library. What it does read, it reads as yaml does, value and line (test/config/plain-yaml).
 */

/** Where the config's values are written: `lineOf` answers as the loader's does from yaml's document. */
export interface PlainYaml {
  value: Record<string, unknown>;
  lineOf(path: readonly (string | number)[]): number | undefined;
}

interface Line {
  indent: number;
  text: string;
  number: number;
}

interface ScalarNode {
  kind: 'scalar';
  line: number;
  value: unknown;
}
interface MapNode {
  kind: 'map';
  line: number;
  keys: Map<string, { line: number; node: Node }>;
  value: Record<string, unknown>;
}
interface SeqNode {
  kind: 'seq';
  line: number;
  items: Node[];
  value: unknown[];
}
type Node = ScalarNode | MapNode | SeqNode;

/** Thrown (and caught) where the text leaves what this reader knows. */
const OUTSIDE = Symbol('outside the plain subset');

/** Anything but printable ASCII and line feeds (tabs, carriage returns, a BOM, control or non-ASCII characters). */
const UNUSUAL_CHARACTER = /[^\n\x20-\x7e]/;
const LONGEST_LINE = 1000;
const KEY_LINE = /^([A-Za-z_][\w./-]*):(?: (.*))?$/;
const PLAIN = /^(?:[\w/~+$]|[-.]\w)[\w./~+()@=:${}*-]*(?: [\w./~+()@=:${}*-]+)*$/;
/** A plain scalar that would end early (`a: b`, `a:`) or be a list item (`- a`, `-`). */
const NOT_PLAIN = /:( |$)|^-( |$)/;
const DOUBLE_QUOTED = /^"[\x20-\x21\x23-\x5b\x5d-\x7e]*"$/;
const SINGLE_QUOTED = /^'[\x20-\x26\x28-\x7e]*'$/;
// yaml's core schema, as its tags test a plain scalar.
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** The first characters of every null, boolean and number: a plain scalar starting otherwise is a string. */
const MAY_NOT_BE_STRING = /^[-+.~0-9nNtTfF]/;
/** Octal, hexadecimal, exponents, infinities, NaN: left to yaml. */
const OTHER_NUMBER = /^0o[0-7]+$|^0x[0-9a-fA-F]+$|^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$|^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** Keys the loader refuses (or that yaml would not read as a string): left to yaml, whose reading the loader refuses. */
const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than any config: left to yaml (this reader recurses per level). */
const DEEPEST = 64;

class Reader {
  at = 0;
  keys = 0;
  depth = 0;
  constructor(
    readonly lines: Line[],
    readonly maxKeys: number,
  ) {}
}

/** The config's value and lines when the text is in the plain subset, else undefined (parse it with yaml). */
export function readPlainYaml(text: string, maxKeys: number): PlainYaml | undefined {
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  const lines = contentLines(text);
  if (!lines || lines.length === 0 || lines[0]!.indent !== 0) return undefined;
  const reader = new Reader(lines, maxKeys);
  try {
    const root = block(reader, 0);
    if (reader.at !== lines.length || root.kind !== 'map') return undefined;
    return { value: root.value, lineOf: (path) => lineOf(root, path) };
  } catch (error) {
    if (error === OUTSIDE) return undefined;
    throw error;
  }
}

/** The lines that hold content, with their indentation; undefined for a line this reader does not take. */
function contentLines(text: string): Line[] | undefined {
  const lines: Line[] = [];
  let number = 0;
  // Line by line through the text (no array of every line, blank and comment ones included, made first).
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    number++;
    if (end - start > LONGEST_LINE || text.charCodeAt(end - 1) === SPACE) return undefined;
    let content = start;
    while (text.charCodeAt(content) === SPACE) content++;
    if (content < end && text.charCodeAt(content) !== HASH) lines.push({ indent: content - start, text: text.slice(content, end), number });
    start = end + 1;
  }
  return lines;
}

const SPACE = 32;
const HASH = 35;

const outside = (): never => {
  throw OUTSIDE;
};

const isItem = (text: string): boolean => text === '-' || text.startsWith('- ');

function block(reader: Reader, indent: number): Node {
  const line = reader.lines[reader.at]!;
  if (line.indent !== indent) outside();
  return isItem(line.text) ? seq(reader, indent) : map(reader, indent);
}

function map(reader: Reader, indent: number): MapNode {
  if (++reader.depth > DEEPEST) outside();
  const node: MapNode = { kind: 'map', line: reader.lines[reader.at]!.number, keys: new Map(), value: {} };
  while (reader.at < reader.lines.length) {
    const line = reader.lines[reader.at]!;
    if (line.indent < indent) break;
    if (line.indent > indent || isItem(line.text)) outside();
    const match = KEY_LINE.exec(line.text) ?? outside();
    const key = match[1]!;
    const written = match[2];
    if (REFUSED_KEYS.has(key) || NULL.test(key) || BOOL.test(key) || node.keys.has(key) || ++reader.keys > reader.maxKeys) outside();
    reader.at++;
    const child = written === undefined ? nested(reader, indent) : scalar(written, line.number);
    node.keys.set(key, { line: line.number, node: child });
    node.value[key] = child.value;
  }
  reader.depth--;
  return node;
}

/** The value of a key written alone on its line: a block below it, or a list at its own indentation. */
function nested(reader: Reader, indent: number): Node {
  const next = reader.lines[reader.at];
  if (next && next.indent > indent) return block(reader, next.indent);
  if (next && next.indent === indent && isItem(next.text)) return seq(reader, indent);
  return { kind: 'scalar', line: reader.lines[reader.at - 1]!.number, value: null };
}

function seq(reader: Reader, indent: number): SeqNode {
  if (++reader.depth > DEEPEST) outside();
  const node: SeqNode = { kind: 'seq', line: reader.lines[reader.at]!.number, items: [], value: [] };
  while (reader.at < reader.lines.length) {
    const line = reader.lines[reader.at]!;
    if (line.indent < indent || (line.indent === indent && !isItem(line.text))) break;
    if (line.indent > indent || line.text === '-') outside();
    const rest = line.text.slice(2);
    if (rest.startsWith(' ') || isItem(rest)) outside();
    let item: Node;
    if (KEY_LINE.test(rest)) {
      // `- key: value`: a map whose keys stand two columns in, its first on the item's line.
      reader.lines[reader.at] = { indent: indent + 2, text: rest, number: line.number };
      item = map(reader, indent + 2);
    } else {
      item = scalar(rest, line.number);
      reader.at++;
    }
    node.items.push(item);
    node.value.push(item.value);
  }
  reader.depth--;
  return node;
}

function scalar(text: string, line: number): ScalarNode {
  return { kind: 'scalar', line, value: scalarValue(text) };
}

function scalarValue(text: string): unknown {
  if ((text[0] === '"' && DOUBLE_QUOTED.test(text)) || (text[0] === "'" && SINGLE_QUOTED.test(text))) return text.slice(1, -1);
  if (!PLAIN.test(text) || NOT_PLAIN.test(text)) return outside();
  if (!MAY_NOT_BE_STRING.test(text)) return text;
  if (OTHER_NUMBER.test(text)) return outside();
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT.test(text)) return parseInt(text, 10);
  if (FLOAT.test(text)) return parseFloat(text);
  return text;
}

/** As the loader's `lineOf` over yaml's document: the line of the key, or of the list item, a path ends at. */
function lineOf(root: MapNode, path: readonly (string | number)[]): number | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path.at(-1);
  if (typeof last === 'number') return parent?.kind === 'seq' ? parent.items[last]?.line : undefined;
  return parent?.kind === 'map' && typeof last === 'string' ? parent.keys.get(last)?.line : undefined;
}

/** yaml's `getIn`: a map's key is matched as is, a list's index may be written as a string (`'2'`). */
function nodeAt(root: Node, path: readonly (string | number)[]): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) {
    if (node?.kind === 'map') node = typeof segment === 'string' ? node.keys.get(segment)?.node : undefined;
    else if (node?.kind === 'seq') {
      const index = itemIndex(segment);
      node = index === undefined ? undefined : node.items[index];
    } else return undefined;
  }
  return node;
}

function itemIndex(segment: string | number): number | undefined {
  const index = segment && typeof segment === 'string' ? Number(segment) : segment;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
}
