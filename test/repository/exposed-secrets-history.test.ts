import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import serviceKeyExposure from '../../checks/application/app.secrets.service-key-exposure.js';
import { scanText } from '../../src/collectors/repository/secret-scan.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { makeConfig } from '../support/check-tester.js';
import { ANON_KEY, SERVICE_ROLE_KEY } from '../support/planted-repository.js';
import { collectForChecks, TEST_NOW } from '../support/supabase-collect.js';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) => exec('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd }).then((r) => r.stdout.trim());

const REAL_PASSWORDS = ['*Kq9vR2mX7pLw', '$Zt8Lm3Qw9xRv', '%7BvT3kL9mQ2pZ', '<Kq9vR2mX7pLw', '[Zt8Lm3Qw9', '{{vT3kL9', '${DB_PASSWORD:-Kq9vR2mX7pLw}'];
const HISTORY_PASSWORD = 'Hist0ry-Only-Pw-5531';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A git repository whose commits write (string) or delete (null) files, in order. */
async function repository(commits: Record<string, string | null>[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'readiness-history-'));
  dirs.push(dir);
  await git(dir, 'init', '-q', '-b', 'main');
  for (const [index, files] of commits.entries()) {
    for (const [file, content] of Object.entries(files)) {
      if (content === null) await git(dir, 'rm', '-q', file);
      else {
        await mkdir(dirname(join(dir, file)), { recursive: true });
        await writeFile(join(dir, file), content);
        await git(dir, 'add', file);
      }
    }
    await git(dir, 'commit', '-q', '-m', `change ${index}`);
  }
  return dir;
}

async function check(dir: string) {
  const run = await collectForChecks([serviceKeyExposure], { project: 'test' }, { baseDir: dir });
  const results = evaluateCheck(serviceKeyExposure, run.outcomes, { config: makeConfig({ project: 'test' }), now: TEST_NOW });
  return { run, results, statuses: run.results(serviceKeyExposure) };
}

describe('scanText: a placeholder is the whole password, not its first character', () => {
  it.each(REAL_PASSWORDS)('postgresql://postgres:%s@… is a password', (password) => {
    expect(scanText(`DATABASE_URL=postgresql://postgres:${password}@db.abcdefghijklmnopqrst.supabase.co:5432/postgres`).map((hit) => hit.kind)).toEqual(['database-url-password']);
  });

  it.each([
    '${DB_PASSWORD}', '${POSTGRES_PASSWORD:-postgres}', '$PGPASSWORD', '$db_password', '$dbPassword', '<password>', '<your-db-password>', '[YOUR-PASSWORD]', '{{password}}', '{{ .Values.db.password }}',
    '%(password)s', '***', '****', 'password', 'postgres', 'your-password', 'your_password', 'changeme', 'xxxxxx', '...', '%2A%2A%2A',
  ])('postgresql://postgres:%s@… is a placeholder', (password) => {
    expect(scanText(`postgresql://postgres:${password}@db.example.supabase.co:5432/postgres`)).toEqual([]);
  });
});

describe('scanText: every way a Postgres password is written', () => {
  it.each([
    ['SQLAlchemy asyncpg URL', 'engine = create_async_engine("postgresql+asyncpg://app:Kq9vR2mX7pLw@db.x.supabase.co/postgres")', 'database-url-password'],
    ['SQLAlchemy psycopg2 URL', 'SQLALCHEMY_DATABASE_URI=postgres+psycopg2://app:Kq9vR2mX7pLw@db.x.supabase.co/postgres', 'database-url-password'],
    ['JDBC URL', 'spring.datasource.url=jdbc:postgresql://db.x.supabase.co:5432/postgres?user=postgres&password=Kq9vR2mX7pLw&sslmode=require', 'database-url-password'],
    ['.env PGPASSWORD', 'PGPASSWORD=Kq9vR2mX7pLw', 'database-password'],
    ['shell prefix', 'PGPASSWORD=Kq9vR2mX7pLw pg_dump -h db.x.supabase.co -U postgres', 'database-password'],
    ['export', 'export SUPABASE_DB_PASSWORD="Kq9vR2mX7pLw"', 'database-password'],
    ['compose YAML', '      POSTGRES_PASSWORD: Kq9vR2mX7pLw', 'database-password'],
    ['compose list', '      - POSTGRES_PASSWORD=Kq9vR2mX7pLw', 'database-password'],
    ['JSON', '{ "DB_PASSWORD": "Kq9vR2mX7pLw" }', 'database-password'],
    ['source code', "const DB_PASSWORD = 'Kq9vR2mX7pLw';", 'database-password'],
  ])('%s', (_name, text, kind) => {
    expect(scanText(text).map((hit) => hit.kind)).toEqual([kind]);
  });

  it.each([
    'PGPASSWORD=${PGPASSWORD}', 'PGPASSWORD=$(cat /run/secrets/pg)', 'SUPABASE_DB_PASSWORD=your-super-secret-and-long-postgres-password', 'POSTGRES_PASSWORD: postgres',
    'DB_PASSWORD: ${{ secrets.DB_PASSWORD }}', 'DB_PASSWORD=<password>', 'DB_PASSWORD=', 'DB_PASSWORD: process.env.DB_PASSWORD', 'const DB_PASSWORD = process.env.DB_PASSWORD;',
    "password = os.environ['DB_PASSWORD']", 'jdbc:postgresql://localhost/app?password=${DB_PASSWORD}', 'DB_PASSWORD=changeme',
  ])('%s is not a password', (text) => {
    expect(scanText(text)).toEqual([]);
  });
});

