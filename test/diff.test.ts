import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { diffReports } from '../src/diff.js';
import type { Report } from '../src/model.js';
import { readReport } from '../src/commands/diff.js';
import { jsonReporter } from '../src/reporters/json.js';
import { demoReport } from './support/demo.js';

describe('readiness diff', () => {
  let before: Report;
  let after: Report;
  let dir: string;

  beforeAll(async () => {
    before = await demoReport();
    after = structuredClone(before);
    const deletion = after.results.find((r) => r.checkId === 'aws.rds.deletion-protection')!;
    deletion.status = 'pass';
    const encryption = after.results.find((r) => r.checkId === 'aws.s3.encryption' && r.status === 'pass')!;
    encryption.status = 'fail';
    dir = await mkdtemp(join(tmpdir(), 'readiness-diff-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names the regression and the fix, matched on check and resource', () => {
    const diff = diffReports(before, after);
    expect(diff.fixed.map((c) => [c.checkId, c.before, c.after])).toEqual([['aws.rds.deletion-protection', 'fail', 'pass']]);
    expect(diff.regressions.map((c) => [c.checkId, c.resource, c.after])).toEqual([['aws.s3.encryption', 'mentalspace-ehr-files-706704660887', 'fail']]);
    expect(diff.stillOpen.length).toBe(before.results.filter((r) => r.status === 'fail' || r.status === 'unverified').length - 1);
  });

  it('a resource that disappears from an assessed check is not a regression; one that appears failing is', () => {
    const gone = structuredClone(before);
    gone.results = gone.results.filter((r) => !(r.checkId === 'aws.s3.access-logging' && r.resource === 'mentalspace-ehr-videos-706704660887'));
    expect(diffReports(before, gone).fixed.map((c) => [c.checkId, c.after])).toEqual([['aws.s3.access-logging', 'absent']]);
    expect(diffReports(gone, before).regressions.map((c) => [c.checkId, c.before])).toEqual([['aws.s3.access-logging', 'absent']]);
  });

  it('a check one run did not assess is not compared: neither fixed nor regressed', () => {
    const gone = structuredClone(before);
    gone.results = gone.results.filter((r) => r.checkId !== 'aws.baa');
    const diff = diffReports(before, gone);
    expect(diff.fixed).toEqual([]);
    expect(diff.notCompared).toEqual([{ checkId: 'aws.baa', assessedIn: 'before' }]);
    expect(diffReports(gone, before).regressions).toEqual([]);
  });

  it('check --baseline names what regressed and what was fixed since, on stderr', async () => {
    const baseline = join(dir, 'baseline.json');
    await writeFile(baseline, jsonReporter(after));
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['check', '--demo', '--baseline', baseline, '--format', 'json'])).toBe(1);
      const text = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain('Regressions (1)');
      expect(text).toMatch(/✗ critical +aws\.rds\.deletion-protection mentalspaceehrstack-databaseb269d8bb: pass → fail/);
      expect(text).toMatch(/✓ critical +aws\.s3\.encryption mentalspace-ehr-files-706704660887: fail → pass/);
      expect(() => JSON.parse(stdout.mock.calls.map((c) => String(c[0])).join(''))).not.toThrow();
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });

  it('reads the JSON of this version as the report it was written from, and a first-version (schemaVersion 1) report', async () => {
    const current = join(dir, 'current.json');
    await writeFile(current, jsonReporter(after));
    expect(JSON.parse(JSON.stringify(await readReport(current)))).toEqual(JSON.parse(JSON.stringify(after)));
    // Version 1 repeated the check's text in every result and copied the blockers whole.
    const { checks: _checks, ...rest } = before;
    const first = join(dir, 'first-version.json');
    await writeFile(first, JSON.stringify({ ...rest, schemaVersion: 1 }, null, 2));
    const read = await readReport(first);
    expect(read.results).toEqual(before.results);
    expect(diffReports(read, after).regressions.map((c) => [c.checkId, c.resource])).toEqual([['aws.s3.encryption', 'mentalspace-ehr-files-706704660887']]);
  });

  it('refuses a result whose check is not in the checks table, and a blocker index out of range', async () => {
    const json = JSON.parse(jsonReporter(before)) as { checks: { id: string }[]; blockers: number[] };
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify({ ...json, checks: json.checks.filter((c) => c.id !== 'aws.baa') }));
    await expect(readReport(file)).rejects.toThrow(/results\.\d+\.checkId: no check "aws\.baa" in checks/);
    await writeFile(file, JSON.stringify({ ...json, blockers: [999_999] }));
    await expect(readReport(file)).rejects.toThrow(/blockers\.0: no result 999999/);
  });

  it('exits 1 on a regression, 0 without, 2 on a file that is not a report', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const bad = join(dir, 'bad.json');
    await writeFile(a, jsonReporter(before));
    await writeFile(b, jsonReporter(after));
    await writeFile(bad, '{"schemaVersion":1}');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['diff', a, b])).toBe(1);
      expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toContain('Regressions (1)');
      expect(await main(['diff', a, a])).toBe(0);
      expect(await main(['diff', a, bad])).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/bad\.json: not a readiness JSON report/);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
