import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { parseSnapshot } from '../../src/snapshot.js';
import { isOneLineError, runCli, type CliRun } from '../support/cli.js';

// Seeded and reproducible: a failure prints its seed and path; READINESS_FUZZ_SEED replays another seed.
const SEED = Number(process.env.READINESS_FUZZ_SEED ?? 20261130);
/** Runs per generator (configs, argument vectors, snapshots): what SECURITY.md reports. */
export const FUZZ_RUNS = { configs: 10_000, argv: 10_000, snapshots: 10_000 };
/** Of those, run through the whole CLI in-process (files written, report rendered). */
const CLI_RUNS = { configs: 300, snapshots: 300 };

const STACK = /\n\s+at |\.ts:\d+:\d+|Error:\s*$/;

let dir: string;
let out: string;
const paths: Record<string, string> = {};
const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
let demoSnapshot: Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-fuzz-'));
  out = join(dir, 'out');
  paths.fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [paths.fifo]);
  paths.folder = join(dir, 'folder');
  await mkdir(paths.folder);
  paths.missing = join(dir, 'missing.yaml');
  // Only config without any section: a valid argument vector never reaches a network.
  paths.minimal = join(dir, 'minimal.yaml');
  await writeFile(paths.minimal, 'project: fuzz\n');
  paths.snapshot = join(dir, 'snapshot.json');
  await copyFile(DEMO_SNAPSHOT, paths.snapshot);
  paths.badJson = join(dir, 'bad.json');
  await writeFile(paths.badJson, '{"schemaVersion": 1, "results": [');
  paths.proto = join(dir, 'proto.yaml');
  await writeFile(paths.proto, 'project: x\n__proto__: { gate: { minScore: 0 } }\n');
  // A dozen of the demo's facts: every kind of value (lists, records, nulls, dates) at a fraction of the size.
  const demo = JSON.parse(await readFile(DEMO_SNAPSHOT, 'utf8')) as { facts: Record<string, unknown> };
  const kept = ['aws.rds.clusters', 'aws.s3.versioning', 'aws.s3.bucket-policies', 'aws.cloudfront.distributions', 'aws.cognito.user-pools', 'aws.secretsmanager.secrets', 'aws.cost.by-service', 'domain.http', 'domain.tls', 'supabase.auth', 'supabase.network-restrictions', 'supabase.backups', 'evidence.documents', 'attestations'];
  demoSnapshot = { ...demo, facts: Object.fromEntries(kept.map((id) => [id, demo.facts[id]])) };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The exit-2 contract, and no stack trace whatever the exit code. */
function expectContract(run: CliRun, context: unknown): void {
  const where = JSON.stringify(context).slice(0, 500);
  expect([0, 1, 2], where).toContain(run.code);
  expect(STACK.test(run.stderr), `${where}\n${run.stderr}`).toBe(false);
  if (run.code === 2) {
    expect(isOneLineError(run.stderr), `${where}\n${run.stderr}`).toBe(true);
    expect(run.stderr, where).not.toMatch(/internal error/);
    expect(existsSync(out), `${where}: --out written before a rejection`).toBe(false);
  }
}

// ---- configs ----

const KEYS = [
  'project', 'aws', 'supabase', 'domain', 'probes', 'evidence', 'attestations', 'vendors', 'documents', 'budget', 'gate', 'waivers',
  'region', 'regions', 'endpoint', 'rds', 's3', 'cloudwatch', 'cognito', 'clusters', 'buckets', 'name', 'versioning', 'requiredAlarms',
  'projectRef', 'accessToken', 'apiUrl', 'dbUrl', 'hosts', 'resolve', 'url', 'id', 'minScore', 'failOn', 'check', 'reason', 'approvedBy',
  'expires', 'signed', 'by', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '<<', '',
];
const scalar = fc.oneof(
  fc.constantFrom('${SUPABASE_ACCESS_TOKEN}', '${UNSET_VAR}', 'x${A}y', '2025-02-30', '2025-10-11', 'https://u:p@h/x?code=1', 'critical', 'required', '~', '&a', '*a', 'abcdefghijklmnopqrst', '0x0', '.inf', ''),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
})).value;

const VALID = { project: 'fuzz', gate: { minScore: 90, failOn: 'critical' }, domain: { name: 'example.test', hosts: { app: 'app.example.test' } }, waivers: [{ check: 'aws.cloudfront.waf', reason: 'r', approvedBy: 'a', expires: '2099-12-31' }] };

