/**
 * Is build B faster than build A? One run of the same build moves by a quarter from minute to minute on this shared
 * machine, so two builds' separate series cannot tell 100 ms apart. Here they run in pairs, one right after the other
 * (which goes first alternates), over the same synthetic point, and what is reported is the mean of the pairs'
 * differences with its standard error: a difference within two standard errors is none.
 *
 *   node --import tsx bench/compare-builds.ts ROOT_A ROOT_B [--resources 10000] [--listed] [--rounds 16]
 *
 * Each root is a checkout with its `dist` built (`git worktree add ../a <commit> && npm run build` there). A result
 * that matters is measured twice, in two windows: the machine's load changes what a second core is worth.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepare, runCli } from './offline-scale.js';

export interface PairedDifference {
  pairs: number;
  meanA: number;
  meanB: number;
  /** Mean of (B − A) over the pairs. */
  difference: number;
  standardError: number;
}

/** The mean paired difference B − A and its standard error (NaN with fewer than two pairs). */
export function pairedDifference(pairs: readonly (readonly [a: number, b: number])[]): PairedDifference {
  const n = pairs.length;
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const differences = pairs.map(([a, b]) => b - a);
  const difference = mean(differences);
  const variance = differences.reduce((sum, d) => sum + (d - difference) ** 2, 0) / (n - 1);
  return { pairs: n, meanA: mean(pairs.map(([a]) => a)), meanB: mean(pairs.map(([, b]) => b)), difference, standardError: Math.sqrt(variance / n) };
}

/** In words: B faster or slower when the difference is beyond two standard errors, else no difference seen. */
export function verdict({ difference, standardError }: PairedDifference, unit = 'ms'): string {
  const amount = `${Math.abs(difference).toFixed(0)} ${unit} (± ${standardError.toFixed(0)})`;
  if (!(Math.abs(difference) > 2 * standardError)) return `no difference seen: B − A = ${difference.toFixed(0)} ${unit} (± ${standardError.toFixed(0)})`;
  return difference < 0 ? `B faster by ${amount}` : `B slower by ${amount}`;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { resources: { type: 'string', default: '10000' }, listed: { type: 'boolean', default: false }, rounds: { type: 'string', default: '16' } },
  });
  const [rootA, rootB] = positionals.map((root) => resolve(root));
  const [resources, rounds] = [Number(values.resources), Number(values.rounds)];
  if (!rootA || !rootB || !(resources >= 1) || !(rounds >= 2)) throw new Error('usage: compare-builds.ts ROOT_A ROOT_B [--resources N ≥ 1] [--listed] [--rounds R ≥ 2]');
  const dir = join(tmpdir(), `readiness-compare-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const prepared = prepare(dir, resources, values.listed);
    const walls: [number, number][] = [];
    const cpus: [number, number][] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [rootA, rootB] : [rootB, rootA];
      const [first, second] = order.map((root) => runCli(dir, 600_000, root));
      const [a, b] = order[0] === rootA ? [first!, second!] : [second!, first!];
      if (!a.ok || !b.ok) throw new Error(`a run failed: ${a.error ?? b.error}`);
      walls.push([a.wallMs, b.wallMs]);
      cpus.push([a.cpuMs, b.cpuMs]);
    }
    const wall = pairedDifference(walls);
    const cpu = pairedDifference(cpus);
    console.log(`${prepared.toLocaleString('en')} resources${values.listed ? ', init-style config' : ''}, ${rounds} pairs`);
    console.log(`wall: A ${wall.meanA.toFixed(0)} ms, B ${wall.meanB.toFixed(0)} ms; ${verdict(wall)}`);
    console.log(`CPU:  A ${cpu.meanA.toFixed(0)} ms, B ${cpu.meanB.toFixed(0)} ms; ${verdict(cpu)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: Error) => {
    console.error(`compare-builds: ${error.message}`);
    process.exitCode = 2;
  });
}
