/**
 * Benchmarks (npm run bench): the pure pipeline at scale, the offline scale series (bench/offline-scale.ts: 1k to
 * 100k resources through every format), collection against moto_server, and CLI start-up. Figures go to BENCHMARKS.md; timings never go into tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { allChecks } from '../checks/index.js';
import { collectors } from '../src/collectors/index.js';
import { parseConfig } from '../src/config/load.js';
import { buildReport, collectLive } from '../src/engine/run.js';
import { s3Buckets, s3Encryption, s3Versioning } from '../src/facts/aws.js';
import type { FactOutcome } from '../src/model.js';
import { reporters } from '../src/reporters/index.js';
import { startMoto, motoEnv } from '../test/support/moto.js';
import { demoReport } from '../test/support/demo.js';
import { startLatencyProxy } from '../test/support/latency-proxy.js';
import { liveScale } from './live-scale.js';
import { offlineScale } from './offline-scale.js';

const ms = (n: number) => `${n.toFixed(2)} ms`;

function syntheticFacts(buckets: number, clusters: number): Map<string, FactOutcome> {
  const names = Array.from({ length: buckets }, (_, i) => `bucket-${i}`);
  const cluster = (i: number) => ({
    id: `db-${i}`, arn: `arn:aws:rds:us-east-1:1:cluster:db-${i}`, region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: '15.3',
    status: 'available', endpoint: null, deletionProtection: i % 2 === 0, storageEncrypted: true, kmsKeyId: 'k', backupRetentionDays: 30,
    members: [], parameterGroup: null, serverless: null, missing: false,
  });
  const facts: [string, unknown][] = [
    ['aws.s3.buckets', names.map((name) => ({ name, region: 'us-east-1', exists: true }))],
    ['aws.s3.encryption', names.map((bucket, i) => ({ bucket, rules: i % 3 ? [{ algorithm: 'AES256', kmsKeyId: null, bucketKeyEnabled: false }] : [] }))],
    ['aws.s3.versioning', names.map((bucket) => ({ bucket, status: 'Enabled', mfaDelete: false }))],
    ['aws.rds.clusters', Array.from({ length: clusters }, (_, i) => cluster(i))],
    ['aws.rds.instances', []],
    ['aws.cloudwatch.alarms', []],
    ['attestations', {}],
  ];
  return new Map(facts.map(([id, value]) => [id, { ok: true, value }]));
}

async function pipeline(): Promise<void> {
  const loaded = parseConfig('project: bench\naws: { region: us-east-1 }\n', 'bench.yaml');
  const demo = await demoReport();
  const bench = new Bench({ time: 500 });
  for (const [buckets, clusters] of [[10, 2], [1_000, 100], [10_000, 1_000]] as const) {
    const outcomes = syntheticFacts(buckets, clusters);
    bench.add(`evaluate + score: ${buckets} buckets, ${clusters} clusters`, () => {
      buildReport({ loaded, checks: allChecks, outcomes, now: new Date('2026-01-01T00:00:00Z'), source: { kind: 'snapshot' } });
    });
  }
  for (const name of Object.keys(reporters)) bench.add(`render ${name} (demo report)`, () => reporters[name]!.render(demo, {}));
  await bench.run();
  console.log('\n## Pure pipeline (in-process, tinybench)\n');
  console.log('| task | mean | p99 | ops/s |\n|---|---:|---:|---:|');
  for (const task of bench.tasks) {
    const r = task.result as { latency?: { mean: number; p99?: number }; throughput?: { mean: number } } | undefined;
    console.log(`| ${task.name} | ${ms(r?.latency?.mean ?? NaN)} | ${ms(r?.latency?.p99 ?? NaN)} | ${Math.round(r?.throughput?.mean ?? 0)} |`);
  }
}

async function collection(): Promise<void> {
  const moto = await startMoto();
  try {
    const env = motoEnv(moto);
    const { S3Client, CreateBucketCommand, PutBucketVersioningCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const count = 60;
    for (let i = 0; i < count; i++) {
      await s3.send(new CreateBucketCommand({ Bucket: `bench-${i}` }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: `bench-${i}`, VersioningConfiguration: { Status: 'Enabled' } }));
    }
    s3.destroy();
    Object.assign(process.env, env);
    const proxy = await startLatencyProxy(moto.endpoint, 50);
    console.log('\n## Collection against moto_server (loopback)\n');
    console.log(`S3 buckets + encryption + versioning for ${count} buckets (${count * 3 + 2} API calls), 5 runs each:\n`);
    console.log('| endpoint | median | min | max |\n|---|---:|---:|---:|');
    for (const [label, endpoint] of [['moto direct (moto-bound: one Python process)', moto.endpoint], ['moto behind a 50 ms latency proxy (like a real region)', proxy.endpoint]] as const) {
      const loaded = parseConfig(`project: bench\naws: { region: us-east-1, endpoint: "${endpoint}" }\n`, 'bench.yaml');
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        const outcomes = await collectLive({ loaded, facts: [s3Buckets, s3Encryption, s3Versioning], now: new Date(), env });
        runs.push(performance.now() - start);
        if (![...outcomes.values()].every((o) => o.ok)) throw new Error('collection failed');
      }
      runs.sort((a, b) => a - b);
      console.log(`| ${label} | ${ms(runs[2]!)} | ${ms(runs[0]!)} | ${ms(runs[4]!)} |`);
    }
    await proxy.close();
  } finally {
    await moto.stop();
  }
}

function startup(): void {
  const node = process.execPath;
  const time = (args: string[], n: number) => {
    const runs: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const result = spawnSync(node, ['dist/src/bin.js', ...args], { env: { ...process.env, NO_COLOR: '1' } });
      runs.push(performance.now() - start);
      if (result.status === 2) throw new Error(`readiness ${args.join(' ')} failed: ${result.stderr}`);
    }
    runs.sort((a, b) => a - b);
    return runs[Math.floor(n / 2)]!;
  };
  console.log('\n## CLI wall time (node dist/src/bin.js, median)\n');
  console.log(`| command | median |\n|---|---:|`);
  console.log(`| node -e 0 (baseline) | ${ms(medianOf(() => spawnSync(node, ['-e', '0']), 10))} |`);
  console.log(`| readiness --version | ${ms(time(['--version'], 10))} |`);
  console.log(`| readiness --help | ${ms(time(['--help'], 10))} |`);
  console.log(`| readiness list | ${ms(time(['list'], 10))} |`);
  console.log(`| readiness check --demo | ${ms(time(['check', '--demo'], 10))} |`);
  console.log(`| readiness check --demo --format html,md,json,sarif,junit --out <tmp> | ${ms(time(['check', '--demo', '--format', 'html,md,json,sarif,junit', '--out', '/tmp/readiness-bench'], 10))} |`);
  startupCost();
}

/**
 * Modules loaded and CPU time per command, against a bare `node -e 0` timed in the same rounds (the two alternate, so
 * both see the same machine): what the machine's load does not blur. The modules are counted in a run of their own.
 */
