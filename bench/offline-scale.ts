/**
 * The offline scale series (npm run bench): synthetic snapshots of 1k to 100k resources, grown from the demo
 * environment, evaluated and rendered in every format — once with a config that lists no resource, once with an
 * `init`-style config that lists every one. Each point runs in child processes: the real CLI (wall time, CPU, peak
 * RSS, output sizes) and an in-process phase timer (read, evaluate, each reporter), whose growth exponents are fitted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = join(ROOT, 'examples', 'demo');
const FORMATS = ['terminal', 'md', 'json', 'html', 'sarif', 'junit', 'github'];
const NOW = '2025-10-11T22:30:00.000Z';

export interface ScaleOptions {
  sizes?: number[];
  /** Per CLI run; a run that takes longer is reported as a timeout. */
  timeoutMs?: number;
}

interface Estate {
  buckets: string[];
  clusters: string[];
  alarms: { name: string; cluster: string; threshold: number }[];
}

/** Resources: 7 in 10 are buckets, then clusters (each with one instance) and CPU alarms on them. */
function estate(resources: number): Estate {
  const units = Math.max(1, Math.round(resources / 10));
  return {
    buckets: Array.from({ length: units * 7 }, (_, i) => `phi-files-${i}`),
    clusters: Array.from({ length: units }, (_, i) => `db-${i}`),
    alarms: Array.from({ length: units }, (_, i) => ({ name: `db-${i}-cpu`, cluster: `db-${i}`, threshold: i % 2 ? 90 : 80 })),
  };
}

/**
 * The demo snapshot grown to the estate, as a collection of that account would write it: each per-bucket fact of the
 * demo's buckets replicated for every bucket, one entry per bucket. The account also holds the demo's buckets outside
 * its list (its CDK assets and trail buckets): with an `init`-style list they are the account's unlisted buckets, read
 * once each; without a list the unlisted-bucket fact is empty, as its collector writes it.
 */
function snapshotFor(e: Estate, listed: boolean): { text: string; unlistedBuckets: number } {
  const demo = JSON.parse(readFileSync(join(DEMO, 'snapshot.json'), 'utf8')) as { facts: Record<string, { ok: boolean; value?: unknown }> };
  const facts = demo.facts;
  const demoBuckets = (facts['aws.s3.buckets']!.value as { name: string }[]).map((b) => b.name);
  const unlisted = facts['aws.s3.unlisted-bucket-settings']!.value as { bucket: string }[];
  for (const [id, outcome] of Object.entries(facts)) {
    if (!id.startsWith('aws.s3.') || !isPerBucket(outcome.value, demoBuckets)) continue;
    const templates = outcome.value.map((entry, i) => ({ text: JSON.stringify(entry), name: demoBuckets[i]! }));
    outcome.value = e.buckets.map((bucket, i) => {
      const t = templates[i % templates.length]!;
      return JSON.parse(t.text.replaceAll(t.name, bucket)) as unknown;
    });
  }
  facts['aws.s3.account-buckets']!.value = listed ? [...e.buckets, ...unlisted.map((u) => u.bucket)] : e.buckets;
  facts['aws.s3.unlisted-bucket-settings']!.value = listed ? unlisted : [];
  const [cluster] = facts['aws.rds.clusters']!.value as Record<string, unknown>[];
  const [instance] = facts['aws.rds.instances']!.value as Record<string, unknown>[];
  facts['aws.rds.clusters']!.value = e.clusters.map((id, i) => ({
    ...cluster, id, arn: `arn:aws:rds:us-east-1:706704660887:cluster:${id}`, deletionProtection: i % 2 === 0, members: [`${id}-writer`],
  }));
  facts['aws.rds.instances']!.value = e.clusters.map((id) => ({ ...instance, id: `${id}-writer`, arn: `arn:aws:rds:us-east-1:706704660887:db:${id}-writer`, clusterId: id }));
  // Where each database sits (its subnets and security groups, the demo's) and its cluster's settings: one entry each.
  const [placement] = facts['aws.rds.instance-network']!.value as Record<string, unknown>[];
  const [settings] = facts['aws.rds.cluster-settings']!.value as Record<string, unknown>[];
  facts['aws.rds.instance-network']!.value = e.clusters.map((id) => ({ ...placement, id: `${id}-writer`, clusterId: id }));
  facts['aws.rds.cluster-settings']!.value = e.clusters.map((id) => ({ ...settings, id }));
  facts['aws.cloudwatch.alarms']!.value = e.alarms.map((a) => ({
    name: a.name, arn: `arn:aws:cloudwatch:us-east-1:706704660887:alarm:${a.name}`, region: 'us-east-1', namespace: 'AWS/RDS', metric: 'CPUUtilization',
    threshold: a.threshold, comparison: 'GreaterThanThreshold', dimensions: { DBClusterIdentifier: a.cluster }, actionsEnabled: true, alarmActions: [], state: 'OK',
  }));
  return { text: JSON.stringify(demo), unlistedBuckets: listed ? unlisted.length : 0 };
}

