// Is build B's start-up cheaper than build A's? CPU time of one command (bench/startup-probe.mjs), rounds alternating a
// bare `node -e 0`, build A and build B, so all three see the same minute of the machine; medians, and each build's
// multiple of bare node (the issue-16 budgets: explain ≤ 2×, check --demo ≤ 4×).
//
//   node bench/compare-startup.mjs ROOT_A ROOT_B check --demo        (ROUNDS=21 by default)
//
// Each root is a checkout with its `dist` built; run the command once in each first, so Node's compile cache is warm.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./startup-probe.mjs', import.meta.url));
const log = `/tmp/readiness-compare-startup-${process.pid}.json`;
const cpuMs = (cwd, args) => {
  spawnSync(process.execPath, ['--import', PROBE, ...args], { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', READINESS_STARTUP_LOG: log } });
  return JSON.parse(readFileSync(log, 'utf8')).cpuMs;
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const [a, b, ...command] = process.argv.slice(2);
if (!a || !b || command.length === 0) {
  console.error('usage: node bench/compare-startup.mjs ROOT_A ROOT_B <command…>');
  process.exit(2);
}
const runs = { bare: [], a: [], b: [] };
for (let i = 0; i < Number(process.env.ROUNDS ?? 21); i++) {
  runs.bare.push(cpuMs(a, ['-e', '0']));
  runs.a.push(cpuMs(a, ['dist/src/bin.js', ...command]));
  runs.b.push(cpuMs(b, ['dist/src/bin.js', ...command]));
}
rmSync(log, { force: true });
const [bare, ownA, ownB] = [median(runs.bare), median(runs.a), median(runs.b)];
const ms = (value) => `${value.toFixed(1)} ms`;
console.log(`readiness ${command.join(' ')}: bare node ${ms(bare)}; A ${ms(ownA)} (${(ownA / bare).toFixed(2)}×); B ${ms(ownB)} (${(ownB / bare).toFixed(2)}×); B − A ${ms(ownB - ownA)}`);
