/**
 * Writes each fact of the demo's snapshot (examples/demo/snapshot.json) as validating it gives it: `check --demo` reads
 * that file as written (src/snapshot.ts), so a field a fact schema gains with a default must be in it.
 * test/snapshot/bundled.test.ts fails until this is run. Only the facts that change are rewritten (on one line each).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { allChecks } from '../checks/index.js';
import { collectors } from '../src/collectors/index.js';
import { DEMO_SNAPSHOT } from '../src/commands/setup.js';
import { plainFactId } from '../src/engine/accounts.js';
import { planFacts } from '../src/engine/select.js';
import type { Snapshot } from '../src/snapshot.js';
import { loadZod } from '../src/zod.js';

await loadZod();
const known = new Map([...[...collectors.values()].map((c) => c.fact), ...planFacts(allChecks)].map((fact) => [fact.id, fact]));
let text = readFileSync(DEMO_SNAPSHOT, 'utf8');
const snapshot = JSON.parse(text) as Snapshot;
const sorted = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(sorted) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)])) : value;

for (const [id, outcome] of Object.entries(snapshot.facts)) {
  const definition = known.get(plainFactId(id));
  if (!definition || !outcome.ok) continue;
  const value = definition.schema.parse(outcome.value);
  if (JSON.stringify(sorted(value)) === JSON.stringify(sorted(outcome.value))) continue;
  const key = `\n    ${JSON.stringify(id)}: `;
  const start = text.indexOf(key) + key.length;
  text = `${text.slice(0, start)}${JSON.stringify({ ...outcome, value })}${text.slice(endOfObject(text, start) + 1)}`;
  console.log(`normalized ${id}`);
}
JSON.parse(text);
writeFileSync(DEMO_SNAPSHOT, text);

/** The index of the `}` that closes the object opening at `start`. */
function endOfObject(json: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new Error(`unbalanced JSON from ${start}`);
}