const LEAVES: (string | number)[][] = [['project'], ['gate', 'minScore'], ['gate', 'failOn'], ['domain', 'name'], ['domain', 'hosts', 'app'], ['waivers', 0, 'expires'], ['waivers', 0, 'check'], ['waivers', 0, 'reason']];

/** The valid config with one leaf set to another value. */
function withLeaf(path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(VALID) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

/** A config text: a random tree, a valid config with one leaf or part replaced, or either cut or spliced with YAML syntax. */
const configText = fc.oneof(
  fc.tuple(fc.constantFrom(...LEAVES), scalar).map(([path, value]) => stringify(withLeaf(path, value))),
  tree.map((value) => stringify(value)),
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...KEYS), tree).map(([a, b, value]) => stringify({ ...VALID, [a]: { [b]: value } })),
  fc.tuple(tree.map((value) => stringify({ ...VALID, extra: value })), fc.nat(), fc.constantFrom('', ':', '- ', '{', '[', '&x ', '*x', '!!binary ', '? ', '\t', '"', '\n  ', '\\u0000', '%YAML 1.1\n---\n')).map(
    ([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)),
  ),
  fc.string({ maxLength: 200 }),
);
const ENV = { SUPABASE_ACCESS_TOKEN: 'sbp_fuzz-token-0123456789', A: 'a' };

