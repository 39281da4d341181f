import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import functionsDeployed from '../../checks/supabase/supabase.functions.deployed.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { deployedFunction, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';

// Every function is deployed 2025-10-10 (deployedFunction's updated_at), from main.
const run = promisify(execFile);
const gitEnv = (date: string) => ({ ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' });
const git = (cwd: string, args: string[], date = '2025-10-01T00:00:00Z') => run('git', args, { cwd, env: gitEnv(date) });
const API = 'supabase/functions/api/index.ts';

async function commit(repo: string, date: string, files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(repo, file, '..'), { recursive: true });
    await writeFile(join(repo, file), text);
  }
  await git(repo, ['add', '.']);
  await git(repo, ['commit', '-q', '-m', date], date);
}

let api: ManagementApiServer;
let origin: string;
let clone: string;

beforeAll(async () => {
  api = await startManagementApi(projectRoutes({ functions: [deployedFunction('api')] }));
});
afterAll(async () => {
  await api.stop();
});

// A repository on main with api at v1 (2025-10-01), and a clone of it: the clone knows origin's default branch (origin/HEAD), as any clone does.
beforeEach(async () => {
  origin = await mkdtemp(join(tmpdir(), 'readiness-fn-origin-'));
  clone = await mkdtemp(join(tmpdir(), 'readiness-fn-clone-'));
  await git(origin, ['init', '-q', '-b', 'main']);
  await commit(origin, '2025-10-01T00:00:00Z', { [API]: 'Deno.serve(() => new Response("v1"));\n' });
  await run('git', ['clone', '-q', `file://${origin}`, clone]);
});
afterEach(async () => {
  await rm(origin, { recursive: true, force: true });
  await rm(clone, { recursive: true, force: true });
});

const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, accessToken: 't', apiUrl: api.url, functionsDir: 'supabase/functions' } });
const check = async (env: NodeJS.ProcessEnv = {}) => (await collectForChecks([functionsDeployed], config(), { baseDir: clone, now: new Date(), env })).results(functionsDeployed);

describe('supabase.functions.deployed: when a change reached the branch, not when it was committed', () => {
  it('a branch commit older than the deployment, merged after it, is stale', async () => {
    // Monday: api changed on a branch. Tuesday (10-10): every function deployed from main, still v1. Wednesday: the branch merged.
    await git(clone, ['checkout', '-q', '-b', 'feature']);
    await commit(clone, '2025-10-09T00:00:00Z', { [API]: 'Deno.serve(() => new Response("v2"));\n' });
    await git(clone, ['checkout', '-q', 'main']);
    await git(clone, ['merge', '-q', '--no-ff', '-m', 'merge feature', 'feature'], '2025-10-11T00:00:00Z');
    expect(await check()).toEqual([['api', 'fail', 'stale']]);
  });

  it('unchanged since the deployment on the production branch passes', async () => {
    expect(await check()).toEqual([['api', 'pass', 'deployed']]);
  });

  it('an uncommitted edit whose file time is before the deployment is unverified, not deployed', async () => {
    await writeFile(join(clone, API), 'Deno.serve(() => new Response("v2"));\n');
    const before = new Date('2025-10-09T00:00:00Z');
    await utimes(join(clone, API), before, before);
    await utimes(join(clone, 'supabase/functions/api'), before, before);
    expect(await check()).toEqual([['api', 'unverified', 'uncommitted']]);
  });

  it('another branch than the remote\'s default one checked out is unverified', async () => {
    await git(clone, ['checkout', '-q', '-b', 'feature']);
    await commit(clone, '2025-10-09T00:00:00Z', { [API]: 'Deno.serve(() => new Response("v2"));\n' });
    expect(await check()).toEqual([['api', 'unverified', 'other-branch']]);
  });

  it('a detached HEAD is unverified, unless the CI names the branch it checked out (GitLab, GitHub)', async () => {
    await git(clone, ['checkout', '-q', '--detach']);
    expect(await check()).toEqual([['api', 'unverified', 'detached-head']]);
    expect(await check({ CI_COMMIT_BRANCH: 'main' })).toEqual([['api', 'pass', 'deployed']]);
    expect(await check({ CI_COMMIT_BRANCH: 'feature' })).toEqual([['api', 'unverified', 'other-branch']]);
    // GitHub Actions: the branch of a push; a pull request's merge ref is not production.
    expect(await check({ GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' })).toEqual([['api', 'pass', 'deployed']]);
    expect(await check({ GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: '42/merge' })).toEqual([['api', 'unverified', 'other-branch']]);
    expect(await check({ GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'main' })).toEqual([['api', 'unverified', 'detached-head']]);
  });

  it('without origin/HEAD the default branch comes from the CI (GitLab, GitHub\'s event), else it is unverified', async () => {
    await git(clone, ['remote', 'set-head', 'origin', '--delete']);
    expect(await check()).toEqual([['api', 'unverified', 'production-branch-unknown']]);
    expect(await check({ CI_DEFAULT_BRANCH: 'main' })).toEqual([['api', 'pass', 'deployed']]);
    const event = join(clone, '..', `${clone.split('/').pop()}-event.json`);
    await writeFile(event, JSON.stringify({ repository: { default_branch: 'release' } }));
    try {
      expect(await check({ GITHUB_EVENT_PATH: event })).toEqual([['api', 'unverified', 'other-branch']]);
    } finally {
      await rm(event, { force: true });
    }
  });
});
