import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { isOneLineError, runCli, spawnCli } from '../support/cli.js';

// Real processes: exit codes, what reaches stderr, and what gets loaded.
const RECORDER = join(import.meta.dirname, '..', 'support', 'record-aws-imports.mjs');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-process-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad usage: exit 2, one line on stderr, no stack trace', () => {
  it.each([
    [['check', '--demo', '--fail-under', 'abc'], /--fail-under <score>.*'abc' is invalid/],
    [['check', '--demo', '--no-such-option'], /unknown option '--no-such-option'/],
    [['check', '--demo', '--format', 'xml'], /unknown format "xml"/],
    [['check', '--demo', '--section', 'storage'], /unknown section "storage"/],
    [['explain', 'aws.no-such-check'], /unknown check "aws\.no-such-check"/],
  ])('%j', async (argv, says) => {
    const { code, stdout, stderr } = await spawnCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(isOneLineError(stderr), stderr).toBe(true);
    expect(stderr).toMatch(says);
  });

  // The same contract in-process, for the cheaper cases.
  it.each([
    [['check', '--demo', '--fail-on', 'urgent'], /expected one of critical, high, medium, low/],
    [['check', '--demo', '--now', 'yesterday'], /expected an ISO time/],
    [['check', '--demo', '--timeout', '-1'], /expected a positive number/],
    [['check', '--demo', '--only', 'aws.nope'], /no check matches "aws\.nope"/],
    [['check', '--demo', '--format', ''], /no format/],
    [['check', '--demo', '--snapshot', 'x.json'], /--demo and --snapshot cannot be used together/],
    [['collect', '--demo', '--out', 'x.json'], /unknown option '--demo'/],
    [['no-such-command'], /unknown command 'no-such-command'/],
  ])('%j', async (argv, says) => {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(isOneLineError(stderr), stderr).toBe(true);
    expect(stderr).toMatch(says);
  });
});

describe('an --out that cannot be written', () => {
  it('is a usage error (exit 2, one line), and leaves no temporary file', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, '');
    const { code, stderr } = await runCli(['check', '--demo', '--out', file]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr), stderr).toBe(true);
    expect(stderr).toMatch(/cannot write .*not-a-folder/);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('names the first report that cannot be renamed into place, once every other has settled, and leaves no temporary', async () => {
    const out = join(dir, 'two-unwritable');
    // Folders where the JSON and SARIF reports would go: renaming a file over them fails.
    await mkdir(join(out, 'readiness-report.json'), { recursive: true });
    await mkdir(join(out, 'readiness-report.sarif'), { recursive: true });
    const { code, stderr } = await spawnCli(['check', '--demo', '--format', 'md,json,sarif,junit', '--out', out]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr), stderr).toBe(true);
    expect(stderr).toMatch(/cannot write .*readiness-report\.json \(/);
    expect((await readdir(out)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a promise rejected in the background', () => {
  it('is one line on stderr and exit 2, never a stack trace', async () => {
    const { code, stderr } = await spawnCli(['list'], { nodeArgs: ['--import', join(import.meta.dirname, '..', 'support', 'reject-on-first-write.mjs')] });
    expect(code).toBe(2);
    expect(isOneLineError(stderr), stderr).toBe(true);
    expect(stderr).toMatch(/internal error: late background failure/);
  });
});

describe('--help and --version', () => {
  it.each([['--help'], ['--version'], ['check', '--help']])('%s exits 0 and loads no AWS SDK code', async (...argv) => {
    const log = join(dir, `imports-${argv.join('')}.log`);
    const { code, stdout } = await spawnCli(argv, { nodeArgs: ['--import', RECORDER], env: { READINESS_IMPORT_LOG: log } });
    expect(code).toBe(0);
    if (argv[0] === '--version') expect(stdout.trim()).toBe(VERSION);
    else expect(stdout).toMatch(/Usage: readiness/);
    expect(await readFile(log, 'utf8')).toBe('');
  });
});

describe('check --demo', () => {
  it('exits 1, NOT READY, with the seed blockers named', async () => {
    const { code, stdout, stderr } = await spawnCli(['check', '--demo']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain('NOT READY');
    const blockers = stdout.slice(stdout.indexOf('Blockers'), stdout.indexOf('\n\n', stdout.indexOf('Blockers')));
    for (const id of ['aws.rds.deletion-protection', 'aws.baa', 'supabase.secrets.required']) expect(blockers).toContain(`[${id}]`);
  });
});

describe('list and explain', () => {
  it('list shows every check id with its severity', async () => {
    const { code, stdout } = await runCli(['list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^aws\.rds\.deletion-protection\s+critical\s+/m);
    const json = JSON.parse((await runCli(['list', '--json', '--section', 'monitoring'])).stdout) as { id: string; section: string }[];
    expect(json.map((m) => m.section)).toEqual(json.map(() => 'monitoring'));
    expect(json.map((m) => m.id)).toContain('monitoring.alarms.required');
  });

  it('explain gives the facts, the IAM permissions and the fix', async () => {
    const { code, stdout } = await runCli(['explain', 'aws.rds.deletion-protection']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^aws\.rds\.deletion-protection — /);
    expect(stdout).toMatch(/Permissions: .*rds:DescribeDBClusters/);
    expect(stdout).toContain('$ aws rds modify-');
  });
});
