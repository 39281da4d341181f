import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { spawnCli } from '../support/cli.js';

const run = promisify(execFile);
// The built command, as a user runs it: only the build freezes the demo's config (dist/src/config/demo-config.json),
// so only there does `check --demo` validate nothing. `npm ci` and `npm run build` make it.
const BIN = join(PACKAGE_ROOT, 'dist', 'src', 'bin.js');
const RECORDER = join(import.meta.dirname, '..', 'support', 'record-loaded-modules.mjs');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-demo-modules-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The URLs of the modules `readiness <argv>` loads, and its exit code. */
async function loadedBy(argv: string[], colour: 'plain' | 'forced' = 'plain'): Promise<{ code: number; modules: string[]; internals: string[]; stdout: string }> {
  const log = join(dir, 'modules.log');
  const internalLog = join(dir, 'internal-modules.log');
  const { NO_COLOR, FORCE_COLOR, ...inherited } = process.env;
  const env = { ...inherited, ...(colour === 'forced' ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }), READINESS_MODULE_LOG: log, READINESS_INTERNAL_MODULE_LOG: internalLog };
  const { code, stdout } = await run(process.execPath, ['--import', RECORDER, BIN, ...argv], { env, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout: string }) => ({ code: error.code ?? -1, stdout: error.stdout }),
  );
  return { code, stdout, modules: (await readFile(log, 'utf8')).trim().split('\n'), internals: (await readFile(internalLog, 'utf8')).trim().split('\n') };
}

const fromPackage = (name: string) => (url: string) => url.includes(`/node_modules/${name}/`);
/** zod as the build bundles it (scripts/bundle-zod.mjs), or as installed. */
const isZod = (url: string) => url.endsWith('/dist/src/zod-package.js') || fromPackage('zod')(url);
/** The yaml library as the build bundles it (scripts/bundle-yaml.mjs), or as installed. */
const isYaml = (url: string) => url.endsWith('/dist/src/yaml-package.cjs') || fromPackage('yaml')(url);

// Start-up (issue 16: `check --demo` within 4× a bare node): zod is a quarter of it, and the demo validates nothing
// (its config and its snapshot are the build's), so zod is loaded only by the code that validates (src/zod.ts).
describe('check --demo', () => {
  it('is run from the build', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'dist', 'src', 'config', 'demo-config.json')), 'build first: npm run build').toBe(true);
  });

  it('loads no zod', async () => {
    const { code, modules } = await loadedBy(['check', '--demo', '--format', 'terminal,md,json,html,sarif,junit,github', '--out', join(dir, 'out')]);
    expect(code).toBe(1);
    expect(modules.some((url) => url.endsWith('/dist/src/engine/evaluate.js'))).toBe(true);
    expect(modules.filter(isZod)).toEqual([]);
    expect(existsSync(join(dir, 'out', 'readiness-report.json'))).toBe(true);
  });

  // The build joins the catalog's ~100 modules into dist/checks/index.js (scripts/bundle-checks.mjs): Node
  // resolving, reading and linking each on its own was about a fifth of the demo's start-up.
  it('loads the catalog as one module, and every check from it', async () => {
    const { code, modules, stdout } = await loadedBy(['check', '--demo', '--format', 'json']);
    expect(code).toBe(1);
    expect(modules.filter((url) => url.includes('/dist/checks/'))).toEqual([expect.stringMatching(/\/dist\/checks\/index\.js$/)]);
    const { allChecks } = await import('../../checks/index.js');
    const report = JSON.parse(stdout) as { checks: { id: string }[] };
    expect(report.checks.map((check) => check.id)).toEqual(allChecks.map((check) => check.meta.id));
  });

  it('loads no colour library when it prints no colour, and prints colour with it', async () => {
    const plain = await loadedBy(['check', '--demo']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('NOT READY');
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.modules.filter(fromPackage('chalk'))).toEqual([]);

    const coloured = await loadedBy(['check', '--demo'], 'forced');
    expect(coloured.code).toBe(1);
    expect(coloured.modules.some(fromPackage('chalk'))).toBe(true);
    // The blockers' heading bold red, as ever; the text itself unchanged once the colours are taken out.
    expect(coloured.stdout).toContain('\u001b[31m\u001b[1mBlockers (');
    expect(coloured.stdout.replace(/\u001b\[\d+m/g, '')).toBe(plain.stdout);
  });

  // A CommonJS module imported as an ES module starts Node's export scan (its lexer and loader), the global
  // \`performance\` loads perf_hooks: 5–15 ms of the demo's start-up, for a suggestion only an unknown name needs and
  // a start time process.uptime() gives.
  it('loads no CommonJS module and no perf_hooks; a misspelt check id still gets its suggestion from the build', async () => {
    const { code, modules, internals } = await loadedBy(['check', '--demo']);
    expect(code).toBe(1);
    expect(modules.filter(fromPackage('fastest-levenshtein'))).toEqual([]);
    expect(internals.filter((name) => ['NativeModule internal/deps/cjs-module-lexer/lexer', 'NativeModule perf_hooks'].includes(name))).toEqual([]);

    const config = join(dir, 'misspelt.config.yaml');
    await writeFile(config, 'project: misspelt\nchecks:\n  aws.s3.versionin:\n    severity: low\n');
    const refused = await run(process.execPath, [BIN, 'check', '--config', config, '--snapshot', join(PACKAGE_ROOT, 'examples', 'demo', 'snapshot.json')]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no check "aws.s3.versionin" — did you mean "aws.s3.versioning"?');
  });

  // zod's own build is 96 modules (64 of them locales): bundled into one, Node loads it in about half the time.
  // The same for the yaml library (72 modules), which a config outside the plain subset needs: the demo's has comments.
  it('loads zod once it validates (a snapshot the user names), and yaml for a config outside the plain subset, each as the one module the build bundles', async () => {
    const snapshot = join(PACKAGE_ROOT, 'examples', 'demo', 'snapshot.json');
    const { code, modules } = await loadedBy(['check', '--config', join(PACKAGE_ROOT, 'examples', 'demo', 'readiness.config.yaml'), '--snapshot', snapshot]);
    expect(code).toBe(1);
    expect(modules.filter(isZod)).toEqual([expect.stringMatching(/\/dist\/src\/zod-package\.js$/)]);
    expect(modules.filter(isYaml)).toEqual([expect.stringMatching(/\/dist\/src\/yaml-package\.cjs$/)]);
  });

  // A snapshot run loads what it uses: no collector (nor the AWS SDK, pg, the XML parser), and with a config in the
  // plain subset (any `init` writes) not the yaml library either, which only an error's position needs.
  it('loads no collector, and no yaml for a plain config', async () => {
    const config = join(dir, 'plain.config.yaml');
    await writeFile(config, 'project: plain\naws:\n  region: us-east-1\n  rds:\n    clusters:\n      - db-1\n');
    const snapshot = join(PACKAGE_ROOT, 'examples', 'demo', 'snapshot.json');
    const { code, modules } = await loadedBy(['check', '--config', config, '--snapshot', snapshot, '--format', 'sarif']);
    expect(code).toBe(1);
    expect(modules.some((url) => url.endsWith('/dist/src/snapshot.js'))).toBe(true);
    expect(modules.filter((url) => url.includes('/dist/src/collectors/') && !url.endsWith('/collectors/types.js') && !url.endsWith('/collectors/url-credentials.js'))).toEqual([]);
    expect(modules.filter(isYaml)).toEqual([]);
    for (const name of ['@aws-sdk', 'pg', 'fast-xml-parser', '@supabase']) expect(modules.filter((url) => url.includes(`/node_modules/${name}/`))).toEqual([]);
  });
});

