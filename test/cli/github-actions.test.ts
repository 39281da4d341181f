import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubOutput } from '../../src/commands/check.js';
import { runCli } from '../support/cli.js';

const NO_TOKEN = { SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_DB_URL: undefined };
const annotations = (stdout: string) => stdout.split('\n').filter((l) => /^::(error|warning) /.test(l));

let dir: string;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-github-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh simulated Actions step: its own output and summary files. */
function actions(name: string): Record<string, string | undefined> {
  env = { ...NO_TOKEN, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(dir, `${name}.output`), GITHUB_STEP_SUMMARY: join(dir, `${name}.summary.md`) };
  return env;
}

describe('check --ci under GitHub Actions', () => {
  it('prints the annotations whatever the formats, github among them included', async () => {
    const out = join(dir, 'with-github');
    const run = await runCli(['check', '--demo', '--ci', '--format', 'md,github', '--out', out], actions('with-github'));
    expect(run.code).toBe(1);
    expect(annotations(run.stdout).length).toBeGreaterThan(0);
    expect(run.stdout).toContain(`::notice title=readiness::NOT READY`);
    expect(run.stdout).toContain(`Full report: ${join(out, 'readiness-report.md')}, ${join(out, 'readiness-report.github.txt')} and the step summary`);
    expect(await readFile(env.GITHUB_STEP_SUMMARY!, 'utf8')).toMatch(/^# Production Readiness Assessment/);
    // The github file written is what stdout shows: it too says where the full report is.
    expect(await readFile(join(out, 'readiness-report.github.txt'), 'utf8')).toBe(run.stdout.slice(run.stdout.indexOf('::')));
  });

  it('prints them once when github is the format printed', async () => {
    const run = await runCli(['check', '--demo', '--ci', '--format', 'github'], actions('github-only'));
    expect(run.stdout.match(/^::notice title=readiness::/gm)).toHaveLength(1);
    expect(run.stdout).toContain('Full report: the step summary');
  });

  it('prints none outside GitHub Actions', async () => {
    const run = await runCli(['check', '--demo', '--ci', '--format', 'md'], { ...NO_TOKEN, GITHUB_ACTIONS: undefined, GITHUB_OUTPUT: undefined, GITHUB_STEP_SUMMARY: undefined });
    expect(annotations(run.stdout)).toEqual([]);
  });

  it('writes verdict, score, exit-reason and the report paths to $GITHUB_OUTPUT', async () => {
    const out = join(dir, 'outputs');
    const run = await runCli(['check', '--demo', '--ci', '--format', 'json,sarif,junit', '--out', out], actions('outputs'));
    const report = JSON.parse(await readFile(join(out, 'readiness-report.json'), 'utf8')) as { score: number };
    expect(run.code).toBe(1);
    expect(await readFile(env.GITHUB_OUTPUT!, 'utf8')).toBe(
      [
        'verdict=NOT_READY',
        `score=${report.score}`,
        'exit-reason=not-ready',
        `report-dir=${out}`,
        `report-json=${join(out, 'readiness-report.json')}`,
        `report-sarif=${join(out, 'readiness-report.sarif')}`,
        `report-junit=${join(out, 'readiness-report.junit.xml')}`,
        '',
      ].join('\n'),
    );
  });

  it('a value with a line break uses the delimited form, so it cannot forge another output', () => {
    expect(githubOutput('report-dir', 'a\nverdict=READY')).toBe('report-dir<<READINESS_EOF\na\nverdict=READY\nREADINESS_EOF\n');
    const tricky = githubOutput('report-dir', 'x\nREADINESS_EOF\nverdict=READY');
    const delimiter = /^report-dir<<(.+)$/m.exec(tricky)![1]!;
    expect(delimiter).not.toBe('READINESS_EOF');
    expect(tricky.split('\n').filter((l) => l === delimiter)).toHaveLength(1);
  });

  it.each(['GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT'])('an unwritable %s is a one-line warning: the verdict and exit code stay the gate\'s', async (variable) => {
    const folder = join(dir, `unwritable-${variable}`);
    await mkdir(folder);
    const run = await runCli(['check', '--demo', '--ci', '--format', 'md'], { ...actions(variable), [variable]: folder });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NOT READY');
    expect(run.stderr).not.toMatch(/internal error/i);
    const warnings = run.stderr.split('\n').filter((l) => l.includes(variable));
    expect(warnings).toEqual([`readiness: warning: cannot write ${variable} (${folder}): EISDIR`]);
  });
});
