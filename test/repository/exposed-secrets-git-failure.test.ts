import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import serviceKeyExposure from '../../checks/application/app.secrets.service-key-exposure.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { makeConfig } from '../support/check-tester.js';
import { collectForChecks, TEST_NOW } from '../support/supabase-collect.js';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) => exec('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd });
const PASSWORD = 'Hist0ry-Only-Pw-7719';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A repository whose history holds a database password its work tree no longer has. */
async function leakedThenDeleted(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'readiness-git-failure-'));
  dirs.push(dir);
  await git(dir, 'init', '-q', '-b', 'main');
  await writeFile(join(dir, '.env'), `DATABASE_URL=postgresql://postgres:${PASSWORD}@db.abcdefghijklmnopqrst.supabase.co:5432/postgres\n`);
  await git(dir, 'add', '.env');
  await git(dir, 'commit', '-q', '-m', 'config');
  await git(dir, 'rm', '-q', '.env');
  await writeFile(join(dir, 'app.ts'), 'export const url = process.env.DATABASE_URL;\n');
  await git(dir, 'add', 'app.ts');
  await git(dir, 'commit', '-q', '-m', 'read it from the environment');
  return dir;
}

async function verdict(dir: string) {
  const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: dir });
  const [result] = evaluateCheck(serviceKeyExposure, run.outcomes, { config: makeConfig({ project: 'test' }), now: TEST_NOW });
  return result!;
}

// A CI container checks the repository out as another user: git then refuses it ("dubious ownership"), and the scan
// fell back to the folder as if it were no repository, passing with the history never read.
describe('app.secrets.service-key-exposure when git cannot read the repository', () => {
  it.runIf(process.getuid?.() === 0)('a repository git refuses (dubious ownership) is unverified, naming the error, not clean', async () => {
    const dir = await leakedThenDeleted();
    const owned = await verdict(dir);
    expect([owned.status, owned.code]).toEqual(['fail', 'exposed-in-history']);

    await exec('chown', ['-R', 'nobody', dir]);
    const refused = await verdict(dir);
    expect([refused.status, refused.code]).toEqual(['unverified', 'git-unreadable']);
    expect(refused.message).toContain('dubious ownership');
    expect(refused.remediation.command).toContain('safe.directory');
    expect(JSON.stringify(refused)).not.toContain(PASSWORD);
    await chown(dir, 0, 0);
  });

  it('a repository whose .git git cannot read is unverified; a folder with no repository is scanned as one', async () => {
    const dir = await leakedThenDeleted();
    await writeFile(join(dir, '.git', 'HEAD'), 'not a ref\n');
    const broken = await verdict(dir);
    expect([broken.status, broken.code]).toEqual(['unverified', 'git-unreadable']);

    const plain = await mkdtemp(join(tmpdir(), 'readiness-no-git-'));
    dirs.push(plain);
    await writeFile(join(plain, 'app.ts'), 'export const url = process.env.DATABASE_URL;\n');
    const folder = await verdict(plain);
    expect([folder.status, folder.code]).toEqual(['pass', 'clean']);
  });
});

// A file name is data from the repository: printed in the fix, it is one shell word whatever it holds.
describe('app.secrets.service-key-exposure fix commands', () => {
  it('quote the file name', async () => {
    const { renderedCommands } = await import('../support/check-tester.js');
    const scan = (findings: unknown[]) => ({ source: 'git', filesScanned: 3, buildDir: null, findings, unscanned: [], buildDirMissing: false, scope: '.', sourceFiles: 3, history: { commits: 2, shallow: false }, gitError: null });
    const hostile = 'config/$(touch pwned) `id`; rm -rf ~.env';
    expect(renderedCommands(serviceKeyExposure, { scan: scan([{ file: hostile, line: 1, kind: 'database-password' }, { file: hostile, line: 2, kind: 'database-password', commit: 'abc1234' }]) })).toEqual([
      `git log --oneline --all -- 'config/$(touch pwned) \`id\`; rm -rf ~.env'`,
      `git log --oneline --all -- 'config/$(touch pwned) \`id\`; rm -rf ~.env'`,
    ]);
  });
});