describe('app.secrets.service-key-exposure reads the git history', () => {
  it('a password starting with * in a tracked file fails', async () => {
    const dir = await repository([{ 'scripts/backup.sh': `pg_dump "postgresql://postgres:${REAL_PASSWORDS[0]}@db.x.supabase.co:5432/postgres"\n`, 'app.ts': 'export {};\n' }]);
    expect((await check(dir)).statuses).toEqual([['scripts/backup.sh:1', 'fail', 'exposed']]);
  });

  it('a key committed and later deleted fails, naming commit and path, and says to rotate it', async () => {
    const dir = await repository([
      { 'app.ts': 'export {};\n' },
      { 'src/admin.ts': `// admin client\nexport const key = '${SERVICE_ROLE_KEY}';\n`, '.env': `SUPABASE_URL=https://x.supabase.co\nPGPASSWORD=${HISTORY_PASSWORD}\n` },
      { 'src/admin.ts': null, '.env': null },
      { 'app.ts': `export const anon = '${ANON_KEY}';\n` },
    ]);
    const leak = await git(dir, 'rev-parse', '--short', 'HEAD~2');
    const { run, results, statuses } = await check(dir);
    expect(statuses).toEqual([
      [`${leak}:.env:2`, 'fail', 'exposed-in-history'],
      [`${leak}:src/admin.ts:2`, 'fail', 'exposed-in-history'],
    ]);
    expect(results[1]?.evidence).toMatchObject({ commit: leak, file: 'src/admin.ts', line: 2, kind: 'service-role-jwt' });
    expect(results[1]?.message).toContain(leak);
    expect(results[1]?.message).toMatch(/rotate/i);
    const output = JSON.stringify([...run.outcomes.values(), ...results]);
    expect(output).not.toContain(SERVICE_ROLE_KEY.split('.')[2]);
    expect(output).not.toContain(HISTORY_PASSWORD);
  });

  it('a key still in the work tree is reported once, at its place in the tree', async () => {
    const dir = await repository([{ 'src/admin.ts': `export const key = '${SERVICE_ROLE_KEY}';\n` }, { 'README.md': '# App\n' }]);
    expect((await check(dir)).statuses).toEqual([['src/admin.ts:1', 'fail', 'exposed']]);
  });

  it('a clean history passes and counts its commits', async () => {
    const dir = await repository([{ 'app.ts': 'export {};\n' }, { 'app.ts': `export const anon = '${ANON_KEY}';\n` }]);
    const { statuses, results } = await check(dir);
    expect(statuses).toEqual([['repository', 'pass', 'clean']]);
    expect(results[0]?.evidence).toMatchObject({ historyCommits: 2, shallow: false });
  });

  it('a password written while resolving a merge is found in the merge commit', async () => {
    const dir = await repository([{ 'app.ts': 'export {};\n', 'config.env': 'SUPABASE_URL=https://x.supabase.co\n' }]);
    await git(dir, 'checkout', '-q', '-b', 'feature');
    await writeFile(join(dir, 'feature.ts'), 'export const feature = 1;\n');
    await git(dir, 'add', 'feature.ts');
    await git(dir, 'commit', '-q', '-m', 'feature');
    await git(dir, 'checkout', '-q', 'main');
    await git(dir, 'merge', '-q', '--no-ff', '--no-commit', 'feature');
    await writeFile(join(dir, 'config.env'), `SUPABASE_URL=https://x.supabase.co\nPGPASSWORD=${HISTORY_PASSWORD}\n`);
    await git(dir, 'add', 'config.env');
    await git(dir, 'commit', '-q', '-m', 'merge feature');
    const merge = await git(dir, 'rev-parse', '--short', 'HEAD');
    await writeFile(join(dir, 'config.env'), 'SUPABASE_URL=https://x.supabase.co\n');
    await git(dir, 'commit', '-q', '-am', 'remove the password');
    expect((await check(dir)).statuses).toEqual([[`${merge}:config.env:2`, 'fail', 'exposed-in-history']]);
  });

  it('a shallow clone cannot show the history: unverified, never pass', async () => {
    const origin = await repository([{ '.env': `PGPASSWORD=${HISTORY_PASSWORD}\n` }, { '.env': null, 'app.ts': 'export {};\n' }]);
    const clone = await mkdtemp(join(tmpdir(), 'readiness-shallow-'));
    dirs.push(clone);
    await exec('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    expect((await check(clone)).statuses).toEqual([['repository', 'unverified', 'shallow-history']]);
  });
});
