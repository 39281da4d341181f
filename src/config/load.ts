import { createHash } from 'node:crypto';
import type { Document, Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { MAX_CONFIG_BYTES, readFailure, readInputFile } from '../read-input.js';
import { configSchema, type Config } from './schema.js';
import { readPlainYaml } from './plain-yaml.js';
import { yaml } from '../yaml.js';
import { ONE_SHOT } from '../engine/options.js';

export { didYouMean };

/** The config as loaded: its validated value, where each key is written, and what `${ENV}` left unset. */
export type LoadedConfig = Omit<ParsedYaml<Config>, 'value'> & {
  config: Config;
  /** Each built-in check's options, as the build resolved them from this config (the demo's, see FrozenConfig): the run parses none. */
  checkOptions?: Readonly<Record<string, Record<string, unknown>>> | undefined;
};

type Location = { file: string; line?: number; col?: number };

export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readInputFile(file, MAX_CONFIG_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'config file not found (pass --config FILE, or try --demo)' : `cannot read config file (${readFailure(error)})`;
    throw new ConfigError(why, { file });
  }
  return parseConfig(text, file, env);
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const { value, ...rest } = parseYaml(configSchema, text, file, env);
  return { config: value, ...rest };
}

/** A YAML file validated against a schema: what `parseConfig` does for the config, also for the files it includes. */
export interface ParsedYaml<T> {
  value: T;
  file: string;
  /** sha256 of the file as written (before `${ENV}` interpolation, so no secret goes into it). */
  hash: string;
  /** `${NAME}` references whose variable is not set; the key is left out. */
  unsetVariables: string[];
  /** The file as written, before `${ENV}` interpolation (no secret is in it). */
  written?: unknown;
  /** Where a config path is written, for errors found after validation (e.g. a waiver naming no check). */
  locate(path: (string | number)[]): Location;
  /** Where the key at the end of a path is written (`checks.aws.rds.nosuch` points at `aws.rds.nosuch:`). */
  locateKey(path: (string | number)[]): Location;
  /** The line of the key (or list item) a path ends at, only when the file writes it (a default has none). */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export function parseYaml<S extends z.ZodType>(schema: S, text: string, file: string, env: NodeJS.ProcessEnv = process.env): ParsedYaml<z.output<S>> {
  // yaml's own duplicate-key check is quadratic (20k keys: seconds, 300k: never ends); keys are counted
  // before parsing and duplicates found in one pass after it.
  if (countEntryMarks(text) > MAX_ENTRY_MARKS) throw new ConfigError(`more than ${MAX_CONFIG_KEYS} keys: too large to be a readiness config`, { file });
  const source = lazyDocument(text, file);
  // An init-written config is read without yaml's document; yaml parses it only to place an error.
  const plain = readPlainYaml(text, MAX_CONFIG_KEYS);
  const json = plain ? plain.value : documentValue(source(), file);
  const unsetVariables: string[] = [];
  const raw = interpolate(json ?? {}, env, unsetVariables);
  // A hand-written config (a few KB) is parsed once: zod's per-object fast path would cost more to build than it saves.
  const parsed = schema.safeParse(raw, text.length < SMALL_CONFIG_CHARS ? ONE_SHOT : undefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const { document, at } = source();
    throw describeIssue(schema, issue, document, at, file, raw);
  }
  return {
    value: parsed.data,
    file,
    hash: createHash('sha256').update(text).digest('hex'),
    unsetVariables,
    written: json ?? {},
    locate: (path) => {
      const { document, at } = source();
      const range = (document.getIn(path, true) as Node | undefined)?.range ?? nearestRange(document, path);
      return range ? at(range[0]) : { file };
    },
    locateKey: (path) => {
      const { document, at } = source();
      const range = keyNode(document, path)?.range ?? nearestRange(document, path);
      return range ? at(range[0]) : { file };
    },
    lineOf: plain
      ? plain.lineOf
      : (path) => {
          const { document, at } = source();
          const parent = (path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true)) as Node | null | undefined;
          const last = path.at(-1);
          const node = typeof last === 'number' ? (yaml().isSeq(parent) ? (parent.items[last] as Node | undefined) : undefined) : keyNode(document, path as (string | number)[]);
          return node?.range ? at(node.range[0]).line : undefined;
        },
  };
}

