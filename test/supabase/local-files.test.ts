import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import functionsDeployed from '../../checks/supabase/supabase.functions.deployed.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { deployedFunction, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { collectForChecks, failureOf } from '../support/supabase-collect.js';

let api: ManagementApiServer;
let project: string;

async function writeFunction(name: string, changedAt: string) {
  const dir = join(project, 'supabase/functions', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.ts'), 'Deno.serve(() => new Response("ok"));\n');
  const time = new Date(changedAt);
  await utimes(join(dir, 'index.ts'), time, time);
  await utimes(dir, time, time);
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'readiness-functions-'));
  // Deployed 2025-10-10: api is older (current), billing changed after (stale), reports never deployed.
  await writeFunction('api', '2025-10-09T00:00:00Z');
  await writeFunction('billing', '2025-10-11T12:00:00Z');
  await writeFunction('reports', '2025-10-01T00:00:00Z');
  await writeFunction('_shared', '2025-10-11T12:00:00Z');
  await mkdir(join(project, 'supabase/migrations'), { recursive: true });
  await writeFile(join(project, 'supabase/migrations/20250801000000_init.sql'), 'select 1;\n');
  await writeFile(join(project, 'supabase/migrations/notes.sql'), '-- not a migration\n');
  api = await startManagementApi(projectRoutes({ functions: [deployedFunction('api'), deployedFunction('billing')] }));
});
afterAll(async () => {
  await api.stop();
  await rm(project, { recursive: true, force: true });
});

// The test repositories have no remote: the CI names the production branch, as GitLab does.
const CI_ON_MAIN = { CI_DEFAULT_BRANCH: 'main' };

const config = (over: Partial<NonNullable<ConfigInput['supabase']>> = {}): Partial<ConfigInput> => ({
  supabase: { projectRef: PROJECT_REF, accessToken: 't', apiUrl: api.url, functionsDir: 'supabase/functions', ...over },
});

describe('supabase.functions.deployed from the function folders on disk', () => {
  it('current, stale and undeployed functions; _shared is not a function', async () => {
    const run = await collectForChecks([functionsDeployed], config(), { baseDir: project });
    expect(run.results(functionsDeployed)).toEqual([
      ['api', 'pass', 'deployed'],
      ['billing', 'fail', 'stale'],
      ['reports', 'fail', 'not-deployed'],
    ]);
  });

  it('a functionsDir that does not exist is unverified (NotFound), not a pass', async () => {
    const run = await collectForChecks([functionsDeployed], config({ functionsDir: 'nowhere' }), { baseDir: project });
    expect(failureOf(run, 'supabase.functions.local').kind).toBe('NotFound');
    expect(run.results(functionsDeployed).map(([, status]) => status)).toEqual(['unverified']);
  });

  it('no functionsDir in the config: not assessed', async () => {
    const run = await collectForChecks([functionsDeployed], config({ functionsDir: undefined }), { baseDir: project });
    expect(run.results(functionsDeployed).map(([, status]) => status)).toEqual(['not_applicable']);
  });
});

