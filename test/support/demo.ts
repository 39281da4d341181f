import { collectors } from '../../src/collectors/index.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { loadConfig } from '../../src/config/load.js';
import { buildReport } from '../../src/engine/run.js';
import type { Report } from '../../src/model.js';
import { readSnapshot } from '../../src/snapshot.js';
import { allChecks } from '../../checks/index.js';

/** The demo environment's report, built in-process as `check --demo` does. */
export async function demoReport(): Promise<Report> {
  const loaded = await loadConfig(DEMO_CONFIG);
  const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
  const { snapshot, facts } = await readSnapshot(DEMO_SNAPSHOT, known);
  return buildReport({
    loaded,
    checks: allChecks,
    outcomes: facts,
    now: new Date(snapshot.collectedAt),
    source: { kind: 'demo', snapshot: DEMO_SNAPSHOT, collectedAt: snapshot.collectedAt },
  });
}
