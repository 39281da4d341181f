import type { z as Zod } from 'zod';
import { loadZod, z } from './zod.js';
import { SnapshotError } from './errors.js';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { MAX_DATA_BYTES, readFailure, readInputBytes } from './read-input.js';
import type { FactDefinition, FactOutcome } from './model.js';
import { FAILURE_KINDS } from './model.js';
import { plainFactId } from './engine/accounts.js';
import { lazily } from './lazily.js';
import { ONE_SHOT } from './engine/options.js';
import { isAlreadyParsed } from './already-parsed.js';

/** 2: facts of several accounts or projects, keyed `<fact id>@<account>`, and `aws.accounts`. Version 1 snapshots (one account) read as they are. */
export const SNAPSHOT_SCHEMA_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

const outcomeSchema = () => {
  const failureSchema = z.strictObject({ kind: z.enum(FAILURE_KINDS), message: z.string(), fix: z.string().optional() });
  return z.union([
    z.strictObject({ ok: z.literal(true), value: z.unknown(), partial: failureSchema.extend({ unread: z.array(z.string()), read: z.number().int().nonnegative() }).optional() }),
    z.strictObject({ ok: z.literal(false), failure: failureSchema }),
  ]);
};

/** The envelope of a snapshot the user names (the demo's is the tool's own): built only when one is read. */
export const snapshotSchema = lazily(() =>
  z.strictObject({
    schemaVersion: z.number().int(),
    tool: z.strictObject({ name: z.literal('readiness'), version: z.string() }),
    collectedAt: z.iso.datetime(),
    project: z.string(),
    configHash: z.string(),
    aws: z
      .strictObject({
        account: z.string().nullable(),
        regions: z.array(z.string()),
        /** With several accounts: those whose facts this snapshot holds. */
        accounts: z.array(z.string()).optional(),
      })
      .nullable(),
    facts: z.record(z.string(), outcomeSchema()),
  }),
);
export type Snapshot = Zod.output<ReturnType<typeof snapshotSchema>>;

export function buildSnapshot(input: Omit<Snapshot, 'schemaVersion' | 'facts'> & { facts: ReadonlyMap<string, FactOutcome> }): Snapshot {
  const facts = Object.fromEntries([...input.facts].sort(([a], [b]) => a.localeCompare(b)));
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, ...input, facts };
}

/**
 * One snapshot from several, e.g. `readiness collect --section …` or `--account ID` run per job of a CI matrix.
 * They must come from the same project and config. Snapshots of one account each (facts not keyed by account)
 * must be of the same account; with `aws.accounts` / `aws.organization` the facts are keyed by account, so
 * snapshots of different accounts join into one. A fact recorded by more than one must have been recorded
 * identically: two different answers to one question are no evidence, so it is an error.
 * The merged snapshot is as old as its oldest part.
 */