/** A fact holding one entry per demo bucket, in the demo's order (`bucket` or `name` names it). */
function isPerBucket(value: unknown, demoBuckets: string[]): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.length === demoBuckets.length &&
    value.every((entry: { bucket?: unknown; name?: unknown } | null, i) => entry !== null && typeof entry === 'object' && (entry.bucket ?? entry.name) === demoBuckets[i])
  );
}

/** The demo config without resource lists, or with every resource listed as `readiness init` writes it. */
function configFor(e: Estate, listed: boolean): string {
  const config = YAML.parse(readFileSync(join(DEMO, 'readiness.config.yaml'), 'utf8')) as { aws: Record<string, Record<string, unknown>> };
  delete config.aws.rds!.clusters;
  delete config.aws.s3;
  delete config.aws.cloudwatch;
  if (listed) {
    config.aws.rds!.clusters = e.clusters;
    config.aws.s3 = { buckets: e.buckets.map((name, i) => (i % 2 ? { name } : { name, versioning: 'required' })) };
    config.aws.cloudwatch = { requiredAlarms: e.alarms.map((a) => ({ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80, dimensions: { DBClusterIdentifier: a.cluster } })) };
  }
  return YAML.stringify(config);
}

/** Writes the point's snapshot.json and config.yaml into `dir`; returns its number of resources. */
export function prepare(dir: string, resources: number, listed: boolean): number {
  const e = estate(resources);
  const snapshot = snapshotFor(e, listed);
  writeFileSync(join(dir, 'snapshot.json'), snapshot.text);
  writeFileSync(join(dir, 'config.yaml'), configFor(e, listed));
  return e.buckets.length + snapshot.unlistedBuckets + e.clusters.length * 2 + e.alarms.length;
}

export interface CliFigures {
  ok: boolean;
  error?: string;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  results?: number;
  sizes: Record<string, number>;
  stdoutBytes: number;
  /** When the point was run several times (the budget's 10k point): each run's wall time; the figures are the median run's. */
  wallsMs?: number[];
  /** The median wall time of bench/reference-workload.mjs, run before each of those runs: how fast the machine was then. */
  referenceMs?: number;
}

export interface PhaseFigures {
  ok: boolean;
  error?: string;
  results?: number;
  phases: Record<string, number>;
  /** Of each phase, the milliseconds the main thread was paused for garbage collection. */
  gc?: Record<string, number>;
}

/** The CLI of the package at `root` (built: `root/dist`) over the point in `dir`, every format to `dir/out`. */
export function runCli(dir: string, timeoutMs: number, root: string = ROOT): CliFigures {
  const out = join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  const usage = join(dir, 'rusage.json');
  rmSync(usage, { force: true });
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', join(ROOT, 'bench', 'rusage.mjs'), join(root, 'dist', 'src', 'bin.js'), 'check', '--config', join(dir, 'config.yaml'), '--snapshot', join(dir, 'snapshot.json'), '--now', NOW, '--format', FORMATS.join(','), '--out', out, '--timeout', String(Math.ceil(timeoutMs / 1000))],
    { env: { ...process.env, NO_COLOR: '1', READINESS_BENCH_RUSAGE: usage }, timeout: timeoutMs, maxBuffer: 1 << 30 },
  );
  const wallMs = performance.now() - start;
  const sizes: Record<string, number> = {};
  try {
    for (const file of readdirSync(out)) sizes[file.replace(/^readiness-report\./, '')] = statSync(join(out, file)).size;
  } catch {
    // nothing written
  }
  let rusage = { maxRSS: 0, user: 0, system: 0 };
  try {
    rusage = JSON.parse(readFileSync(usage, 'utf8'));
  } catch {
    // killed before exit
  }
  // The last stderr line says why (the first ones are warnings about the synthetic config).
  const failed = child.error ? `timeout after ${timeoutMs / 1000} s` : child.status === 0 || child.status === 1 ? undefined : `exit ${child.status}: ${child.stderr.toString().trim().split('\n').at(-1)}`;
  return { ok: !failed, ...(failed ? { error: failed } : {}), wallMs, cpuMs: (rusage.user + rusage.system) / 1000, peakRssMb: rusage.maxRSS / 1024, sizes, stdoutBytes: child.stdout?.length ?? 0 };
}

