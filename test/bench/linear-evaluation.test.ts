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

// Issue 16: evaluation must grow with the estate, not with its square. A check that scans one list for each entry of
// another (a bucket looked up in the config's list by `includes`) is quadratic once `init` lists every resource.
// Counted in elements walked (test/support/scans.ts), on the bench's own synthetic estates, both configs, at two sizes
// four times apart: linear work grows about 4x, a scan per resource 16x.

const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
const base = mkdtempSync(join(tmpdir(), 'readiness-linear-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The elements walked by the array searches while the catalog evaluates one synthetic estate, and its results. */
async function scannedWhileEvaluating(resources: number, listed: boolean): Promise<{ scanned: number; results: number }> {
  const dir = join(base, `${resources}-${listed}`);
  mkdirSync(dir);
  prepare(dir, resources, listed);
  const loaded = await loadConfig(join(dir, 'config.yaml'));
  const { facts } = await readSnapshot(join(dir, 'snapshot.json'), known);
  const { value: report, scanned } = scannedWhile(() =>
    buildReport({ loaded, checks: allChecks, outcomes: facts, now: new Date('2025-10-11T22:30:00.000Z'), source: { kind: 'snapshot', snapshot: 'snapshot.json' } }),
  );
  return { scanned, results: report.results.length };
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
    }, 60_000);
  }
});