/** yaml's document of the text, and where an offset of it is: parsed on first use, once. */
function lazyDocument(text: string, file: string): () => { document: Document; at: At } {
  let parsed: { document: Document; at: At } | undefined;
  return () => {
    if (!parsed) {
      const { LineCounter, parseDocument } = yaml();
      const lineCounter = new LineCounter();
      const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
      const at = (offset: number) => {
        const { line, col } = lineCounter.linePos(offset);
        return { file, line, col };
      };
      parsed = { document, at };
    }
    return parsed;
  };
}

/** The document's value, refused on a syntax error, a key checkKeys refuses, or an alias bomb. */
function documentValue({ document, at }: { document: Document; at: At }, file: string): unknown {
  const [syntaxError] = document.errors;
  if (syntaxError) {
    const firstLine = syntaxError.message.split('\n')[0] ?? 'YAML syntax error';
    throw new ConfigError(`YAML syntax error: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}`, at(syntaxError.pos[0]));
  }
  checkKeys(document, at, file);
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml refuses an alias bomb (or a key it cannot turn into a string) only while converting.
    throw new ConfigError(`YAML: ${(error as Error).message.split('\n')[0]}`, { file });
  }
}

/**
 * What bounds the work done on a hostile config: a hand-written one has about 150 keys, and one `readiness init`
 * wrote for a 100,000-resource account about 250,000. Parsing stays linear up to it (duplicates are found in one pass).
 */
export const MAX_CONFIG_KEYS = 1_000_000;
/** Below this size a config is parsed without zod's generated fast path (ONE_SHOT); an `init`-written one is larger. */
const SMALL_CONFIG_CHARS = 64 * 1024;
/** Every key, list or list item is written with one of `:` `,` `?` `-` `{` `[`: counting them bounds the entries (and nesting) before parsing. */
const MAX_ENTRY_MARKS = 2 * MAX_CONFIG_KEYS;
const MAX_ALIAS_COUNT = 100;
/** Keys that would write an object's prototype (or shadow its constructor) instead of a property. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Before the YAML becomes objects: a `__proto__` key would set a prototype, and strict validation
 * never sees what it smuggles in (a gate, waivers, even `project`); refused at every level.
 */
function checkKeys(document: Document, at: At, file: string): void {
  let keys = 0;
  let refusal: ConfigError | undefined;
  const seen = new WeakMap<object, Set<string>>();
  const { isAlias, isScalar, visit } = yaml();
  visit(document, {
    Pair(_, pair, path) {
      if (++keys > MAX_CONFIG_KEYS) {
        refusal = new ConfigError(`more than ${MAX_CONFIG_KEYS} keys: not a readiness config`, { file });
        return visit.BREAK;
      }
      const key = isAlias(pair.key) ? pair.key.resolve(document) : pair.key;
      const range = (pair.key as Node | null)?.range;
      const where = range ? at(range[0]) : { file };
      if (!isScalar(key)) {
        refusal = new ConfigError('a key must be a plain name, not a list or a map', where);
        return visit.BREAK;
      }
      const name = String(key.value);
      if (PROTOTYPE_KEYS.has(name)) {
        refusal = new ConfigError(`key "${name}" is not allowed`, where);
        return visit.BREAK;
      }
      const map = path[path.length - 1] as object;
      const names = seen.get(map) ?? new Set<string>();
      seen.set(map, names);
      if (names.has(name)) {
        refusal = new ConfigError(`YAML syntax error: Map keys must be unique ("${name}" twice)`, where);
        return visit.BREAK;
      }
      names.add(name);
      return undefined;
    },
  });
  if (refusal) throw refusal;
}

function countEntryMarks(text: string): number {
  let marks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // : , ? - { [
    if (c === 58 || c === 44 || c === 63 || c === 45 || c === 123 || c === 91) marks++;
  }
  return marks;
}