function runPhases(dir: string, timeoutMs: number): PhaseFigures {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'offline-phases.ts'), dir, NOW, FORMATS.join(',')], {
    env: { ...process.env, NO_COLOR: '1' },
    timeout: timeoutMs,
    maxBuffer: 1 << 26,
  });
  if (child.error) return { ok: false, error: `timeout after ${timeoutMs / 1000} s`, phases: {} };
  try {
    return JSON.parse(child.stdout.toString()) as PhaseFigures;
  } catch {
    return { ok: false, error: child.stderr.toString().trim().split('\n')[0] ?? 'no output', phases: {} };
  }
}

/** bench/reference-workload.mjs in a process of its own: its wall time, start-up included. */
export function runReference(): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, [join(ROOT, 'bench', 'reference-workload.mjs')]);
  if (child.status !== 0) throw new Error(`the reference workload failed: exit ${child.status}`);
  return performance.now() - start;
}

/** The CLI over one point `runs` times, each run right after the reference workload; the median run, with the reference's median. */
function runWithReference(dir: string, timeoutMs: number, runs: number): CliFigures {
  const references: number[] = [];
  const cli = medianRun(
    Array.from({ length: runs }, () => {
      references.push(runReference());
      return runCli(dir, timeoutMs);
    }),
  );
  const sorted = references.sort((a, b) => a - b);
  return { ...cli, referenceMs: sorted[(sorted.length - 1) >> 1]! };
}

/**
 * The CLI run several times, the median run by wall time: on a shared machine one run of the same build moves by a
 * quarter from minute to minute, and the 10k budget is decided on this point.
 */
export function medianRun(runs: CliFigures[]): CliFigures {
  const failed = runs.find((run) => !run.ok);
  if (failed) return failed;
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return { ...sorted[(sorted.length - 1) >> 1]!, wallsMs: runs.map((run) => run.wallMs) };
}

/** Each phase's least CPU time over several runs, with that run's GC pauses: noise on a shared machine only adds time. */
export function bestPhases(runs: PhaseFigures[]): PhaseFigures {
  const done = runs.filter((run) => run.ok);
  if (done.length === 0) return runs[0]!;
  const phases: Record<string, number> = {};
  const gc: Record<string, number> = {};
  for (const phase of Object.keys(done[0]!.phases)) {
    const best = done.reduce((a, b) => (b.phases[phase]! < a.phases[phase]! ? b : a));
    phases[phase] = best.phases[phase]!;
    gc[phase] = best.gc?.[phase] ?? 0;
  }
  return { ...done[0]!, phases, gc };
}

