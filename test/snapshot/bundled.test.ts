import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { plainFactId } from '../../src/engine/accounts.js';
import { planFacts } from '../../src/engine/select.js';
import { parseSnapshot, readBundled } from '../../src/snapshot.js';

// `check --demo` takes the bundled snapshot as written (no zod pass over it): that is only the same run while
// validating it would change nothing (no default to fill, no key to strip, nothing malformed). A fact that gains a
// field with a default fails this until the demo's snapshot writes that field too: `npx tsx scripts/normalize-demo-snapshot.ts`.
describe('the bundled demo snapshot', () => {
  it('reads the same taken as written as validated', async () => {
    const text = await readFile(DEMO_SNAPSHOT, 'utf8');
    const known = new Map([...[...collectors.values()].map((c) => c.fact), ...planFacts(allChecks)].map((fact) => [fact.id, fact]));
    const validated = parseSnapshot(text, DEMO_SNAPSHOT, known);
    // Every fact it records is compared (none is skipped as unknown).
    expect(Object.keys(validated.snapshot.facts).filter((id) => !known.has(plainFactId(id)))).toEqual([]);
    const bundled = readBundled(text, known);
    expect(bundled.snapshot).toStrictEqual(validated.snapshot);
    expect(bundled.facts).toStrictEqual(validated.facts);
  });
});
