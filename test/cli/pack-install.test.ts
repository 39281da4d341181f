import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allChecks } from '../../checks/index.js';
import { BUILTIN_METADATA_FILE } from '../../src/builtin-metadata.js';
import { builtinMetadataOf } from '../../src/check-doc.js';
import { runExplain } from '../../src/commands/explain.js';
import { runList } from '../../src/commands/list.js';
import { DEMO_CONFIG } from '../../src/commands/setup.js';
import { freezeConfig } from '../../src/config/freeze.js';
import { DEMO_CONFIG_FILE } from '../../src/config/frozen.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

const run = promisify(execFile);

// The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), installed from the
// tarball into an empty project outside the source tree, and run from there through its `bin`.
let work: string;
let app: string;
let moto: Moto;
const packageJson = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
// The tarball's bin runs on the `node` of PATH: the one running this test (Node ≥ 22), whatever the machine has.
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'readiness-pack-'));
  app = join(work, 'clinic-app');
  await mkdir(join(app, 'ops'), { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'clinic-app', private: true, version: '1.0.0' }));
  await run('npm', ['pack', '--pack-destination', work], { cwd: PACKAGE_ROOT, env, maxBuffer: 32 * 1024 * 1024 });
  const [tarball] = (await readdir(work)).filter((name) => name.endsWith('.tgz'));
  await run('npm', ['install', '--save-dev', '--prefer-offline', join(work, tarball!)], { cwd: app, env, maxBuffer: 32 * 1024 * 1024 });
  moto = await startMoto();
}, 600_000);

afterAll(async () => {
  await moto?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function readiness(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return run(join(app, 'node_modules', '.bin', 'readiness'), args, { cwd, env: { ...env, ...extraEnv }, maxBuffer: 32 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe(`the packed package, installed into an application's repository`, () => {
  it('is published under a name of its own, with the command `readiness`', async () => {
    expect(packageJson.name).not.toBe('readiness');
    const installed = JSON.parse(await readFile(join(app, 'node_modules', packageJson.name, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(installed.bin)).toEqual(['readiness']);
    // Only what a user runs: the build, the demo, the IAM policy and the schemas; no sources or tests.
    const shipped = await readdir(join(app, 'node_modules', packageJson.name));
    expect(shipped).not.toContain('test');
    expect(shipped).not.toContain('src');
  });

  it('prints its version', async () => {
    const { code, stdout } = await readiness(['--version'], app);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(packageJson.version);
  });

  it('runs the bundled demo (NOT READY, exit 1)', async () => {
    const { code, stdout, stderr } = await readiness(['check', '--demo', '--format', 'md'], app);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('NOT READY');
  });

  it("ships the demo's config as the build froze it, equal to the config validated today", async () => {
    const shipped = JSON.parse(await readFile(join(app, 'node_modules', packageJson.name, 'dist', 'src', 'config', DEMO_CONFIG_FILE), 'utf8')) as unknown;
    expect(shipped).toStrictEqual(JSON.parse(JSON.stringify(await freezeConfig(await readFile(DEMO_CONFIG, 'utf8'), DEMO_CONFIG))));
  });

  it("lists and explains the built-ins from the build's metadata, equal to the checks' own", async () => {
    // Written by the build from the checks it compiled: the installed copy must be what the catalog gives today.
    const shipped = JSON.parse(await readFile(join(app, 'node_modules', packageJson.name, 'dist', 'src', BUILTIN_METADATA_FILE), 'utf8')) as unknown;
    expect(shipped).toEqual(JSON.parse(JSON.stringify(builtinMetadataOf(allChecks))));
    const listed = await readiness(['list', '--json'], app);
    expect(listed.stdout).toBe(await runList({ json: true }));
    const explained = await readiness(['explain', 'aws.logs.retention'], app);
    expect(explained.stdout).toBe(await runExplain('aws.logs.retention'));
  });

  it('writes a first config with init, and check finds it from a subfolder', async () => {
    const awsEnv = motoEnv(moto);
    const init = await readiness(['init', '--project', 'clinic'], app, awsEnv);
    expect(init.code).toBe(0);
    const written = parse(await readFile(join(app, 'readiness.config.yaml'), 'utf8')) as { project: string };
    expect(written.project).toBe('clinic');
    // No --config: the file is found in the nearest parent, like ESLint finds its own.
    const check = await readiness(['check', '--section', 'aws', '--format', 'json', '--timeout', '60'], join(app, 'ops'), awsEnv);
    expect(check.stderr).not.toMatch(/config file not found/);
    expect([0, 1]).toContain(check.code);
    expect(JSON.parse(check.stdout)).toMatchObject({ project: 'clinic' });
  });

  it('exports the plugin API with its types', async () => {
    const installed = join(app, 'node_modules', packageJson.name);
    for (const file of ['dist/src/plugin.js', 'dist/src/plugin.d.ts', 'dist/src/index.js', 'dist/src/index.d.ts']) await expect(readFile(join(installed, file), 'utf8')).resolves.toBeTruthy();
    const api = await run(process.execPath, ['--input-type=module', '-e', `const api = await import('${packageJson.name}/plugin'); console.log(Object.keys(api).sort().join(','))`], { cwd: app, env });
    expect(api.stdout.trim().split(',')).toEqual(expect.arrayContaining(['defineCheck', 'defineCollector', 'defineFact', 'definePlugin', 'FactError', 'facts', 'runCase', 'z']));
    // A plugin typed against the installed API compiles (its .d.ts are whole).
    await writeFile(join(app, 'typed.ts'), `import { defineCheck, facts, type Finding } from '${packageJson.name}/plugin';
export default defineCheck({
  meta: { id: 'acme.typed', title: 't', failureTitle: 'f', description: 'd', section: 'domain', severity: 'low', layer: 'infrastructure', hipaa: [], phase: 4, remediation: { text: 'x', effortMinutes: 1 }, messages: { ok: 'ok' } },
  facts: { probes: facts.healthProbes },
  evaluate: ({ probes }) => probes.map((p): Finding => ({ resource: p.id, status: p.durationMs < 100 ? 'pass' : 'fail', code: 'ok' })),
});
`);
    await run(join(PACKAGE_ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--skipLibCheck', 'typed.ts'], { cwd: app, env });
  }, 180_000);

  it('loads the example plugin installed as a package beside the application, by name', async () => {
    // The node_modules layout npm gives a dependency (the shipped copy of examples/plugin, as published); the config names it by package name.
    await cp(join(app, 'node_modules', packageJson.name, 'examples', 'plugin', 'readiness-plugin-example'), join(app, 'node_modules', 'readiness-plugin-example'), { recursive: true });
    const plugged = join(app, 'plugged');
    await mkdir(plugged, { recursive: true });
    await writeFile(join(plugged, 'readiness.config.yaml'), 'project: clinic\nplugins: [readiness-plugin-example]\ndocuments: { runbook: runbook.md }\n');
    await writeFile(join(plugged, 'runbook.md'), '---\nowner: Ops\nescalation: PagerDuty\n---\n# Runbook\n');
    const listed = await readiness(['list'], plugged);
    expect(listed.stderr).toBe('');
    expect(listed.stdout).toMatch(/^example\.runbook-owner\s+medium/m);
    const checked = await readiness(['check', '--only', 'example', '--format', 'json'], plugged);
    expect(JSON.parse(checked.stdout)).toMatchObject({ results: [{ checkId: 'example.runbook-owner', status: 'pass', code: 'owned' }] });
  }, 120_000);
});
