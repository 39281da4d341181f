import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_CONFIG } from '../../src/commands/setup.js';
import { PACKAGE_ROOT } from '../../src/version.js';

interface Step { id?: string; name?: string; if?: string; uses?: string; with?: Record<string, string>; shell?: string; env?: Record<string, string>; run?: string }
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(await readFile(join(PACKAGE_ROOT, 'action.yml'), 'utf8')) as Action;

/**
 * Runs action.yml as a composite action's runner would, in a simulated Actions environment: each `run:` step in bash
 * with `${{ … }}` substituted, its own $GITHUB_OUTPUT, and `readiness` on the PATH as this checkout's CLI (npm is a
 * stand-in that records what it was asked to install). `uses:` steps are recorded with their `with:`, not run.
 */
async function runAction(workspace: string, inputs: Record<string, string>) {
  const bin = join(workspace, '.bin');
  const summary = join(workspace, 'step-summary.md');
  const values = { ...Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? ''])), ...inputs };
  const outputs: Record<string, Record<string, string>> = {};
  const expression = (expr: string): string => {
    const [scope, ...rest] = expr.trim().split('.');
    if (scope === 'inputs') return values[rest.join('.')] ?? '';
    if (scope === 'steps' && rest[1] === 'outputs') return outputs[rest[0]!]?.[rest.slice(2).join('.')] ?? '';
    if (expr.trim() === 'github.action_path') return PACKAGE_ROOT;
    throw new Error(`unknown expression ${expr}`);
  };
  const substitute = (text: string) => text.replace(/\$\{\{(.+?)\}\}/g, (_, expr: string) => expression(expr));
  const condition = (text: string | undefined) =>
    !text ||
    text.split('&&').every((term) => {
      const t = term.trim();
      if (t === 'always()') return true;
      const m = /^(.+?)\s*(==|!=)\s*'(.*)'$/.exec(t);
      if (!m) throw new Error(`unknown condition ${t}`);
      return (expression(m[1]!) === m[3]) === (m[2] === '==');
    });
  const uses: { uses: string; with: Record<string, string> }[] = [];
  const codes: Record<string, number> = {};
  for (const [index, step] of action.runs.steps.entries()) {
    const id = step.id ?? `step${index}`;
    if (!condition(step.if)) continue;
    if (step.uses) {
      uses.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v))])) });
      continue;
    }
    expect(step.shell, id).toBe('bash');
    const output = join(workspace, `${id}.output`);
    await writeFile(output, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v))]));
    const script = join(workspace, `${id}.sh`);
    await writeFile(script, substitute(step.run!));
    // As Actions runs `shell: bash`.
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: workspace, ...env },
    });
    codes[id] = run.status ?? -1;
    outputs[id] = parseOutputs(await readFile(output, 'utf8'));
    if (run.status !== 0) break;
  }
  const actionOutputs = Object.fromEntries(Object.entries(action.outputs).map(([name, o]) => [name, substitute(o.value)]));
  return { codes, outputs: actionOutputs, uses, summary };
}

