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
import { collectForChecks, TEST_NOW } from '../support/supabase-collect.js';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) => exec('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd }).then((r) => r.stdout.trim());

const PASSWORD = 'S3cr3tValue';
const CONNINFO = `host=db.example.com port=5432 dbname=app user=postgres password=${PASSWORD} sslmode=require`;

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A git repository whose commits write (string) or delete (null) files, in order. */
async function repository(commits: Record<string, string | null>[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'readiness-conninfo-'));
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

describe('scanText: libpq keyword/value connection strings', () => {
  it.each([
    ['.env', `DATABASE_DSN="${CONNINFO}"`],
    ['.env, unquoted', `PG_CONNINFO=${CONNINFO}`],
    ['YAML', `  dsn: ${CONNINFO}`],
    ['Python string', `conn = psycopg2.connect("${CONNINFO}")`],
    ['Go string', `db, err := sql.Open("pgx", "host=db.example.com user=app password=${PASSWORD} dbname=app")`],
    ['password first', `psql 'password=${PASSWORD} host=db.example.com'`],
    ['quoted value with a space', "DSN=host=db.example.com user=app password='S3cr3t value' sslmode=require"],
    ['quoted value with an escaped quote', String.raw`DSN="host=db.example.com user=app password='S3cr\'t' sslmode=require"`],
    ['spaces around =', `host = db.example.com user = app password = ${PASSWORD}`],
    ['keyword arguments with a literal', `psycopg2.connect(host='db.example.com', user='app', password='${PASSWORD}')`],
  ])('%s', (_name, text) => {
    expect(scanText(text).map((hit) => hit.kind)).toEqual(['database-password']);
  });

  it.each([
    'host=db.example.com user=app password=<your-password>',
    'host=db.example.com user=app password=${DB_PASSWORD}',
    'host=db.example.com user=app password=${{ secrets.DB_PASSWORD }}',
    'host=db.example.com user=app password=$PGPASSWORD',
    'host=db.example.com user=app password=changeme',
    'host=localhost user=postgres password=postgres',
    "host=db.example.com user=app password=''",
    'host=db.example.com user=app password={password}',
    'host=db.example.com user=app password=%(password)s',
    '"host=db.example.com user=app password=" + password',
    "'host=db.example.com user=app password=' + pw + ' sslmode=require'",
    'psycopg2.connect(host=host, user=user, password=password)',
    'connect(host=settings.host, password=settings.db_password, dbname=name)',
    `Set password=${PASSWORD} in the form`,
    `jdbc:postgresql://localhost/app?user=app&password=\${DB_PASSWORD}`,
  ])('%s is not a password', (text) => {
    expect(scanText(text)).toEqual([]);
  });

  it('one finding per secret: a password in a URL parameter, or given twice on a line, is reported once', () => {
    expect(scanText(`jdbc:postgresql://db.example.com/app?user=app&password=${PASSWORD}&sslmode=require`).map((hit) => hit.kind)).toEqual(['database-url-password']);
    expect(scanText(`PGPASSWORD=${PASSWORD} psql "host=db.example.com user=app password=${PASSWORD}"`).map((hit) => hit.kind)).toEqual(['database-password']);
  });
});

describe('app.secrets.service-key-exposure finds libpq connection strings in a git repository', () => {
  it('a tracked .env with a conninfo password fails, without the value in the report', async () => {
    const dir = await repository([{ '.env': `SUPABASE_URL=https://x.supabase.co\nDATABASE_DSN="${CONNINFO}"\n`, 'app.ts': 'export {};\n' }]);
    const { run, results, statuses } = await check(dir);
    expect(statuses).toEqual([['.env:2', 'fail', 'exposed']]);
    expect(JSON.stringify([...run.outcomes.values(), ...results])).not.toContain(PASSWORD);
  });

  it('a conninfo password committed and deleted since is found in the history', async () => {
    const dir = await repository([{ 'config/db.yaml': `dsn: ${CONNINFO}\n`, 'app.ts': 'export {};\n' }, { 'config/db.yaml': 'dsn: ${DATABASE_DSN}\n' }]);
    const leak = await git(dir, 'rev-parse', '--short', 'HEAD~1');
    expect((await check(dir)).statuses).toEqual([[`${leak}:config/db.yaml:1`, 'fail', 'exposed-in-history']]);
  });
});

describe('app.secrets.service-key-exposure on a shallow clone with findings', () => {
  it('the findings fail and the report says the history before the boundary was not read', async () => {
    const origin = await repository([
      { '.env': `PGPASSWORD=Hist0ry-Only-Pw-5531\n`, 'app.ts': 'export {};\n' },
      { '.env': null },
      { 'scripts/backup.sh': `pg_dump "postgresql://postgres:${PASSWORD}@db.example.com:5432/postgres"\n` },
    ]);
    const clone = await mkdtemp(join(tmpdir(), 'readiness-shallow-'));
    dirs.push(clone);
    await exec('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    const { statuses, results } = await check(clone);
    expect(statuses).toEqual([
      ['scripts/backup.sh:1', 'fail', 'exposed'],
      ['repository', 'unverified', 'shallow-history'],
    ]);
    expect(results[1]?.message).toContain('git fetch --unshallow');
    expect(results[1]?.evidence).toMatchObject({ shallow: true, historyCommits: 1 });
  });
});