/** Least-squares slope of log(time) over log(resources): 1 is linear, 2 quadratic. */
export function growthExponent(points: { n: number; ms: number }[]): number | null {
  const usable = points.filter((p) => p.ms > 0);
  if (usable.length < 2) return null;
  const xs = usable.map((p) => Math.log(p.n));
  const ys = usable.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const num = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return num / den;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`);

/** One of issue 16's budgets, as a series measured it. */
export interface BudgetVerdict {
  budget: string;
  measured: string;
  met: boolean;
}

/** What one config's series measured: the CLI at each point, and each phase's growth exponent from 10k up (none without two such points). */
export interface SeriesFigures {
  label: string;
  points: { resources: number; cli: CliFigures }[];
  exponents: Record<string, number | null>;
}

const TEN_THOUSAND = { from: 9_000, to: 11_000 };
const isTenK = (resources: number) => resources >= TEN_THOUSAND.from && resources <= TEN_THOUSAND.to;
/** CLI runs of the 10k point (its median decides the budget), and phase runs per point from 10k up (best of). */
const TEN_K_RUNS = 5;
const PHASE_RUNS = 3;
const BUDGET = { wallMs: 2_000, peakRssMb: 400, exponent: 1.1, largest: 100_000 };

/**
 * Issue 16's budgets over a series: 10k resources within 2 s and 400 MB, every phase's growth exponent within 1.1, and
 * the largest point (100k) completing in every format. A budget the series has no point for is left out, not met.
 */
export function scaleBudgets({ label, points, exponents }: SeriesFigures): BudgetVerdict[] {
  const verdicts: BudgetVerdict[] = [];
  const tenK = points.find((p) => isTenK(p.resources));
  if (tenK) {
    const walls = tenK.cli.wallsMs;
    const spread = walls && walls.length > 1 ? ` (median of ${walls.length}: ${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))})` : '';
    // The machine's speed at the time, for comparing series run in different windows: not part of the verdict.
    const reference = tenK.cli.referenceMs ? `; ${(tenK.cli.wallMs / tenK.cli.referenceMs).toFixed(1)}× the reference workload (${fmt(tenK.cli.referenceMs)} then)` : '';
    const wall = tenK.cli.ok ? `${fmt(tenK.cli.wallMs)}${spread}${reference}` : (tenK.cli.error ?? 'failed');
    verdicts.push({ budget: `${label}: 10k resources within 2 s`, measured: wall, met: tenK.cli.ok && tenK.cli.wallMs <= BUDGET.wallMs });
    verdicts.push({ budget: `${label}: 10k resources within 400 MB`, measured: `${Math.round(tenK.cli.peakRssMb)} MB`, met: tenK.cli.ok && tenK.cli.peakRssMb <= BUDGET.peakRssMb });
  }
  const fitted = Object.entries(exponents).filter((entry): entry is [string, number] => entry[1] !== null);
  if (fitted.length > 0) {
    const [phase, steepest] = fitted.reduce((a, b) => (b[1] > a[1] ? b : a));
    verdicts.push({ budget: `${label}: every phase's exponent within 1.1`, measured: `${steepest.toFixed(2)} (${phase})`, met: steepest <= BUDGET.exponent });
  }
  const largest = points.filter((p) => p.resources >= BUDGET.largest).at(-1);
  if (largest) {
    const written = FORMATS.filter((format) => largest.cli.sizes[extension(format)] !== undefined);
    const complete = largest.cli.ok && written.length === FORMATS.length;
    const measured = largest.cli.ok ? `${written.length} of ${FORMATS.length} formats, ${fmt(largest.cli.wallMs)}, ${Math.round(largest.cli.peakRssMb)} MB` : (largest.cli.error ?? 'failed');
    verdicts.push({ budget: `${label}: ${largest.resources.toLocaleString('en')} resources complete in every format`, measured, met: complete });
  }
  return verdicts;
}

export function printBudgets(verdicts: BudgetVerdict[]): void {
  if (verdicts.length === 0) return;
  console.log('\n### Budgets (issue 16)\n');
  console.log('| budget | measured | met |\n|---|---:|---|');
  for (const { budget, measured, met } of verdicts) console.log(`| ${budget} | ${measured} | ${met ? 'yes' : '**no**'} |`);
  console.log('');
}

