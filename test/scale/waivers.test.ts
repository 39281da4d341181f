import { describe, expect, it } from 'vitest';
import { applyWaivers, unusedWaivers } from '../../src/engine/evaluate.js';
import { matchesId } from '../../src/engine/select.js';
import type { Result, Status, Waiver } from '../../src/model.js';
import { scannedWhile } from '../support/scans.js';

const NOW = new Date('2025-10-11T22:30:00Z');
const result = (checkId: string, resource: string, status: Status = 'fail') => ({ checkId, resource, status, code: 'c', message: 'm', evidence: {} }) as unknown as Result;
const waiver = (check: string, resource: string | undefined, expires = '2026-01-01'): Waiver => ({ check, ...(resource === undefined ? {} : { resource }), reason: 'accepted', approvedBy: 'CISO', expires });

/** `size` failing buckets and `size` per-resource waivers (some by id prefix, some expired, some for renamed buckets). */
const estate = (size: number) => {
  const results = Array.from({ length: size }, (_, i) => result(i % 2 ? 'aws.s3.encryption' : 'aws.s3.versioning', `bucket-${i}`, i % 5 ? 'fail' : 'pass'));
  const waivers = Array.from({ length: size }, (_, i) =>
    i % 3 === 0 ? waiver('aws.s3', `bucket-${i}`) : i % 3 === 1 ? waiver('aws.s3.encryption', `bucket-${i}`, '2025-01-01') : waiver('aws.s3.versioning', `renamed-${i}`),
  );
  return { results, waivers: [...waivers, waiver('aws.rds', undefined), waiver('aws.s3.encryption', undefined, '2025-01-01')] };
};

const growthOf = <T>(work: (e: ReturnType<typeof estate>) => T[], n = 500) => {
  const small = scannedWhile(() => work(estate(n)));
  const large = scannedWhile(() => work(estate(4 * n)));
  return { scans: large.scanned / small.scanned, results: large.value.length / small.value.length };
};

// The rule as the engine states it: each result against every waiver, each waiver against every result.
const waives = (w: Waiver, r: Result) => (r.status === 'fail' || r.status === 'unverified') && matchesId(r.checkId, w.check) && (w.resource === undefined || w.resource === r.resource);
function byScanning(results: Result[], waivers: Waiver[], today: string) {
  const applied = results.map((r) => {
    const matching = waivers.filter((w) => waives(w, r));
    const w = matching.find((m) => m.expires >= today) ?? matching[0];
    return w ? { ...r, status: w.expires < today ? r.status : 'waived', waiver: { ...w, expired: w.expires < today } } : r;
  });
  const unused = waivers.filter((w) => w.expires >= today && results.some((r) => matchesId(r.checkId, w.check)) && !results.some((r) => waives(w, r)));
  return { applied, unused };
}

describe('waivers at scale', () => {
  it('applyWaivers looks up the waivers that can match each result', () => {
    const { scans, results } = growthOf((e) => applyWaivers(e.results, e.waivers, NOW).filter((r) => r.status === 'waived'));
    expect(results).toBeCloseTo(4, 1);
    expect(scans).toBeLessThan(5);
  });

  it('unusedWaivers looks up the results each waiver can match', () => {
    const { scans, results } = growthOf((e) => unusedWaivers(e.results, e.waivers, NOW));
    expect(results).toBeCloseTo(4, 1);
    expect(scans).toBeLessThan(5);
  });

  it('waives and reports unused exactly as scanning every pair would (first unexpired match in config order, else the first match)', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 16) % n);
    const pick = <T>(items: readonly T[]) => items[random(items.length)]!;
    const ids = ['aws.s3.encryption', 'aws.s3', 'aws.s3x.logging', 'aws.s3.encryption.extra', 'app.db.rls', '.dot.first', 'trailing.'];
    const patterns = [...ids, 'aws', 'aws.', 'aws.s', 's3.encryption', '', '.dot', 'trailing', 'app.db'];
    const resources = ['a', 'b', 'c', '', 'project'];
    const statuses: Status[] = ['fail', 'unverified', 'pass', 'not_applicable', 'waived'];
    for (let round = 0; round < 300; round++) {
      const results = Array.from({ length: random(12) }, () => result(pick(ids), pick(resources), pick(statuses)));
      const waivers = Array.from({ length: random(10) }, () => waiver(pick(patterns), random(3) ? pick(resources) : undefined, pick(['2025-01-01', '2025-10-11', '2025-10-12', '2026-01-01'])));
      const expected = byScanning(results, waivers, '2025-10-11');
      expect(applyWaivers(results, waivers, NOW)).toEqual(expected.applied);
      expect(unusedWaivers(results, waivers, NOW)).toEqual(expected.unused);
    }
  });
});
