import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, Result } from '../../src/model.js';
import { renderFixPlan } from '../../src/reporters/fix-plan.js';
import { runCli } from '../support/cli.js';
import { demoReport } from '../support/demo.js';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-plan-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readiness plan', () => {
  it('writes the demo fixes as one executable bash script, valid syntax, in critical-path order', async () => {
    const file = join(dir, 'fix-plan.sh');
    const { code, stdout } = await runCli(['plan', '--demo', '--out', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Wrote .*fix-plan\.sh \(\d+ commands to run, \d+ to edit first, \d+ manual steps\)/);
    expect((await stat(file)).mode & 0o111).toBeTruthy();
    const script = await readFile(file, 'utf8');
    expect(script.split('\n').slice(0, 1)).toEqual(['#!/usr/bin/env bash']);
    expect(script).toContain('\nset -euo pipefail\n');
    await run('bash', ['-n', file]);
    const phases = [...script.matchAll(/^# ━━ Phase (\d)/gm)].map((m) => Number(m[1]));
    expect(phases).toEqual([...phases].sort());
    // Blockers come first: the first step is a critical blocker, each with its finding above its command.
    expect(script).toMatch(/# ── aws\.rds\.deletion-protection \[critical, blocker\].*\n#   mentalspaceehrstack-databaseb269d8bb: .*\naws rds modify-db-cluster /);
    // A console page is a manual step, never a command that fails on Linux.
    expect(script).not.toMatch(/^open /m);
    expect(script).toMatch(/^# MANUAL: https:\/\/console\.aws\.amazon\.com\//m);
  });

  it('comments out a command that needs a choice, naming the placeholders', async () => {
    const script = renderFixPlan(await demoReport());
    const flagged = [...script.matchAll(/^# EDIT FIRST: replace (.+), then uncomment:\n# (.+)$/gm)];
    expect(flagged.length).toBeGreaterThan(0);
    for (const [, names, command] of flagged) for (const name of names!.split(', ')) expect(command).toContain(name);
    // No live line of the script holds a placeholder.
    expect(script.split('\n').filter((line) => !line.startsWith('#') && /<[a-z][\w-]*>/i.test(line))).toEqual([]);
  });

  it('a line break in a resource name or message stays inside its comment', async () => {
    const report = await demoReport();
    const forged: Result = { ...report.results.find((r) => r.status === 'fail' && r.remediation.command?.startsWith('aws '))! };
    forged.resource = 'evil\ntouch pwned-by-resource';
    forged.message = 'looks fine\r\ntouch pwned-by-message';
    forged.remediation = { ...forged.remediation, command: 'true' };
    const unsafe: Result = { ...forged, checkId: 'aws.s3.encryption', remediation: { ...forged.remediation, command: 'echo ok\ntouch pwned-by-command' } };
    const script = renderFixPlan({ ...report, results: [forged, unsafe], blockers: [] } as Report);
    const file = join(dir, 'forged.sh');
    await writeFile(file, script);
    const cwd = await mkdtemp(join(dir, 'run-'));
    await run('bash', [file], { cwd });
    expect(await readdir(cwd)).toEqual([]);
    expect(script).toContain('# EDIT FIRST: the command holds a control character');
  });
});