// `explain` (issue 16: within 2× a bare node) loads commander as the build bundles it (scripts/bundle-commander.mjs):
// importing node:process, node:util or node:child_process as an ES module loads some 60 of Node's internal modules.
describe('explain', () => {
  it('loads commander bundled, and none of what importing node:process, node:util or node:child_process would load', async () => {
    const { code, modules, internals, stdout } = await loadedBy(['explain', 'aws.s3.versioning']);
    expect(code).toBe(0);
    expect(stdout).toContain('aws.s3.versioning — Versioning is on where required');
    expect(modules.some((url) => url.endsWith('/dist/src/commander.js'))).toBe(true);
    expect(modules.filter(fromPackage('commander'))).toEqual([]);
    // What each import loads first among its own: the process report, util's argument parser, the child-process module.
    const heavy = ['NativeModule internal/process/report', 'NativeModule internal/util/parse_args/parse_args', 'NativeModule child_process'];
    expect(internals.filter((name) => heavy.includes(name))).toEqual([]);
  });

  it('parses, helps and refuses as commander as installed does (the CLI run from source)', async () => {
    const { NO_COLOR, FORCE_COLOR, ...inherited } = process.env;
    const env = { ...inherited, NO_COLOR: '1' };
    const built = (argv: string[]) =>
      run(process.execPath, [BIN, ...argv], { env, cwd: dir }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    const vectors = [['--help'], ['check', '--help'], ['help', 'diff'], ['--version'], ['chek'], ['explain'], ['explain', 'aws.s3.versio'], ['list', '--nosuch'], ['check', '--fail-under'], ['check', '--fail-under', 'x', '--demo'], ['check', '--format', 'nope', '--demo'], ['diff', 'a.json']];
    for (const argv of vectors) expect(await built(argv), argv.join(' ')).toEqual(await spawnCli(argv, { env, cwd: dir }));
  }, 60_000);
});

// A path that reads a built-in schema before loading zod is a bug: it must say so by name, not "reading 'object' of undefined".
describe('zod before loadZod()', () => {
  const ZOD_MODULE = join(PACKAGE_ROOT, 'dist', 'src', 'zod.js');
  const touch = (script: string) =>
    run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(ZOD_MODULE)}); ${script}`]).then(
      ({ stdout }) => ({ ok: true, text: stdout }),
      (error: { stderr: string }) => ({ ok: false, text: error.stderr }),
    );

  it('names the mistake', async () => {
    const touched = await touch('m.z.object({});');
    expect(touched.ok).toBe(false);
    expect(touched.text).toContain('zod used before loadZod() (z.object)');
  });

  it('is zod once loaded', async () => {
    expect(await touch('await m.loadZod(); console.log(m.z.object({ a: m.z.string() }).parse({ a: "x" }).a);')).toEqual({ ok: true, text: 'x\n' });
  });
});