export async function offlineScale({ sizes = [1_000, 10_000, 50_000, 100_000], timeoutMs = 600_000 }: ScaleOptions = {}): Promise<void> {
  const base = join(tmpdir(), `readiness-scale-${process.pid}`);
  console.log('\n## Offline scale series (synthetic snapshots, every format, `--out`)\n');
  console.log(`\`readiness check --snapshot S --config C --format ${FORMATS.join(',')} --out DIR\` (one process per point, the 10k point run ${TEN_K_RUNS} times and its median run shown, each run right after bench/reference-workload.mjs, a fixed piece of work that shows how fast the machine was then; peak RSS from the process itself).`);
  console.log(`Phases are timed in CPU time in a separate process (read = config + snapshot, evaluate = checks + waivers + scores, then each format rendered to its file), from 10k up the best of ${PHASE_RUNS} runs; wall time on this shared 2-core machine runs several times the CPU time.\n`);
  const verdicts: BudgetVerdict[] = [];
  try {
    for (const listed of [false, true]) {
      const label = listed ? 'init-style config listing every resource' : 'config listing no resource';
      const points: SeriesFigures['points'] = [];
      console.log(`### ${label}\n`);
      console.log(`| resources | results | wall | CPU | peak RSS | ${FORMATS.map((f) => f).join(' | ')} | stdout |`);
      console.log(`|---:|---:|---:|---:|---:|${FORMATS.map(() => '---:|').join('')}---:|`);
      const phaseSeries: PhasePoint[] = [];
      for (const n of sizes) {
        const dir = join(base, `${n}-${listed ? 'listed' : 'plain'}`);
        mkdirSync(dir, { recursive: true });
        const resources = prepare(dir, n, listed);
        const cli = isTenK(resources) ? runWithReference(dir, timeoutMs, TEN_K_RUNS) : runCli(dir, timeoutMs);
        points.push({ resources, cli });
        // From 10k up the phases fit the exponents: each the best of a few runs, so one noisy run cannot tilt a slope.
        const phaseRuns = resources >= 10_000 ? PHASE_RUNS : 1;
        const phases = cli.ok || cli.error?.startsWith('exit') ? bestPhases(Array.from({ length: phaseRuns }, () => runPhases(dir, timeoutMs))) : { ok: false, error: 'skipped', phases: {} };
        if (phases.ok) phaseSeries.push({ n: resources, phases: phases.phases, gc: phases.gc ?? {} });
        const sizeCells = FORMATS.map((f) => mb(cli.sizes[extension(f)]));
        const status = cli.ok ? '' : ` (${cli.error})`;
        console.log(`| ${resources.toLocaleString('en')}${status} | ${phases.results?.toLocaleString('en') ?? '—'} | ${fmt(cli.wallMs)} | ${fmt(cli.cpuMs)} | ${Math.round(cli.peakRssMb)} MB | ${sizeCells.join(' | ')} | ${mb(cli.stdoutBytes)} |`);
        if (!phases.ok) console.log(`\n(phases at ${resources}: ${phases.error})\n`);
        rmSync(dir, { recursive: true, force: true });
      }
      const exponents = printPhases(phaseSeries);
      // The exponent budget is about growth from 10k up: a fit that includes the 1k point (fixed costs) says nothing of it.
      const fromTenK = phaseSeries.filter((point) => point.n >= 10_000).length >= 2;
      verdicts.push(...scaleBudgets({ label: listed ? 'init-style config' : 'no lists', points, exponents: fromTenK ? exponents : {} }));
    }
    printBudgets(verdicts);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

function extension(format: string): string {
  return { terminal: 'txt', junit: 'junit.xml', github: 'github.txt' }[format] ?? format;
}

interface PhasePoint {
  n: number;
  phases: Record<string, number>;
  gc: Record<string, number>;
}

/** The phases' table; returns each phase's growth exponent (fitted from 10k up). */
function printPhases(series: PhasePoint[]): Record<string, number | null> {
  const exponents: Record<string, number | null> = {};
  if (series.length === 0) return exponents;
  const names = Object.keys(series[0]!.phases);
  console.log(`\n| phase | ${series.map((s) => s.n.toLocaleString('en')).join(' | ')} | exponent | GC share at ${series.at(-1)!.n.toLocaleString('en')} | exponent without GC |`);
  console.log(`|---|${series.map(() => '---:|').join('')}---:|---:|---:|`);
  // Fixed costs dominate the smallest point: fit the growth from 10k up when there are two such points.
  const fitted = series.filter((s) => s.n >= 10_000).length >= 2 ? series.filter((s) => s.n >= 10_000) : series;
  const exponentText = (exponent: number | null) => (exponent === null ? '—' : exponent.toFixed(2));
  for (const name of names) {
    const exponent = growthExponent(fitted.map((s) => ({ n: s.n, ms: s.phases[name] ?? 0 })));
    exponents[name] = exponent;
    // GC pauses grow with the live heap (the whole report, held through every phase), not with the phase's own work.
    const withoutGc = growthExponent(fitted.map((s) => ({ n: s.n, ms: (s.phases[name] ?? 0) - (s.gc[name] ?? 0) })));
    const last = series.at(-1)!;
    const gcShare = last.phases[name] ? `${Math.round((100 * (last.gc[name] ?? 0)) / last.phases[name]!)} %` : '—';
    console.log(`| ${name} | ${series.map((s) => (s.phases[name] === undefined ? '—' : fmt(s.phases[name]!))).join(' | ')} | ${exponentText(exponent)} | ${gcShare} | ${exponentText(withoutGc)} |`);
  }
  console.log('');
  return exponents;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  await offlineScale(sizes.length ? { sizes } : {});
}
