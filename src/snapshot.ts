import { z } from 'zod';
import { SnapshotError } from './errors.js';
import { MAX_DATA_BYTES, readFailure, readInputFile } from './read-input.js';
import type { FactDefinition, FactOutcome } from './model.js';
import { FAILURE_KINDS } from './model.js';

export const SNAPSHOT_SCHEMA_VERSION = 1;

const outcomeSchema = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({
    ok: z.literal(false),
    failure: z.strictObject({ kind: z.enum(FAILURE_KINDS), message: z.string(), fix: z.string().optional() }),
  }),
]);

export const snapshotSchema = z.strictObject({
  schemaVersion: z.number().int(),
  tool: z.strictObject({ name: z.literal('readiness'), version: z.string() }),
  collectedAt: z.iso.datetime(),
  project: z.string(),
  configHash: z.string(),
  aws: z.strictObject({ account: z.string().nullable(), regions: z.array(z.string()) }).nullable(),
  facts: z.record(z.string(), outcomeSchema),
});
export type Snapshot = z.output<typeof snapshotSchema>;

export function buildSnapshot(input: Omit<Snapshot, 'schemaVersion' | 'facts'> & { facts: ReadonlyMap<string, FactOutcome> }): Snapshot {
  const facts = Object.fromEntries([...input.facts].sort(([a], [b]) => a.localeCompare(b)));
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, ...input, facts };
}

/** Reads and validates a snapshot; each recorded fact must still match its schema. */
export async function readSnapshot(file: string, known: ReadonlyMap<string, FactDefinition>): Promise<{ snapshot: Snapshot; facts: Map<string, FactOutcome> }> {
  let text: string;
  try {
    text = await readInputFile(file, MAX_DATA_BYTES);
  } catch (error) {
    throw new SnapshotError(`${file}: cannot read snapshot (${readFailure(error)})`);
  }
  return parseSnapshot(text, file, known);
}

/** Validates a snapshot's text; a bad one is a SnapshotError (one line), never another exception. */
export function parseSnapshot(text: string, file: string, known: ReadonlyMap<string, FactDefinition>): { snapshot: Snapshot; facts: Map<string, FactOutcome> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new SnapshotError(`${file}: snapshot schemaVersion ${version} is not supported (this readiness reads ${SNAPSHOT_SCHEMA_VERSION}); collect it again`);
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SnapshotError(`${file}: not a readiness snapshot: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const facts = new Map<string, FactOutcome>();
  for (const [id, outcome] of Object.entries(parsed.data.facts)) {
    const definition = known.get(id);
    if (!definition) continue;
    if (!outcome.ok) {
      facts.set(id, outcome as FactOutcome);
      continue;
    }
    const value = definition.schema.safeParse(outcome.value);
    if (!value.success) {
      const issue = value.error.issues[0]!;
      throw new SnapshotError(`${file}: fact ${id} is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    facts.set(id, { ok: true, value: value.data });
  }
  return { snapshot: parsed.data, facts };
}
