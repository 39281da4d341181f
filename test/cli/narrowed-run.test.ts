import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG } from '../../src/commands/setup.js';
import { isOneLineError, runCli } from '../support/cli.js';

const ENV = { SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_DB_URL: undefined, GITHUB_ACTIONS: undefined, GITHUB_OUTPUT: undefined, GITHUB_STEP_SUMMARY: undefined };
const ALL_FORMATS = 'terminal,md,html,json,sarif,junit,github';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-narrowed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function reports(out: string): Promise<Map<string, string>> {
  const names = (await readdir(out)).filter((name) => !name.endsWith('.sha256'));
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(out, name), 'utf8')] as const)));
}

interface JsonReport { project: string; scope: { partial: boolean; selection?: { only: string[]; leftOut: string[] } }; results: { checkId: string }[] }

describe('a narrowed run says so in every format', () => {
  it('--only: the selection, the checks left out, and "partial assessment" beside the verdict', async () => {
    const out = join(dir, 'only');
    const run = await runCli(['check', '--demo', '--only', 'aws.rds', '--format', ALL_FORMATS, '--out', out], ENV);
    expect(run.code).toBe(1);
    const files = await reports(out);
    expect(files.size).toBe(7);
    for (const [name, text] of files) {
      expect(text, name).toMatch(/NOT READY \(partial assessment\)|"partial": true/);
      // Every format names what was asked for and what was left out (aws.s3.encryption is no rds check).
      expect(text, name).toContain('aws.s3.encryption');
      expect(text, name).toContain('aws.rds');
    }
    const json = JSON.parse(files.get('readiness-report.json')!) as JsonReport;
    expect(json.scope.partial).toBe(true);
    expect(json.scope.selection!.only).toEqual(['aws.rds']);
    expect(json.scope.selection!.leftOut).toContain('aws.s3.encryption');
    expect(json.scope.selection!.leftOut.some((id) => id.startsWith('aws.rds.'))).toBe(false);
    const sarif = JSON.parse(files.get('readiness-report.sarif')!) as { runs: { properties: { verdictLabel: string } }[] };
    expect(sarif.runs[0]!.properties.verdictLabel).toBe('NOT READY (partial assessment)');
    // The terminal's own closing lines say it too.
    expect(run.stdout).toContain('NOT READY (partial assessment)');
  });

  it('a full run is not partial', async () => {
    const run = await runCli(['check', '--demo', '--format', 'json'], ENV);
    const json = JSON.parse(run.stdout) as JsonReport;
    expect(json.scope.partial).toBe(false);
    expect(json.scope.selection).toBeUndefined();
    expect(run.stdout).not.toContain('partial assessment');
  });

  it('services declared unused and checks turned off make the assessment partial', async () => {
    const config = join(dir, 'unused.yaml');
    const yaml = await readFile(DEMO_CONFIG, 'utf8');
    await writeFile(config, `${yaml}unused:\n  - { service: cognito, reason: Supabase Auth }\nchecks:\n  aws.rds.multi-az: { off: single-AZ until launch }\n`);
    for (const format of ['json', 'md', 'junit', 'github']) {
      const run = await runCli(['check', '--demo', '-c', config, '--format', format], ENV);
      expect(run.stdout, format).toContain(format === 'json' ? '"partial": true' : 'NOT READY (partial assessment)');
    }
  });
});

describe('diff and --baseline compare only what both runs assessed', () => {
  let full: string;
  let narrowed: string;
  beforeAll(async () => {
    full = join(dir, 'full.json');
    narrowed = join(dir, 'narrowed.json');
    await writeFile(full, (await runCli(['check', '--demo', '--format', 'json'], ENV)).stdout);
    await writeFile(narrowed, (await runCli(['check', '--demo', '--only', 'aws.rds', '--format', 'json'], ENV)).stdout);
  });

  it('a check absent from one run is "not compared", never "fixed"', async () => {
    const run = await runCli(['diff', full, narrowed, '--json'], ENV);
    const diff = JSON.parse(run.stdout) as { fixed: unknown[]; regressions: unknown[]; notCompared: { checkId: string; assessedIn: string }[] };
    expect(diff.fixed).toEqual([]);
    expect(diff.regressions).toEqual([]);
    expect(diff.notCompared).toContainEqual({ checkId: 'aws.s3.encryption', assessedIn: 'before' });
    expect(diff.notCompared.some((c) => c.checkId.startsWith('aws.rds.'))).toBe(false);
    const text = await runCli(['diff', full, narrowed], ENV);
    expect(text.stdout).toContain('Fixed (0)');
    expect(text.stdout).toMatch(/Not compared \(\d+, assessed by one run only/);
    // The other way round, nothing regressed either.
    expect(JSON.parse((await runCli(['diff', narrowed, full, '--json'], ENV)).stdout)).toMatchObject({ regressions: [], fixed: [] });
  });

  it('refuses two different projects: exit 2, one line, before anything is written', async () => {
    const other = join(dir, 'other.json');
    await writeFile(other, (await readFile(full, 'utf8')).replace('"project": "mentalspace-ehr"', '"project": "another-app"'));
    const diff = await runCli(['diff', full, other], ENV);
    expect(diff.code).toBe(2);
    expect(isOneLineError(diff.stderr)).toBe(true);
    expect(diff.stderr).toContain('two projects');
    const out = join(dir, 'baseline-refused');
    await mkdir(out);
    const check = await runCli(['check', '--demo', '--baseline', other, '--format', 'json', '--out', out], ENV);
    expect(check.code).toBe(2);
    expect(isOneLineError(check.stderr)).toBe(true);
    expect(await readdir(out)).toEqual([]);
  });
});