describe('in a git work tree, a function\'s last change is its last commit', () => {
  it('a fresh checkout (new file times) is current; an uncommitted edit is stale', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'readiness-functions-git-'));
    const run = promisify(execFile);
    try {
      await mkdir(join(repo, 'supabase/functions/api'), { recursive: true });
      await writeFile(join(repo, 'supabase/functions/api/index.ts'), 'Deno.serve(() => new Response("v1"));\n');
      const committed = { GIT_AUTHOR_DATE: '2025-10-09T00:00:00Z', GIT_COMMITTER_DATE: '2025-10-09T00:00:00Z' };
      const gitEnv = { ...process.env, ...committed, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
      await run('git', ['init', '-q', '-b', 'main'], { cwd: repo });
      await run('git', ['add', '.'], { cwd: repo });
      await run('git', ['commit', '-q', '-m', 'api'], { cwd: repo, env: gitEnv });
      // The file times are "now" (like a clone made today), after the 2025-10-10 deployment.
      const current = await collectForChecks([functionsDeployed], config(), { baseDir: repo, now: new Date(), env: CI_ON_MAIN });
      expect(current.results(functionsDeployed)).toEqual([['api', 'pass', 'deployed']]);

      await writeFile(join(repo, 'supabase/functions/api/index.ts'), 'Deno.serve(() => new Response("v2"));\n');
      const edited = await collectForChecks([functionsDeployed], config(), { baseDir: repo, now: new Date(), env: CI_ON_MAIN });
      expect(edited.results(functionsDeployed)).toEqual([['api', 'fail', 'stale']]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe('shallow clones and shared code', () => {
  const run = promisify(execFile);
  const gitEnv = (date: string) => ({ ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' });
  const commit = async (repo: string, date: string, files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(repo, file, '..'), { recursive: true });
      await writeFile(join(repo, file), text);
    }
    await run('git', ['add', '.'], { cwd: repo });
    await run('git', ['commit', '-q', '-m', date], { cwd: repo, env: gitEnv(date) });
  };

  it('a shallow clone does not date every function by HEAD: unverified with the fix, not stale', async () => {
    const origin = await mkdtemp(join(tmpdir(), 'readiness-origin-'));
    const clone = await mkdtemp(join(tmpdir(), 'readiness-shallow-'));
    try {
      await run('git', ['init', '-q', '-b', 'main'], { cwd: origin });
      // Deployed 2025-10-10; api last changed 2025-10-09; a README edit after the deployment is HEAD.
      await commit(origin, '2025-10-09T00:00:00Z', { 'supabase/functions/api/index.ts': 'Deno.serve(() => new Response("v1"));\n' });
      await commit(origin, '2025-10-11T00:00:00Z', { 'README.md': '# app\n' });
      const full = await collectForChecks([functionsDeployed], config(), { baseDir: origin, now: new Date(), env: CI_ON_MAIN });
      expect(full.results(functionsDeployed)).toEqual([['api', 'pass', 'deployed']]);

      await run('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
      const shallow = await collectForChecks([functionsDeployed], config(), { baseDir: clone, now: new Date() });
      expect(shallow.results(functionsDeployed)).toEqual([['api', 'unverified', 'shallow-history']]);
      const fact = shallow.outcomes.get('supabase.functions.local');
      expect(fact?.ok && fact.value).toMatchObject({ shallow: true });
    } finally {
      await rm(origin, { recursive: true, force: true });
      await rm(clone, { recursive: true, force: true });
    }
  });

  it('a change under _shared makes every function that imports it stale, and only those', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'readiness-shared-'));
    try {
      await run('git', ['init', '-q', '-b', 'main'], { cwd: repo });
      await commit(repo, '2025-10-09T00:00:00Z', {
        'supabase/functions/_shared/cors.ts': 'export const cors = {};\n',
        'supabase/functions/api/index.ts': 'import { cors } from "../_shared/cors.ts";\nDeno.serve(() => new Response("ok", { headers: cors }));\n',
        'supabase/functions/billing/index.ts': 'Deno.serve(() => new Response("ok"));\n',
      });
      await commit(repo, '2025-10-11T00:00:00Z', { 'supabase/functions/_shared/cors.ts': 'export const cors = { "Access-Control-Allow-Origin": "*" };\n' });
      const result = await collectForChecks([functionsDeployed], config(), { baseDir: repo, now: new Date(), env: CI_ON_MAIN });
      expect(result.results(functionsDeployed)).toEqual([
        ['api', 'fail', 'stale'],
        ['billing', 'pass', 'deployed'],
      ]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe('supabase.migrations.local', () => {
  it('reads <version>_<name>.sql and lists what the CLI would skip', async () => {
    const { localMigrations } = await import('../../src/facts/supabase-local.js');
    const { collectFacts } = await import('../../src/engine/collect.js');
    const { collectors } = await import('../../src/collectors/index.js');
    const { AwsSession } = await import('../../src/collectors/aws/session.js');
    const { makeConfig } = await import('../support/check-tester.js');
    const outcomes = await collectFacts([localMigrations], {
      collectors,
      context: { config: makeConfig(config({ migrationsDir: 'supabase/migrations' })), now: new Date(), env: {}, baseDir: project, aws: new AwsSession({ config: undefined, env: {} }) },
    });
    expect(outcomes.get('supabase.migrations.local')).toEqual({
      ok: true,
      value: {
        dir: 'supabase/migrations',
        versions: ['20250801000000'],
        ignored: ['notes.sql'],
        // sha256 of `select 1`: the file's SQL without the semicolon and line break around its statement.
        files: [{ name: '20250801000000_init.sql', version: '20250801000000', hash: '822ae07d4783158bc1912bb623e5107cc9002d519e1143a9c200ed6ee18b6d0f' }],
      },
    });
  });
});
