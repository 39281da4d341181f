/**
 * One point of the offline scale series, phase by phase, in its own process (run by bench/offline-scale.ts):
 * `node --expose-gc --import tsx bench/offline-phases.ts DIR NOW FORMATS` prints { ok, results, phases: { name: ms } }.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { allChecks } from '../checks/index.js';
import { collectors } from '../src/collectors/index.js';
import { loadConfig, type LoadedConfig } from '../src/config/load.js';
import { repositoryPath, resultLocation } from '../src/config/locations.js';
import { buildReport } from '../src/engine/run.js';
import { redactReport, secretValues } from '../src/engine/redact.js';
import { writeAtomically } from '../src/commands/output.js';
import { renderChunks } from '../src/reporters/index.js';
import { readSnapshot } from '../src/snapshot.js';
import type { Report } from '../src/model.js';

const [dir, now, formats] = process.argv.slice(2) as [string, string, string];
const phases: Record<string, number> = {};
/** Of each phase, the time the main thread stood still for garbage collection: it grows with the live heap. */
const gc: Record<string, number> = {};
let pausedMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pausedMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
// The observer hears of a collection on a later turn of the event loop.
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
/**
 * With `--expose-gc` (as bench/offline-scale.ts runs it), each phase starts from a collected heap, once the collector's
 * helper threads are done sweeping: at 100k resources a collection of the old generation (a gigabyte) costs a second of
 * CPU, counted (helper threads and all) in whichever phase it happened to start in, which made one phase or another
 * look superlinear from one run to the next.
 */
const collectGarbage = (globalThis as { gc?: () => void }).gc;
const SWEPT_MS = 100;
const collected = async () => {
  if (!collectGarbage) return;
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, SWEPT_MS));
};
// CPU time, not wall time: the bench machine is shared, and a phase is single-threaded work.
const timed = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
  await collected();
  await settled();
  const paused = pausedMs;
  const start = process.cpuUsage();
  const value = await run();
  const { user, system } = process.cpuUsage(start);
  await settled();
  phases[name] = (user + system) / 1000;
  gc[name] = pausedMs - paused;
  return value;
};

/**
 * Read and evaluated as the CLI's assess() does, in a function of its own: the facts (the whole parsed snapshot) are
 * dropped once the report is built, so the reporters run with the live heap the CLI has (the report and the config).
 */
async function readAndEvaluate(): Promise<{ loaded: LoadedConfig; evaluated: Report }> {
  const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
  const { loaded, facts } = await timed('read', async () => ({ loaded: await loadConfig(join(dir, 'config.yaml')), ...(await readSnapshot(join(dir, 'snapshot.json'), known)) }));
  const evaluated = await timed('evaluate', () => buildReport({ loaded, checks: allChecks, outcomes: facts, now: new Date(now), source: { kind: 'snapshot', snapshot: 'snapshot.json' } }));
  return { loaded, evaluated };
}

try {
  const { loaded, evaluated } = await readAndEvaluate();
  // As the CLI does before rendering: the secrets the config names, masked in the report once.
  const report = await timed('redact', () => redactReport(evaluated, secretValues(loaded.config, process.env)));
  // As the CLI renders: SARIF and GitHub place each finding at its line of the config.
  const location = resultLocation(repositoryPath(loaded.file), loaded.config, loaded.lineOf);
  const out = join(dir, 'phases');
  mkdirSync(out, { recursive: true });
  for (const format of formats.split(',')) {
    await timed(format, () => writeAtomically(join(out, format), renderChunks(format, report, { location })));
  }
  process.stdout.write(JSON.stringify({ ok: true, results: report.results.length, phases, gc }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: (error as Error).message.split('\n')[0], phases }));
}