/**
 * The value with each `${NAME}` replaced from the environment; a list or map none of whose strings changes is the one
 * written (an `init`-written config lists 10,000s of names, almost none with a `${`), not a copy.
 */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, unset: string[]): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    let missing = false;
    const result = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') {
        unset.push(name);
        missing = true;
        return '';
      }
      return found;
    });
    // A half-filled value (`postgres://u:${PASSWORD}@host`) would be wrong, not absent: drop it whole.
    return missing ? undefined : result;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const interpolated = interpolate(item, env, unset);
      if (!out) {
        if (interpolated === item && interpolated !== undefined) continue;
        out = value.slice(0, i);
      }
      if (interpolated !== undefined) out.push(interpolated);
    }
    return out ?? value;
  }
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const item = record[keys[i]!];
      const interpolated = interpolate(item, env, unset);
      if (!out) {
        if (interpolated === item && interpolated !== undefined) continue;
        out = {};
        for (const key of keys.slice(0, i)) out[key] = record[key];
      }
      if (interpolated !== undefined) out[keys[i]!] = interpolated;
    }
    return out ?? value;
  }
  return value;
}

type At = (offset: number) => { file: string; line: number; col: number };

function describeIssue(schema: z.ZodType, issue: z.core.$ZodIssue, document: Document, at: At, file: string, raw: unknown, prefix: PropertyKey[] = []): ConfigError {
  const path = [...prefix, ...issue.path].map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  // An item that fits none of a list's shapes (customChecks: an entry or an include): the errors of the shape it comes closest to.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const closest = [...issue.errors].sort((a, b) => distanceOf(a) - distanceOf(b))[0]!;
    if (closest[0]) return describeIssue(schema, closest[0], document, at, file, raw, path);
  }
  const where = path.length ? path.join('.') : 'the top level';

  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = knownKeys(schema, path);
    const range = keyNode(document, [...path, key])?.range;
    const hint = didYouMean(key, known, 'known keys');
    return new ConfigError(`unknown key "${key}" in ${where}${hint}`, range ? at(range[0]) : { file });
  }

  const node = document.getIn(path, true) as Node | undefined;
  const range = node?.range ?? nearestRange(document, path);
  // zod 4 issues carry no input: a key is missing when the interpolated config has nothing at its path.
  const missing = issue.code === 'invalid_type' && valueAt(raw, path) === undefined;
  const message = missing ? `${where} is required` : `${where}: ${issue.message}`;
  return new ConfigError(message, range ? at(range[0]) : { file });
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, segment) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined), value);
}

function nearestRange(document: Document, path: (string | number)[]): [number, number, number] | undefined {
  for (let length = path.length - 1; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length), true) as Node | undefined;
    if (node?.range) return node.range;
  }
  return undefined;
}

function keyNode(document: Document, path: (string | number)[]): Node | undefined {
  const parent = (path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true)) as Node | null | undefined;
  const key = path.at(-1);
  const { isMap, isScalar } = yaml();
  return isMap(parent) ? (parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key as Node | undefined) : undefined;
}

/** How far a value is from one shape of a union: one per issue, one per unknown key. */
function distanceOf(issues: z.core.$ZodIssue[]): number {
  return issues.reduce((sum, issue) => sum + (issue.code === 'unrecognized_keys' ? issue.keys.length : 1), 0);
}

/** The keys the schema allows at a path, for "did you mean". */
function knownKeys(root: z.ZodType, path: (string | number)[]): string[] {
  let schema: unknown = root;
  for (const segment of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: Record<string, unknown> }).def;
    if (!def) return [];
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[segment as string];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return [];
  }
  const def = (unwrap(schema) as { def?: { type?: string; shape?: Record<string, unknown> } }).def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { type?: string; innerType?: unknown; in?: unknown; options?: unknown[] } } | undefined;
  while (current?.def && ['optional', 'default', 'nullable', 'pipe', 'prefault', 'union'].includes(current.def.type ?? '')) {
    // A union's keys are those of its last shape (customChecks: an include, or an entry — the one with keys to suggest).
    current = (current.def.type === 'union' ? current.def.options?.at(-1) : (current.def.innerType ?? current.def.in)) as typeof current;
  }
  return current;
}