export function mergeSnapshots(parts: readonly { file: string; snapshot: Snapshot }[]): Snapshot {
  const [first] = parts;
  if (!first) throw new SnapshotError('merge needs at least one snapshot');
  const facts = new Map<string, { file: string; outcome: Snapshot['facts'][string] }>();
  for (const { file, snapshot } of parts) {
    for (const [field, label] of [['project', 'project'], ['configHash', 'config']] as const) {
      if (snapshot[field] !== first.snapshot[field]) throw new SnapshotError(`${file}: another ${label} than ${first.file} (${snapshot[field]} ≠ ${first.snapshot[field]}); merge snapshots of one config`);
    }
    const account = snapshot.aws?.account ?? null;
    const firstAccount = first.snapshot.aws?.account ?? null;
    if (account && firstAccount && account !== firstAccount) {
      throw new SnapshotError(`${file}: AWS account ${account}, but ${first.file} is of account ${firstAccount}; to join accounts, list them under aws.accounts and collect each with --account ID`);
    }
    for (const [id, outcome] of Object.entries(snapshot.facts)) {
      const seen = facts.get(id);
      if (seen && !sameJson(seen.outcome, outcome)) throw new SnapshotError(`${file}: fact ${id} differs from the one in ${seen.file}; collect it once, or both at the same time`);
      if (!seen) facts.set(id, { file, outcome });
    }
  }
  const collectedAt = parts.map((p) => p.snapshot.collectedAt).sort()[0]!;
  const awsParts = parts.flatMap((p) => (p.snapshot.aws ? [p.snapshot.aws] : []));
  const accounts = awsParts.some((a) => a.accounts) ? [...new Set(awsParts.flatMap((a) => a.accounts ?? []))].sort() : undefined;
  const aws = awsParts.length
    ? { account: awsParts.find((a) => a.account)?.account ?? null, regions: [...new Set(awsParts.flatMap((a) => a.regions))], ...(accounts ? { accounts } : {}) }
    : null;
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: first.snapshot.tool,
    collectedAt,
    project: first.snapshot.project,
    configHash: first.snapshot.configHash,
    aws,
    facts: Object.fromEntries([...facts].map(([id, { outcome }]) => [id, outcome] as const).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const compiledSchemas = new WeakMap<Zod.ZodType, Zod.ZodType>();

/**
 * The schema with zod's generated parser (z.compile): the same answer, and on a failure the same issues (it hands
 * the value back to the interpreted parser), in half the time of the interpreted one on a 10,000-resource snapshot.
 */
function compiled<S extends Zod.ZodType>(schema: S): S {
  let fast = compiledSchemas.get(schema);
  if (!fast) {
    fast = z.compile(schema);
    compiledSchemas.set(schema, fast);
  }
  return fast as S;
}

/** From this many items a fact's value is validated by the generated parser; below, building one costs more than it saves. */
const COMPILED_FROM_ITEMS = 100;

/**
 * A fact's value validated. One that already is what zod would make of it (as collected facts are written) is taken as
 * it is, not copied whole (test/snapshot/already-parsed.test.ts). Any other goes to zod: a large one (a list of
 * resources, or an object holding one) by the generated parser, a small one by the interpreted parser without zod's
 * per-object fast path (`ONE_SHOT`), which would also be built for one use. Either answers as the other does
 * (test/snapshot/compiled-schemas.test.ts).
 */
function validateFact<S extends Zod.ZodType>(schema: S, value: unknown): Zod.ZodSafeParseResult<Zod.output<S>> {
  if (isAlreadyParsed(schema, value)) return { success: true, data: value as Zod.output<S> };
  return itemsOf(value) >= COMPILED_FROM_ITEMS ? compiled(schema).safeParse(value) : schema.safeParse(value, ONE_SHOT);
}

/** How many items a value lists: a list's length, or the longest list among an object's own values. */
function itemsOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  let most = 0;
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) if (Array.isArray(item)) most = Math.max(most, item.length);
  }
  return most;
}

/**
 * Reads and validates a snapshot; each recorded fact must still match its schema. `sha256`: of the bytes read.
 * `bytes`: hands over the file's bytes, already being read (`readSnapshotBytes(file)`).
 * `bundled`: a snapshot the tool ships (the demo's), taken as written: built and tested with the tool, and held
 * equal to its validated reading by test/snapshot/bundled.test.ts, so validating it on every run would only cost
 * time. A user's snapshot never is.
 */
export async function readSnapshot(
  file: string,
  known: ReadonlyMap<string, FactDefinition>,
  { bundled = false, bytes: takeBytes }: { bundled?: boolean; bytes?: (() => Promise<Buffer>) | undefined } = {},
): Promise<{ snapshot: Snapshot; facts: Map<string, FactOutcome>; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await (takeBytes?.() ?? readSnapshotBytes(file));
  } catch (error) {
    throw new SnapshotError(`${file}: cannot read snapshot (${readFailure(error)})`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bundled) return { ...readBundled(bytes.toString('utf8'), known), sha256 };
  await loadZod();
  try {
    // The bytes were read into memory of their own with room to spare (readSnapshotBytes): parsed in place.
    return { ...parseSnapshot(bytes, file, known, bytes.buffer.byteLength - bytes.byteOffset - bytes.length), sha256 };
  } finally {
    release(bytes);
  }
}

