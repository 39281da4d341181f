import { rm, mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import serviceKeyExposure from '../../checks/application/app.secrets.service-key-exposure.js';
import { scanText } from '../../src/collectors/repository/secret-scan.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { makeConfig } from '../support/check-tester.js';
import { collectForChecks } from '../support/supabase-collect.js';
import { databaseUrl } from '../support/supabase-postgres.js';
import { ANON_KEY, PLANTED_DB_PASSWORD, plantedRepository, SERVICE_ROLE_KEY } from '../support/planted-repository.js';

let repo: string;
beforeAll(async () => {
  repo = await plantedRepository();
});
afterAll(() => rm(repo, { recursive: true, force: true }));

describe('app.secrets.service-key-exposure on a real git work tree', () => {
  it('finds the tracked service-role key and database password, not the look-alikes or untracked files', async () => {
    const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: repo });
    expect(run.results(serviceKeyExposure)).toEqual([
      ['scripts/backup.sh:2', 'fail', 'exposed'],
      ['src/supabase.ts:3', 'fail', 'exposed'],
    ]);
    const fact = run.outcomes.get('repository.exposed-secrets');
    expect(fact?.ok && fact.value).toMatchObject({ source: 'git', buildDir: null });
    expect(JSON.stringify(run.outcomes.get('repository.exposed-secrets'))).not.toContain(PLANTED_DB_PASSWORD);
    expect(JSON.stringify(run.outcomes.get('repository.exposed-secrets'))).not.toContain(SERVICE_ROLE_KEY);
  });

  it('scans the built frontend folder (gitignored) when domain.frontendBuildDir is set', async () => {
    const run = await collectForChecks([serviceKeyExposure], { domain: { name: 'example.com', frontendBuildDir: 'dist' } }, { baseDir: repo });
    expect(run.results(serviceKeyExposure)).toEqual([
      ['dist/assets/index-3f2a.js:1', 'fail', 'exposed'],
      ['scripts/backup.sh:2', 'fail', 'exposed'],
      ['src/supabase.ts:3', 'fail', 'exposed'],
    ]);
  });

  it('walks the folder when it is not a git repository', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'readiness-plain-'));
    try {
      await mkdir(join(plain, 'node_modules/pkg'), { recursive: true });
      await writeFile(join(plain, 'node_modules/pkg/index.js'), `"${SERVICE_ROLE_KEY}"\n`);
      await writeFile(join(plain, '.env'), `SUPABASE_URL=https://x.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=${SERVICE_ROLE_KEY}\n`);
      const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: plain });
      expect(run.results(serviceKeyExposure)).toEqual([['.env:2', 'fail', 'exposed']]);
      const fact = run.outcomes.get('repository.exposed-secrets');
      expect(fact?.ok && fact.value).toMatchObject({ source: 'walk' });
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });

  it('a config in a subfolder scans the whole work tree, not its own 3 files; the evidence states scope and counts', async () => {
    const ops = join(repo, 'ops');
    await mkdir(ops, { recursive: true });
    for (const file of ['readiness.config.yaml', 'README.md', 'waivers.md']) await writeFile(join(ops, file), 'project: test\n');
    const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: ops });
    expect(run.results(serviceKeyExposure)).toEqual([
      ['scripts/backup.sh:2', 'fail', 'exposed'],
      ['src/supabase.ts:3', 'fail', 'exposed'],
    ]);
    const fact = run.outcomes.get('repository.exposed-secrets');
    expect(fact?.ok && fact.value).toMatchObject({ source: 'git', scope: '..', filesScanned: 7, sourceFiles: 3 });
    await rm(ops, { recursive: true, force: true });
  });

  it('a clean tree passes, naming its scope and file counts', async () => {
    const clean = await mkdtemp(join(tmpdir(), 'readiness-clean-'));
    try {
      await writeFile(join(clean, 'app.ts'), `export const key = '${ANON_KEY}';\n`);
      const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: clean });
      expect(run.results(serviceKeyExposure)).toEqual([['repository', 'pass', 'clean']]);
      const [result] = evaluateCheck(serviceKeyExposure, run.outcomes, { config: makeConfig(), now: new Date() });
      expect(result?.evidence).toMatchObject({ scope: '.', filesScanned: 1, sourceFiles: 1, source: 'walk' });
      expect(result?.message).toContain('1 files (1 of code or configuration) of .');
    } finally {
      await rm(clean, { recursive: true, force: true });
    }
  });
});

describe('app.secrets.service-key-exposure fails closed on what it could not read', () => {
  it('a scope with no code or configuration is unverified, not clean', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'readiness-nosource-'));
    try {
      await writeFile(join(empty, 'NOTES.md'), '# Notes\n');
      await writeFile(join(empty, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: empty });
      expect(run.results(serviceKeyExposure)).toEqual([['repository', 'unverified', 'no-source-files']]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });


  let clean: string;
  beforeAll(async () => {
    clean = await mkdtemp(join(tmpdir(), 'readiness-unseen-'));
    await writeFile(join(clean, 'app.ts'), `export const key = '${ANON_KEY}';\n`);
  });
  afterAll(() => rm(clean, { recursive: true, force: true }));

  it('a configured frontend build folder that does not exist is unverified, not clean', async () => {
    const run = await collectForChecks([serviceKeyExposure], { domain: { name: 'example.com', frontendBuildDir: 'dist' } }, { baseDir: clean });
    expect(run.results(serviceKeyExposure)).toEqual([['dist', 'unverified', 'build-dir-missing']]);
  });

  it('a file above the scan limit is unverified, not clean', async () => {
    const bundle = join(clean, 'vendor.js');
    await writeFile(bundle, `var pad="${'x'.repeat(6 * 1024 * 1024)}";\nvar s="${SERVICE_ROLE_KEY}";\n`);
    try {
      const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: clean });
      expect(run.results(serviceKeyExposure)).toEqual([['repository', 'unverified', 'files-unscanned']]);
      const fact = run.outcomes.get('repository.exposed-secrets');
      expect(fact?.ok && fact.value).toMatchObject({ unscanned: [{ file: 'vendor.js', reason: 'too-large' }] });
    } finally {
      await rm(bundle);
    }
  });
});

describe('scanText', () => {
  it.each([
    ['service-role JWT', `key=${SERVICE_ROLE_KEY}`, ['service-role-jwt']],
    ['anon JWT', `key=${ANON_KEY}`, []],
    ['new-style secret key', `SUPABASE_SECRET=${['sb', 'secret', 'Qm9vLzZ3dGhpc2lzcmFuZG9tbm90'].join('_')}`, ['supabase-secret-key']],
    ['documented example key', `"client_secret": "${['sb', 'secret', 'live', 'example', '9f4d3a206b2e4a7e8c91'].join('_')}"`, []],
    ['publishable key', 'sb_publishable_abcdefghijklmnopqrstuvwx12', []],
    ['URL with password', databaseUrl('app', 's3cr3t-value', 'host:5432/db'), ['database-url-password']],
    ['URL-encoded password', databaseUrl('app', 'p%40ss%3Aword', 'host/db', 'postgresql'), ['database-url-password']],
    ['placeholder password', 'postgres://postgres:<password>@host/db', []],
    ['env reference', 'postgres://postgres:$PGPASSWORD@host/db', []],
    ['no password', 'postgres://postgres@host/db', []],
  ])('%s', (_name, text, kinds) => {
    expect(scanText(text).map((hit) => hit.kind)).toEqual(kinds);
  });
});