function startupCost(): void {
  const log = `/tmp/readiness-startup-${process.pid}.json`;
  const probe = (args: string[], env: NodeJS.ProcessEnv = {}): { modules: number | null; cpuMs: number } => {
    spawnSync(process.execPath, ['--import', './bench/startup-probe.mjs', ...args], { env: { ...process.env, NO_COLOR: '1', READINESS_STARTUP_LOG: log, ...env } });
    return JSON.parse(readFileSync(log, 'utf8'));
  };
  const ROUNDS = 9;
  const measure = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const bare: number[] = [];
    const own: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(probe(['-e', '0']).cpuMs);
      own.push(probe(args, env).cpuMs);
    }
    const modules = probe(args, { ...env, READINESS_STARTUP_MODULES: '1' }).modules;
    return { modules, cpuMs: median(own), bareMs: median(bare) };
  };
  console.log(`\n## Start-up cost (CPU time, median of ${ROUNDS} runs alternating with a bare \`node -e 0\`; budgets: explain ≤ 2×, check --demo ≤ 4× bare node)\n`);
  console.log('| command | modules | CPU | bare node | × bare node | budget (issue 16) |\n|---|---:|---:|---:|---:|---|');
  const budgets: Record<string, number> = { 'explain aws.s3.versioning': 2, 'check --demo': 4 };
  for (const args of [['--version'], ['explain', 'aws.s3.versioning'], ['list'], ['check', '--demo'], ['check', '--demo', '--format', 'html,md,json,sarif,junit', '--out', '/tmp/readiness-bench']]) {
    const run = measure(['dist/src/bin.js', ...args]);
    const times = run.cpuMs / run.bareMs;
    const budget = budgets[args.join(' ')];
    const verdict = budget === undefined ? '' : `≤ ${budget}×: ${times <= budget ? 'met' : '**not met**'}`;
    console.log(`| readiness ${args.join(' ').replace('/tmp/readiness-bench', '<tmp>')} | ${run.modules} | ${ms(run.cpuMs)} | ${ms(run.bareMs)} | ${times.toFixed(2)} | ${verdict} |`);
  }
  // The rows above reuse Node's compile cache (the tool turns it on; the first run filled it): this one compiles every module.
  const uncached = measure(['dist/src/bin.js', 'check', '--demo'], { NODE_DISABLE_COMPILE_CACHE: '1' });
  console.log(`| readiness check --demo, no compile cache | ${uncached.modules} | ${ms(uncached.cpuMs)} | ${ms(uncached.bareMs)} | ${(uncached.cpuMs / uncached.bareMs).toFixed(2)} | |`);
  rmSync(log, { force: true });
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function medianOf(run: () => void, n: number): number {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    run();
    runs.push(performance.now() - start);
  }
  return median(runs);
}

console.log(`# readiness benchmarks — ${new Date().toISOString()}`);
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, readiness ${execFileSync(process.execPath, ['dist/src/bin.js', '--version']).toString().trim()}, ${allChecks.length} checks, ${collectors.size} collectors`);
await pipeline();
await offlineScale();
await collection();
if (process.env.READINESS_BENCH_SCALE !== '0') await liveScale();
startup();