/**
 * Memory of its own (see readInputBytes) given back now, not at the next full collection: at 100k resources a
 * snapshot's 134 MB otherwise stayed through the evaluation, the run's peak (1.64 GB against 1.51 GB).
 */
function release(bytes: Buffer): void {
  (bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }).transfer?.(0);
}

/** Room for the escapes of a snapshot's non-ASCII characters, made in place (see parseJson): thousands of characters. */
const ESCAPE_ROOM = 64 * 1024;

/** A snapshot file's bytes, bounded, with room past their end for parseJson to escape its non-ASCII characters in place. */
export function readSnapshotBytes(file: string): Promise<Buffer> {
  return readInputBytes(file, MAX_DATA_BYTES, ESCAPE_ROOM);
}

/**
 * Validates a snapshot's text (or its UTF-8 bytes); a bad one is a SnapshotError (one line), never another exception.
 * `room`: see parseJson.
 */
export function parseSnapshot(text: string | Buffer, file: string, known: ReadonlyMap<string, FactDefinition>, room = 0): { snapshot: Snapshot; facts: Map<string, FactOutcome> } {
  let json: unknown;
  try {
    json = parseJson(text, room);
  } catch (error) {
    throw new SnapshotError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && !READABLE_VERSIONS.includes(version)) {
    throw new SnapshotError(`${file}: snapshot schemaVersion ${version} is not supported (this readiness reads ${READABLE_VERSIONS.join(' and ')}); collect it again`);
  }
  // The envelope (a few keys, and one outcome per fact) is read once: no generated parser.
  const parsed = snapshotSchema().safeParse(json, ONE_SHOT);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SnapshotError(`${file}: not a readiness snapshot: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const facts = factsOf(parsed.data, known, (id, definition, value) => {
    const checked = validateFact(definition.schema, value);
    if (checked.success) return checked.data;
    const issue = checked.error.issues[0]!;
    throw new SnapshotError(`${file}: fact ${id} is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  });
  return { snapshot: parsed.data, facts };
}

/**
 * JSON.parse of a text, or of UTF-8 bytes: the same value, and on invalid JSON the same error as of their text.
 * `room`: how many bytes past the end of `input`, in its own memory, may be written; when the escapes of its non-ASCII
 * characters fit there, they are made in place (`input` is then overwritten), not in a copy of all of it.
 */
export function parseJson(input: string | Buffer, room = 0): unknown {
  if (typeof input === 'string') return JSON.parse(input);
  const ascii = asciiJson(input, room);
  if (ascii !== undefined) {
    try {
      return JSON.parse(ascii.text);
    } catch {
      // Invalid JSON: the error is the one of the text as written, below (its bytes put back where they were changed).
      ascii.restore?.();
    }
  }
  return JSON.parse(input.toString('utf8'));
}

/**
 * The JSON text of UTF-8 bytes with each non-ASCII character written as its `\uXXXX` escape: the same value (such a
 * character is valid only inside a string), as a one-byte string. A snapshot is ASCII but for a few characters (a
 * route's `→`), and one would make all 13 MB of a 10,000-resource snapshot decode to two-byte text, parsed slower.
 * Undefined where a backslash escapes such a character: invalid JSON, which the escape would make valid.
 * The bytes are searched for those characters a block at a time (`isAscii`, vectorised), not by a regex over the text.
 */
function asciiJson(bytes: Buffer, room: number): { text: string; restore?: () => void } | undefined {
  if (isAscii(bytes)) return { text: bytes.toString('latin1') };
  const runs: Run[] = [];
  let searched = 0;
  for (let block = 0; block < bytes.length; block += ASCII_BLOCK) {
    const end = Math.min(block + ASCII_BLOCK, bytes.length);
    if (end <= searched || isAscii(bytes.subarray(Math.max(block, searched), end))) continue;
    for (let at = Math.max(block, searched); at < end; at++) {
      if (bytes[at]! < 0x80) continue;
      if (isEscaped(bytes, at)) return undefined;
      let runEnd = at + 1;
      while (runEnd < bytes.length && bytes[runEnd]! >= 0x80) runEnd++;
      runs.push({ start: at, end: runEnd, original: Buffer.from(bytes.subarray(at, runEnd)), escapes: unicodeEscapes(bytes.toString('utf8', at, runEnd)) });
      searched = runEnd;
      at = runEnd - 1;
    }
  }
  const growth = runs.reduce((sum, run) => sum + run.escapes.length - (run.end - run.start), 0);
  if (growth > room) return { text: escapedCopy(bytes, runs) };
  return { text: escapedInPlace(bytes, runs, growth), restore: () => unescapedInPlace(bytes, runs) };
}

