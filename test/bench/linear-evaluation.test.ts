import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepare } from '../../bench/offline-scale.js';
import { allChecks } from '../../checks/index.js';
import { collectors } from '../../src/collectors/index.js';
import { loadConfig } from '../../src/config/load.js';
import { buildReport } from '../../src/engine/run.js';
import { readSnapshot } from '../../src/snapshot.js';
import { scannedWhile } from '../support/scans.js';
import { repositoryPath, resultLocation } from '../../src/config/locations.js';
import { renderChunks } from '../../src/reporters/index.js';

// Issue 16: evaluation must grow with the estate, not with its square. A check that scans one list for each entry of
// another (a bucket looked up in the config's list by `includes`) is quadratic once `init` lists every resource.
// Counted in elements walked (test/support/scans.ts), on the bench's own synthetic estates, both configs, at two sizes
// four times apart: linear work grows about 4x, a scan per resource 16x.

const FORMATS = ['terminal', 'md', 'json', 'html', 'sarif', 'junit', 'github'];
const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
const base = mkdtempSync(join(tmpdir(), 'readiness-linear-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The elements walked by the array searches while the catalog evaluates one synthetic estate, and its results. */
async function scannedWhileEvaluating(resources: number, listed: boolean): Promise<{ scanned: number; results: number; rendering: Record<string, number> }> {
  const dir = join(base, `${resources}-${listed}`);
  mkdirSync(dir);
  prepare(dir, resources, listed);
  const loaded = await loadConfig(join(dir, 'config.yaml'));
  const { facts } = await readSnapshot(join(dir, 'snapshot.json'), known);
  const { value: report, scanned } = scannedWhile(() =>
    buildReport({ loaded, checks: allChecks, outcomes: facts, now: new Date('2025-10-11T22:30:00.000Z'), source: { kind: 'snapshot', snapshot: 'snapshot.json' } }),
  );
  // Each format rendered whole, as the CLI writes it (SARIF and GitHub place findings at their config lines).
  const location = resultLocation(repositoryPath(loaded.file), loaded.config, loaded.lineOf);
  const rendering = Object.fromEntries(
    FORMATS.map((format) => [format, scannedWhile(() => [...renderChunks(format, report, { location })].length).scanned]),
  );
  return { scanned, results: report.results.length, rendering };
}

describe('evaluating the catalog grows linearly with the estate', () => {
  for (const listed of [false, true]) {
    it(`${listed ? 'an init-style config listing every resource' : 'a config listing no resource'}: 4x the resources, at most ~4x the elements scanned`, async () => {
      const small = await scannedWhileEvaluating(500, listed);
      const large = await scannedWhileEvaluating(2_000, listed);
      // The estate is real work: thousands of results, growing with it.
      expect(small.results).toBeGreaterThan(2_000);
      expect(large.results / small.results).toBeGreaterThan(3.5);
      expect(large.scanned / small.scanned).toBeLessThan(5);
      // Every report format too: the formats that grow faster than the report (none, when this passes) by their ratio.
      const steep = FORMATS.map((format) => [format, large.rendering[format]! / small.rendering[format]!] as const).filter(([, growth]) => !(growth < 5));
      expect(steep).toEqual([]);
    }, 60_000);
  }
});
