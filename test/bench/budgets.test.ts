import { describe, expect, it } from 'vitest';
import { pairedDifference, verdict } from '../../bench/compare-builds.js';
import { bestPhases, medianRun, runReference, scaleBudgets, type CliFigures } from '../../bench/offline-scale.js';

// `npm run bench` says whether each of issue 16's budgets holds: a verdict that cannot say "no" would hide a regression.

const ALL_FORMATS = { txt: 1, md: 1, json: 1, html: 1, sarif: 1, 'junit.xml': 1, 'github.txt': 1 };
const run = (figures: Partial<CliFigures>): CliFigures => ({ ok: true, wallMs: 1_500, cpuMs: 2_000, peakRssMb: 200, sizes: ALL_FORMATS, stdoutBytes: 0, ...figures });
const exponents = { read: 0.95, evaluate: 0.9, md: 1.02 };

describe('scaleBudgets', () => {
  it('meets each budget within its limit, naming the figure that decides', () => {
    const verdicts = scaleBudgets({ label: 'no lists', points: [{ resources: 1_000, cli: run({}) }, { resources: 10_000, cli: run({}) }, { resources: 100_000, cli: run({ wallMs: 20_000 }) }], exponents });
    expect(verdicts).toEqual([
      { budget: 'no lists: 10k resources within 2 s', measured: '1.50 s', met: true },
      { budget: 'no lists: 10k resources within 400 MB', measured: '200 MB', met: true },
      { budget: "no lists: every phase's exponent within 1.1", measured: '1.02 (md)', met: true },
      { budget: 'no lists: 100,000 resources complete in every format', measured: '7 of 7 formats, 20.00 s, 200 MB', met: true },
    ]);
  });

  it('says no when a figure is over its limit, a point failed, or a format was not written', () => {
    const verdicts = scaleBudgets({
      label: 'init',
      points: [{ resources: 10_000, cli: run({ wallMs: 2_001, peakRssMb: 401 }) }, { resources: 100_000, cli: run({ sizes: { ...ALL_FORMATS, json: undefined! } }) }],
      exponents: { read: 1.11, evaluate: null },
    });
    expect(verdicts.map((v) => [v.measured, v.met])).toEqual([
      ['2.00 s', false],
      ['401 MB', false],
      ['1.11 (read)', false],
      ['6 of 7 formats, 1.50 s, 200 MB', false],
    ]);
    const failed = scaleBudgets({ label: 'init', points: [{ resources: 10_000, cli: run({ ok: false, error: 'exit 2: Invalid string length' }) }, { resources: 100_000, cli: run({ ok: false, error: 'timeout after 600 s' }) }], exponents: {} });
    expect(failed).toEqual([
      { budget: 'init: 10k resources within 2 s', measured: 'exit 2: Invalid string length', met: false },
      { budget: 'init: 10k resources within 400 MB', measured: '200 MB', met: false },
      { budget: 'init: 100,000 resources complete in every format', measured: 'timeout after 600 s', met: false },
    ]);
  });

  it('leaves out a budget the series has no point for', () => {
    expect(scaleBudgets({ label: 'x', points: [{ resources: 1_000, cli: run({}) }], exponents: {} })).toEqual([]);
  });

  it('decides the 10k wall on the median of its runs, and says so with their spread', () => {
    const runs = [2_600, 1_900, 2_100, 1_950, 3_000].map((wallMs) => run({ wallMs, peakRssMb: wallMs / 10 }));
    const median = medianRun(runs);
    expect([median.wallMs, median.peakRssMb, median.wallsMs]).toEqual([2_100, 210, [2_600, 1_900, 2_100, 1_950, 3_000]]);
    const [wall] = scaleBudgets({ label: 'no lists', points: [{ resources: 10_000, cli: median }], exponents: {} });
    expect(wall).toEqual({ budget: 'no lists: 10k resources within 2 s', measured: '2.10 s (median of 5: 1.90 s–3.00 s)', met: false });
    // A failed run is the point's answer, never hidden behind the others.
    expect(medianRun([run({}), run({ ok: false, error: 'exit 2: boom' }), run({})]).error).toBe('exit 2: boom');
  });

  it("shows the machine's speed beside the 10k wall, as a ratio to the reference workload run with it, without changing the verdict", () => {
    const [wall] = scaleBudgets({ label: 'init', points: [{ resources: 10_000, cli: run({ wallMs: 2_520, wallsMs: [2_400, 2_520, 2_700], referenceMs: 400 }) }], exponents: {} });
    expect(wall).toEqual({ budget: 'init: 10k resources within 2 s', measured: '2.52 s (median of 3: 2.40 s–2.70 s); 6.3× the reference workload (400 ms then)', met: false });
  });

  it('runs the reference workload to the end, in a process of its own', () => {
    expect(runReference()).toBeGreaterThan(0);
  });
});

describe('bestPhases', () => {
  it("takes each phase's least CPU time, with the GC pauses of that run", () => {
    const best = bestPhases([
      { ok: true, results: 9, phases: { read: 500, md: 200 }, gc: { read: 50, md: 20 } },
      { ok: false, error: 'timeout', phases: {} },
      { ok: true, results: 9, phases: { read: 450, md: 260 }, gc: { read: 40, md: 30 } },
    ]);
    expect(best).toEqual({ ok: true, results: 9, phases: { read: 450, md: 200 }, gc: { read: 40, md: 20 } });
    expect(bestPhases([{ ok: false, error: 'timeout', phases: {} }]).ok).toBe(false);
  });
});

describe('pairedDifference and its verdict (bench/compare-builds.ts)', () => {
  it('takes the mean of the pairs\' differences and its standard error, so a shift shared by both runs of a pair cancels', () => {
    // The machine slows from pair to pair (1,000 → 3,000 ms); B is 100 ms faster in every pair but one (80).
    const pairs = [[1_000, 900], [2_000, 1_900], [3_000, 2_920], [1_500, 1_400]] as const;
    const paired = pairedDifference(pairs);
    expect(paired.pairs).toBe(4);
    expect(paired.meanA).toBe(1_875);
    expect(paired.meanB).toBe(1_780);
    expect(paired.difference).toBe(-95);
    // Differences -100, -100, -80, -100: sample SD 10, standard error 10 / √4.
    expect(paired.standardError).toBeCloseTo(5, 10);
    expect(verdict(paired)).toBe('B faster by 95 ms (± 5)');
  });

  it('sees no difference within two standard errors, and says slower beyond them', () => {
    expect(verdict(pairedDifference([[1_000, 1_100], [1_000, 900], [1_000, 1_050], [1_000, 980]]))).toBe('no difference seen: B − A = 8 ms (± 43)');
    expect(verdict(pairedDifference([[1_000, 1_200], [1_000, 1_210], [1_000, 1_190]]))).toBe('B slower by 200 ms (± 6)');
    expect(verdict(pairedDifference([[1_000, 900]]))).toMatch(/^no difference seen/);
  });
});