/** A run of non-ASCII bytes: where it is, its bytes, and their escapes. */
interface Run {
  start: number;
  end: number;
  original: Buffer;
  escapes: string;
}

/** The text with each run replaced by its escapes, written in a copy. */
function escapedCopy(bytes: Buffer, runs: readonly Run[]): string {
  const parts: Buffer[] = [];
  let copied = 0;
  for (const run of runs) {
    parts.push(bytes.subarray(copied, run.start), Buffer.from(run.escapes, 'latin1'));
    copied = run.end;
  }
  parts.push(bytes.subarray(copied));
  return Buffer.concat(parts).toString('latin1');
}

/**
 * The same text, made where the bytes are: from the last run back, what follows each run moves up by the growth so
 * far and the run's escapes are written before it. No second buffer of the whole (13 MB at 10k resources), whose
 * first touch costs more than the move.
 */
function escapedInPlace(bytes: Buffer, runs: readonly Run[], growth: number): string {
  const whole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length + growth);
  let to = whole.length;
  let from = bytes.length;
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!;
    to -= from - run.end;
    whole.copyWithin(to, run.end, from);
    to -= run.escapes.length;
    whole.write(run.escapes, to, 'latin1');
    from = run.start;
  }
  return whole.toString('latin1');
}

/** The bytes as they were before escapedInPlace: from the first run on, what follows each moves back down. */
function unescapedInPlace(bytes: Buffer, runs: readonly Run[]): void {
  const whole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset);
  let to = 0;
  let from = 0;
  for (const run of runs) {
    whole.copyWithin(to, from, from + (run.start - to));
    from += run.start - to;
    to = run.start;
    run.original.copy(whole, to);
    to = run.end;
    from += run.escapes.length;
  }
  whole.copyWithin(to, from, from + (bytes.length - to));
}

const ASCII_BLOCK = 64 * 1024;

/** Whether the byte at `offset` follows an odd number of backslashes. */
function isEscaped(bytes: Buffer, offset: number): boolean {
  let backslashes = 0;
  while (offset - 1 - backslashes >= 0 && bytes[offset - 1 - backslashes] === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}

/** Each UTF-16 code unit of a text as its `\uXXXX` escape. */
function unicodeEscapes(text: string): string {
  let escapes = '';
  for (let i = 0; i < text.length; i++) escapes += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escapes;
}

/** A bundled snapshot's text, taken as written (see readSnapshot). */
export function readBundled(text: string, known: ReadonlyMap<string, FactDefinition>): { snapshot: Snapshot; facts: Map<string, FactOutcome> } {
  const snapshot = JSON.parse(text) as Snapshot;
  return { snapshot, facts: factsOf(snapshot, known, (_id, _definition, value) => value) };
}

/** The recorded outcomes of the facts a run reads (the others are left out), each value as `valueOf` takes it. */
function factsOf(snapshot: Snapshot, known: ReadonlyMap<string, FactDefinition>, valueOf: (id: string, definition: FactDefinition, value: unknown) => unknown): Map<string, FactOutcome> {
  const facts = new Map<string, FactOutcome>();
  for (const [id, outcome] of Object.entries(snapshot.facts)) {
    const definition = known.get(plainFactId(id));
    if (!definition) continue;
    if (!outcome.ok) {
      facts.set(id, outcome as FactOutcome);
      continue;
    }
    facts.set(id, { ok: true, value: valueOf(id, definition, outcome.value), ...(outcome.partial ? { partial: outcome.partial } : {}) });
  }
  return facts;
}