function parseOutputs(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      found[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) found[lines[i]!.slice(0, lines[i]!.indexOf('='))] = lines[i]!.slice(lines[i]!.indexOf('=') + 1);
  }
  return found;
}

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'readiness-action-'));
  await mkdir(join(workspace, '.git'));
  await mkdir(join(workspace, 'ops'));
  await writeFile(join(workspace, 'ops', 'readiness.config.yaml'), await readFile(DEMO_CONFIG, 'utf8'));
  // `readiness` is this checkout's CLI; `npm` records what it was asked to install.
  const bin = join(workspace, '.bin');
  await mkdir(bin);
  const tsx = pathToFileURL(join(PACKAGE_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  await writeFile(join(bin, 'readiness'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(PACKAGE_ROOT, 'src', 'bin.ts')}" "$@"\n`);
  await writeFile(join(bin, 'npm'), `#!/bin/sh\necho "$@" >> "${join(workspace, 'npm-calls')}"\n`);
  await chmod(join(bin, 'readiness'), 0o755);
  await chmod(join(bin, 'npm'), 0o755);
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('action.yml, run in a simulated Actions environment against the demo', () => {
  it('is a composite action: Node 22, install, check --ci, upload SARIF and the reports, then gate', () => {
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    expect(steps[0]).toMatchObject({ uses: 'actions/setup-node@v4', with: { 'node-version': 22 } });
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3', 'actions/upload-artifact@v4']);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['config', 'formats', 'fail-under', 'fail-on', 'out']));
    // No input is pasted into a script: each reaches it through env.
    for (const step of steps) expect(step.run ?? '', step.name).not.toMatch(/\$\{\{\s*inputs\./);
  });

  it('writes the reports, sets the outputs, hands the SARIF and the folder to the uploads, and fails the job as readiness did', async () => {
    const run = await runAction(workspace, { config: 'ops/readiness.config.yaml', formats: 'json,junit', out: 'reports', args: '--demo', 'fail-under': '85', 'fail-on': 'high' });
    expect(await readFile(join(workspace, 'npm-calls'), 'utf8')).toMatch(/^install --global .*"?hipaa-readiness@latest"?\n$/);
    expect(run.codes.check).toBe(0);
    expect(run.codes.step5).toBe(1);
    const report = JSON.parse(await readFile(join(workspace, 'reports', 'readiness-report.json'), 'utf8')) as { score: number; gate: unknown };
    expect(report.gate).toEqual({ minScore: 85, failOn: 'high' });
    expect(run.outputs).toMatchObject({
      verdict: 'NOT_READY',
      score: String(report.score),
      'exit-reason': 'not-ready',
      'exit-code': '1',
      'report-dir': 'reports',
      'report-sarif': join('reports', 'readiness-report.sarif'),
      'report-json': join('reports', 'readiness-report.json'),
    });
    // sarif was added to the formats asked for; code scanning reads the config by its path in the repository.
    const sarif = JSON.parse(await readFile(join(workspace, run.outputs['report-sarif']!), 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('ops/readiness.config.yaml');
    expect(run.uses).toEqual([
      { uses: 'actions/setup-node@v4', with: { 'node-version': '22' } },
      { uses: 'github/codeql-action/upload-sarif@v3', with: { sarif_file: join('reports', 'readiness-report.sarif'), category: 'readiness' } },
      { uses: 'actions/upload-artifact@v4', with: { name: 'readiness-reports', path: 'reports' } },
    ]);
    expect(await readFile(run.summary, 'utf8')).toMatch(/^# Production Readiness Assessment/);
  });

  it('a bad config still ends the job with exit 2 and uploads nothing', async () => {
    const run = await runAction(workspace, { config: 'ops/missing.yaml', out: 'bad', args: '' });
    expect(run.codes.check).toBe(0);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.uses.map((u) => u.uses)).toEqual(['actions/setup-node@v4']);
    expect(run.codes.step5).toBe(2);
  });
});

describe('docs/ci.md GitLab job', () => {
  it('runs its script against the demo: JUnit, SARIF and a code quality report at the config\'s lines, and the gate\'s exit code', async () => {
    const docs = await readFile(join(PACKAGE_ROOT, 'docs', 'ci.md'), 'utf8');
    const block = /## GitLab CI[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)![1]!;
    const pipeline = parse(block) as { readiness: { script: string[]; artifacts: { reports: Record<string, string> } }; deploy: { needs: string[] } };
    expect(pipeline.deploy.needs).toEqual(['readiness']);
    const gitlab = join(workspace, 'gitlab');
    await mkdir(join(gitlab, '.git'), { recursive: true });
    await mkdir(join(gitlab, 'ops'));
    await writeFile(join(gitlab, 'ops', 'readiness.config.yaml'), await readFile(DEMO_CONFIG, 'utf8'));
    const bin = join(workspace, '.bin');
    // Installing is the runner's business; the checkout's CLI stands in (with --demo: no credentials here).
    const script = pipeline.readiness.script
      .filter((line) => !line.startsWith('echo "$AWS_TOKEN"') && !line.startsWith('npm install'))
      .map((line) => line.replace('readiness check --ci', 'readiness check --demo --ci'))
      .join('\n');
    const run = spawnSync('bash', ['-c', script], { cwd: gitlab, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, NO_COLOR: '1' } });
    expect(run.status, run.stderr).toBe(1);
    for (const file of Object.values(pipeline.readiness.artifacts.reports)) await expect(readFile(join(gitlab, file), 'utf8')).resolves.toBeTruthy();
    const quality = JSON.parse(await readFile(join(gitlab, 'gl-code-quality.json'), 'utf8')) as { check_name: string; severity: string; location: { path: string; lines: { begin: number } } }[];
    expect(quality.length).toBeGreaterThan(0);
    for (const q of quality) expect(q.location.path).toBe('ops/readiness.config.yaml');
    expect(quality.find((q) => q.check_name === 'aws.rds.deletion-protection')).toMatchObject({ severity: 'critical', location: { lines: { begin: 7 } } });
  });
});
