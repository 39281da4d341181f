import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { isOneLineError, runCli } from '../support/cli.js';

const run = promisify(execFile);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'readiness-new-check-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function projectWith(config: string): Promise<string> {
  const dir = await mkdtemp(join(work, 'p-'));
  await writeFile(join(dir, 'readiness.config.yaml'), config);
  return dir;
}

describe('readiness new-check', () => {
  it('writes a check and its test beside the config; the test passes; the check joins the run, not assessed until collected', async () => {
    const dir = await projectWith('project: p\nplugins: [./readiness/checks/*.ts]\n');
    const config = join(dir, 'readiness.config.yaml');
    const made = await runCli(['new-check', 'acme.runbook-owner', '--config', config]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).not.toMatch(/Add it to the config/);
    const source = await readFile(join(dir, 'readiness', 'checks', 'acme.runbook-owner.ts'), 'utf8');
    expect(source).toMatch(/from 'hipaa-readiness\/plugin'/);
    expect(source).toMatch(/definePlugin\(\{ name: 'acme'/);

    // The scaffolded test, under real Node (types stripped), against this tree's plugin API.
    const tsx = pathToFileURL(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('tsx')).href;
    const hook = pathToFileURL(join(PACKAGE_ROOT, 'test', 'support', 'plugin-api.mjs')).href;
    const tested = await run(process.execPath, ['--import', tsx, '--import', hook, '--test', join(dir, 'readiness', 'checks', 'acme.runbook-owner.test.ts')], { cwd: dir });
    expect(tested.stdout).toMatch(/# pass 3\n# fail 0/);

    const listed = await runCli(['list', '--config', config]);
    expect(listed.stdout).toMatch(/^acme\.runbook-owner\s+medium\s+TODO/m);
    // Its collector is a TODO that says NotConfigured: the check is not assessed, never a pass.
    const checked = await runCli(['check', '--config', config, '--only', 'acme', '--format', 'json']);
    const report = JSON.parse(checked.stdout) as { results: { checkId: string; status: string; code: string }[] };
    expect(report.results.map((r) => [r.checkId, r.status, r.code])).toEqual([['acme.runbook-owner', 'not_applicable', 'not-assessed']]);
  });

  it('says how to add the folder when the config does not load it yet', async () => {
    const dir = await projectWith('project: p\n');
    const made = await runCli(['new-check', 'acme.one', '--config', join(dir, 'readiness.config.yaml')]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Add it to the config: plugins: \[\.\/readiness\/checks\/\*\.ts\]/);
  });

  it('refuses to overwrite either file, and writes nothing then', async () => {
    const dir = await projectWith('project: p\n');
    await mkdir(join(dir, 'readiness', 'checks'), { recursive: true });
    await writeFile(join(dir, 'readiness', 'checks', 'acme.one.test.ts'), 'mine');
    const made = await runCli(['new-check', 'acme.one', '--config', join(dir, 'readiness.config.yaml')]);
    expect(made.code).toBe(2);
    expect(isOneLineError(made.stderr)).toBe(true);
    expect(made.stderr).toMatch(/acme\.one\.test\.ts already exists: not overwritten/);
    expect(await readFile(join(dir, 'readiness', 'checks', 'acme.one.test.ts'), 'utf8')).toBe('mine');
    await expect(readFile(join(dir, 'readiness', 'checks', 'acme.one.ts'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it.each([
    ['runbook', /is not a check id: lowercase, namespaced/],
    ['Acme.Runbook', /is not a check id/],
    ['acme.../x', /is not a check id/],
    ['aws.s3.tagged', /uses the built-in namespace "aws"; name it "<your namespace>.<name>", e.g. acme.s3.tagged/],
    ['evidence.custom', /uses the built-in namespace "evidence"/],
  ])('refuses the id %s', async (id, message) => {
    const dir = await projectWith('project: p\n');
    const made = await runCli(['new-check', id, '--config', join(dir, 'readiness.config.yaml')]);
    expect(made.code).toBe(2);
    expect(isOneLineError(made.stderr)).toBe(true);
    expect(made.stderr).toMatch(message);
  });
});
