import { SnapshotError } from '../errors.js';
import { collectors } from '../collectors/index.js';
import { mergeSnapshots, readSnapshot } from '../snapshot.js';
import { writeAtomically } from './output.js';

/** merge: several snapshots (one per CI job) into one, for one `check --snapshot`. */
export async function runMerge(files: string[], options: { out: string }): Promise<number> {
  const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
  const parts = [];
  for (const file of files) {
    // Validated fact by fact, as `check --snapshot` would.
    parts.push({ file, snapshot: (await readSnapshot(file, known)).snapshot });
  }
  if (parts.length < 2) throw new SnapshotError('merge needs two snapshots or more');
  const merged = mergeSnapshots(parts);
  await writeAtomically(options.out, `${JSON.stringify(merged, null, 2)}\n`);
  process.stderr.write(`readiness: merged ${parts.length} snapshots (${Object.keys(merged.facts).length} facts) → ${options.out}\n`);
  return 0;
}
