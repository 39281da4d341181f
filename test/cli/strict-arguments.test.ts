import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idList, isoTime, percent, seconds } from '../../src/cli-parsers.js';
import { remainingMs, requestedTimeout } from '../../src/deadline.js';
import { isOneLineError, runCli } from '../support/cli.js';

// Values JavaScript would coerce (Number('') is 0, new Date('2025-02-30') is 2 March) are refused:
// an unset variable must not turn the gate off, a typo must not move the clock.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-strict-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const UNSET = process.env.READINESS_SURELY_UNSET_VARIABLE ?? '';

describe('a value on the command line is parsed strictly: exit 2, one line, nothing written', () => {
  it.each([
    [['--fail-under', UNSET], /--fail-under/],
    [['--fail-under', '   '], /--fail-under/],
    [['--fail-under', '0x0'], /--fail-under/],
    [['--fail-under', '1e2'], /--fail-under/],
    [['--fail-under', '-0'], /--fail-under/],
    [['--fail-under', 'Infinity'], /--fail-under/],
    [['--fail-under', '100.5'], /--fail-under/],
    [['--only', ''], /--only/],
    [['--only', 'aws.rds,,aws.s3'], /--only/],
    [['--skip', ' , '], /--skip/],
    [['--section', ''], /--section/],
    [['--section', '__proto__'], /--section/],
    [['--section', 'constructor'], /--section/],
    [['--only', 'toString'], /no check matches "toString"/],
    [['--out', ''], /--out/],
    [['--out', '  '], /--out/],
    [['--snapshot', ''], /--snapshot/],
    [['--baseline', ''], /--baseline/],
    [['--config', ''], /--config/],
    [['--timeout', '2147484'], /--timeout/],
    [['--timeout', '0'], /--timeout/],
    [['--timeout', '0x10'], /--timeout/],
    [['--timeout', ''], /--timeout/],
    [['--now', '2025-02-30'], /--now/],
    [['--now', '2025-13-01'], /--now/],
    [['--now', '2025-10-11T24:00:00Z'], /--now/],
    [['--now', '2025-10-11T22:30:00'], /--now/],
    [['--now', ''], /--now/],
    [['--fial-under', '3'], /unknown option '--fial-under'.*Did you mean --fail-under\?/],
  ])('check --demo %j', async (argv, says) => {
    const folder = await mkdtemp(join(dir, 'case-'));
    const run = await runCli(['check', '--demo', '--out', join(folder, 'reports'), ...argv]);
    expect(run.code, run.stderr).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stderr).toMatch(says);
    expect(await readdir(folder)).toEqual([]);
  });

  it.each([
    [['chek'], /unknown command 'chek'.*Did you mean check\?/],
    [[], /no command given/],
    [['--'], /no command given/],
    [['list', '--section', '__proto__'], /--section/],
    [['list', '--section', 'toString'], /unknown section "toString"/],
    [['collect', '--out', ''], /--out/],
    [['init', '--out', ''], /--out/],
    [['init', '--timeout', 'NaN'], /--timeout/],
  ])('%j', async (argv, says) => {
    const run = await runCli(argv);
    expect(run.code, run.stderr).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(says);
  });
});

describe('the parsers accept what they should', () => {
  it('scores, seconds, times and lists', () => {
    expect([percent('0'), percent('80'), percent(' 92.5 '), percent('100')]).toEqual([0, 80, 92.5, 100]);
    expect([seconds('0.5'), seconds('120'), seconds('86400')]).toEqual([0.5, 120, 86400]);
    expect(isoTime('2025-10-11').toISOString()).toBe('2025-10-11T00:00:00.000Z');
    expect(isoTime('2024-02-29T23:59:59Z').toISOString()).toBe('2024-02-29T23:59:59.000Z');
    expect(isoTime('2025-10-11T22:30:00.000+02:00').toISOString()).toBe('2025-10-11T20:30:00.000Z');
    expect(() => isoTime('2025-02-29')).toThrow(/ISO time/);
    expect(idList(' aws.rds , aws.s3 ')).toEqual(['aws.rds', 'aws.s3']);
  });

  it('--timeout counts from the process start, read before the CLI loads', () => {
    expect(requestedTimeout(['check', '--demo'])).toBe(120);
    expect(requestedTimeout(['init'])).toBe(60);
    expect(requestedTimeout(['check', '--timeout', '5'])).toBe(5);
    expect(requestedTimeout(['collect', '--timeout=7', '--out', 'x'])).toBe(7);
    expect(requestedTimeout(['check', '--timeout', ''])).toBeUndefined();
    expect(requestedTimeout(['list'])).toBeUndefined();
    const fiveSecondsAgo = Date.now() - 5000;
    expect(remainingMs(6, fiveSecondsAgo)).toBeLessThanOrEqual(1000);
    expect(remainingMs(2, fiveSecondsAgo)).toBe(1);
    expect(Number.isInteger(remainingMs(0.5, Date.now() - 0.25))).toBe(true);
  });
});