describe(`fuzzing (seed ${SEED})`, () => {
  it(`${FUZZ_RUNS.configs} generated configs: valid, or one ConfigError line`, () => {
    let rejected = 0;
    fc.assert(
      fc.property(configText, (text) => {
        try {
          parseConfig(text, 'fuzz.yaml', ENV);
        } catch (error) {
          rejected++;
          expect(error, text).toBeInstanceOf(UsageError);
          expect((error as Error).message, text).not.toMatch(/\n/);
        }
      }),
      { seed: SEED, numRuns: FUZZ_RUNS.configs },
    );
    console.log(`fuzz: ${FUZZ_RUNS.configs} configs (seed ${SEED}): ${FUZZ_RUNS.configs - rejected} valid, ${rejected} rejected with one ConfigError line, 0 crashes`);
    expect(rejected).toBeGreaterThan(FUZZ_RUNS.configs / 3);
  }, 180_000);

  it(`${CLI_RUNS.configs} of them through the CLI: exit 2 with one line, --out untouched`, async () => {
    const file = join(dir, 'fuzz.config.yaml');
    await fc.assert(
      fc.asyncProperty(configText, async (text) => {
        await writeFile(file, text);
        const run = await runCli(['check', '--config', file, '--snapshot', paths.snapshot!, '--format', 'json', '--out', out], ENV);
        expectContract(run, text);
        await rm(out, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: CLI_RUNS.configs },
    );
  }, 120_000);

  // ---- argument vectors ----

  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('check', 'list', 'explain', 'diff', 'collect', 'chek', '--demo', '-f', '--format', '--only', '--skip', '--section', '--fail-under', '--fail-on', '--timeout', '--now', '--snapshot', '--baseline', '--json', '--ci', '--no-color', '--verbose', '--debug', '--profile', '--region', '--', '-', '--fail-under=', '--timeout=1e3', '-o', '--out', '-c', '--config') },
    { weight: 3, arbitrary: fc.constantFrom('', ' ', '0', '0x0', '1e2', '-1', '100', '90.5', '2147484', 'NaN', 'Infinity', '2025-02-30', '2025-10-11', '2025-10-11T22:30:00Z', '__proto__', 'constructor', 'toString', 'aws', 'aws.rds', 'aws.rds.deletion-protection', 'json', 'md,json', 'html,sarif,junit', 'terminal', 'critical', 'high', ',', 'aws,,supabase') },
    { weight: 2, arbitrary: fc.constantFrom('fifo', 'folder', 'missing', 'minimal', 'snapshot', 'badJson', 'proto', 'out').map((name) => ({ path: name })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  /** `{ path }` tokens become this run's files; check and collect always start from the minimal config (no section: no network). */
  const argv = fc.array(token, { minLength: 1, maxLength: 8 }).map((tokens) => {
    const resolved = tokens.map((t) => (typeof t === 'string' ? t : t.path === 'out' ? out : paths[t.path]!));
    const command = resolved[0];
    return command === 'check' || command === 'collect' ? [command, '--config', paths.minimal!, ...resolved.slice(1)] : resolved;
  });

  it(`${FUZZ_RUNS.argv} generated argument vectors: exit 0, 1 or 2 (one line), no stack, --out untouched on 2`, async () => {
    const codes = [0, 0, 0];
    // A generated `--out 90.5` is a valid relative path: whatever a run writes stays in the temp folder.
    const cwd = process.cwd();
    process.chdir(dir);
    onTestFinished(() => process.chdir(cwd));
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        // A config with sections would reach the network: only the minimal one, the proto one or broken files.
        fc.pre(!args.includes(DEMO_CONFIG));
        const run = await runCli(args, { ...ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'fuzz', AWS_SECRET_ACCESS_KEY: 'fuzz' });
        expectContract(run, args);
        codes[run.code]!++;
        await rm(out, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: FUZZ_RUNS.argv },
    );
    console.log(`fuzz: ${FUZZ_RUNS.argv} argument vectors (seed ${SEED}): exit 0 ×${codes[0]}, exit 1 ×${codes[1]}, exit 2 ×${codes[2]} (one line each), 0 stack traces`);
    expect(codes[2]).toBeGreaterThan(0);
  }, 120_000);

  // ---- snapshots ----

  /** The demo snapshot with one fact's value, or one top-level field, replaced by random JSON; or its text cut or spliced. */
  const snapshotText = () => {
    const facts = Object.keys(demoSnapshot.facts as object);
    return fc.oneof(
      fc.tuple(fc.constantFrom(...facts), fc.jsonValue({ maxDepth: 3 })).map(([fact, value]) =>
        JSON.stringify({ ...demoSnapshot, facts: { ...(demoSnapshot.facts as object), [fact]: { ok: true, value } } }),
      ),
      fc.tuple(fc.constantFrom(...facts), fc.jsonValue({ maxDepth: 2 })).map(([fact, value]) => {
        // Inside the recorded value: one key of the first object or list item replaced.
        const outcome = (demoSnapshot.facts as Record<string, { value?: unknown }>)[fact]!;
        const original = outcome.value;
        const first = Array.isArray(original) ? original[0] : original;
        const mutated = first && typeof first === 'object' ? { ...first, [Object.keys(first)[0] ?? 'x']: value } : value;
        return JSON.stringify({ ...demoSnapshot, facts: { ...(demoSnapshot.facts as object), [fact]: { ...outcome, value: Array.isArray(original) ? [mutated, ...original.slice(1)] : mutated } } });
      }),
      fc.tuple(fc.constantFrom('schemaVersion', 'tool', 'collectedAt', 'project', 'configHash', 'aws', 'facts', '__proto__'), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) =>
        JSON.stringify({ ...demoSnapshot, [key]: value }).replace('"__proto__":', '"__proto__":'),
      ),
      fc.tuple(fc.nat(), fc.constantFrom('', '"', '{', '}', ']', ',', '\\', '"__proto__":{},', 'null')).map(([at, insert]) => {
        const text = JSON.stringify(demoSnapshot);
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + (insert ? 0 : 1));
      }),
    );
  };

  it(`${FUZZ_RUNS.snapshots} generated snapshots: valid, or one SnapshotError line`, () => {
    let rejected = 0;
    fc.assert(
      fc.property(snapshotText(), (text) => {
        try {
          parseSnapshot(text, 'fuzz.json', known);
        } catch (error) {
          rejected++;
          expect(error, text.slice(0, 300)).toBeInstanceOf(UsageError);
          expect((error as Error).message).not.toMatch(/\n/);
        }
      }),
      { seed: SEED, numRuns: FUZZ_RUNS.snapshots },
    );
    console.log(`fuzz: ${FUZZ_RUNS.snapshots} snapshots (seed ${SEED}): ${FUZZ_RUNS.snapshots - rejected} valid, ${rejected} rejected with one SnapshotError line, 0 crashes`);
  }, 180_000);

  it(`${CLI_RUNS.snapshots} of them through the CLI: every check evaluates what passed validation, or exit 2 with one line`, async () => {
    const file = join(dir, 'fuzz.snapshot.json');
    await fc.assert(
      fc.asyncProperty(snapshotText(), async (text) => {
        await writeFile(file, text);
        const run = await runCli(['check', '--config', DEMO_CONFIG, '--snapshot', file, '--format', 'json,md,html,sarif,junit,github', '--out', out, '--now', '2025-10-11T22:30:00Z']);
        expectContract(run, text.slice(0, 300));
        await rm(out, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: CLI_RUNS.snapshots },
    );
  }, 120_000);
});
