import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { isOneLineError, runCli } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the config, runs `readiness check --config` on it, returns the exit code and stderr. */
async function checkWith(name: string, yaml: string) {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return { file, ...(await runCli(['check', '--config', file])) };
}

describe('config errors: one line with file:line:col, exit 2', () => {
  const cases: { name: string; yaml: string; at: string; says: RegExp }[] = [
    { name: 'unknown key', yaml: 'project: x\naws:\n  regoin: us-east-1\n', at: '3:3', says: /unknown key "regoin" in aws — did you mean "region"\?/ },
    {
      name: 'unknown nested key',
      yaml: 'project: x\naws:\n  rds:\n    minBackupRetentionDay: 30\n',
      at: '4:5',
      says: /unknown key "minBackupRetentionDay" in aws\.rds — did you mean "minBackupRetentionDays"\?/,
    },
    { name: 'unknown key in a list item', yaml: 'project: x\naws:\n  s3:\n    buckets:\n      - name: files\n        versoning: required\n', at: '6:9', says: /did you mean "versioning"/ },
    { name: 'unknown top-level key far from any known one', yaml: 'project: x\nzzzzzzzzzzzz: 1\n', at: '2:1', says: /unknown key "zzzzzzzzzzzz" in the top level \(known keys: project, aws/ },
    { name: 'wrong type', yaml: 'project: x\naws:\n  rds:\n    minBackupRetentionDays: thirty\n', at: '4:29', says: /aws\.rds\.minBackupRetentionDays: .*expected number/ },
    { name: 'wrong value', yaml: 'project: x\nsupabase:\n  projectRef: abc\n', at: '3:15', says: /supabase\.projectRef: a project ref is 20 lowercase letters/ },
    { name: 'missing required key', yaml: 'aws:\n  region: us-east-1\n', at: '1:1', says: /project is required/ },
    { name: 'missing key in a list item', yaml: 'project: x\nwaivers:\n  - { check: a, reason: r, approvedBy: b }\n', at: '3:5', says: /waivers\.0\.expires is required/ },
    { name: 'YAML syntax error', yaml: 'project: x\naws: [\n', at: '3:1', says: /YAML syntax error/ },
    { name: 'duplicate key', yaml: 'project: x\nproject: y\n', at: '2:1', says: /YAML syntax error: Map keys must be unique/ },
    { name: 'not a mapping', yaml: '- a\n- b\n', at: '1:1', says: /the top level: .*expected object/ },
  ];

  it.each(cases)('$name', async ({ name, yaml, at, says }) => {
    const { file, code, stderr, stdout } = await checkWith(`${name.replaceAll(' ', '-')}.yaml`, yaml);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain(`${file}:${at}: `);
    expect(stderr).toMatch(says);
  });

  it('a missing file names the file, exit 2', async () => {
    const file = join(dir, 'absent.yaml');
    const { code, stderr } = await runCli(['check', '--config', file]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain(`${file}: config file not found`);
  });

  it('the error is a ConfigError carrying the location', () => {
    try {
      parseConfig('project: x\ngate: { minScore: 200 }\n', 'c.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).location).toEqual({ file: 'c.yaml', line: 2, col: 19 });
    }
  });
});

describe('${ENV} interpolation', () => {
  const yaml = [
    'project: x',
    'supabase:',
    '  projectRef: abcdefghijabcdefghij',
    '  accessToken: ${TOKEN}',
    '  dbUrl: postgres://reader:${DB_PASSWORD}@db.example.com:5432/postgres',
    '  requiredSecrets: [A, "${EXTRA_SECRET}", B]',
    '',
  ].join('\n');

  it('substitutes set variables, also inside a longer string', () => {
    const { config, unsetVariables } = parseConfig(yaml, 'c.yaml', { TOKEN: 'sbp_123', DB_PASSWORD: 'pw', EXTRA_SECRET: 'C' });
    expect(config.supabase).toMatchObject({ accessToken: 'sbp_123', dbUrl: 'postgres://reader:pw@db.example.com:5432/postgres', requiredSecrets: ['A', 'C', 'B'] });
    expect(unsetVariables).toEqual([]);
  });

  it('drops a key whose variable is unset (whole, even inside a longer string) and lists it', () => {
    const { config, unsetVariables } = parseConfig(yaml, 'c.yaml', { TOKEN: '' });
    expect(config.supabase?.accessToken).toBeUndefined();
    expect(config.supabase?.dbUrl).toBeUndefined();
    expect(config.supabase?.requiredSecrets).toEqual(['A', 'B']);
    expect(unsetVariables).toEqual(['TOKEN', 'DB_PASSWORD', 'EXTRA_SECRET']);
  });

  it('keeps the file as written (`written`) apart from what was substituted, the maps and lists nothing changed in as they are', () => {
    const { config, written } = parseConfig(`${yaml}vendors:\n  - twilio\n`, 'c.yaml', { TOKEN: 'sbp_123', EXTRA_SECRET: 'C' });
    expect(written).toStrictEqual({
      project: 'x',
      supabase: {
        projectRef: 'abcdefghijabcdefghij',
        accessToken: '${TOKEN}',
        dbUrl: 'postgres://reader:${DB_PASSWORD}@db.example.com:5432/postgres',
        requiredSecrets: ['A', '${EXTRA_SECRET}', 'B'],
      },
      vendors: ['twilio'],
    });
    expect(config.supabase).toMatchObject({ accessToken: 'sbp_123', requiredSecrets: ['A', 'C', 'B'] });
    expect(config.supabase?.dbUrl).toBeUndefined();
    expect(config.vendors).toEqual(['twilio']);
  });

  it('hashes the file as written, so no secret value reaches the hash', () => {
    const a = parseConfig(yaml, 'c.yaml', { TOKEN: 'one' });
    const b = parseConfig(yaml, 'c.yaml', { TOKEN: 'two' });
    expect(a.hash).toBe(b.hash);
  });

  it('the CLI says which variables are unset, on one line', async () => {
    const file = join(dir, 'unset.yaml');
    await writeFile(file, yaml);
    const { stderr } = await runCli(['check', '--config', file, '--only', 'supabase.secrets.required'], { TOKEN: undefined, DB_PASSWORD: undefined, EXTRA_SECRET: undefined });
    expect(stderr).toMatch(/\$\{TOKEN\}, \$\{DB_PASSWORD\}, \$\{EXTRA_SECRET\} not set/);
  });
});

describe('defaults', () => {
  it('are applied', () => {
    const { config } = parseConfig('project: x\naws:\n  region: eu-west-1\n  s3:\n    buckets: [{ name: files }]\nsupabase:\n  projectRef: abcdefghijabcdefghij\n', 'c.yaml', {});
    expect(config.gate).toEqual({ minScore: 90, failOn: 'critical', maxWaiverDays: 365, maxEvidenceAgeHours: 168 });
    expect(config.waivers).toEqual([]);
    expect(config.probes).toEqual([]);
    expect(config.aws?.rds.minBackupRetentionDays).toBe(30);
    expect(config.aws?.cloudwatch.requiredAlarms).toEqual([]);
    expect(config.aws?.s3.buckets).toEqual([{ name: 'files', phi: true }]);
    expect(config.supabase).toMatchObject({ apiUrl: 'https://api.supabase.com', requiredSecrets: [], requiredExtensions: ['pgcrypto', 'uuid-ossp'] });
  });

  it('an empty aws section gets its nested defaults', () => {
    const { config } = parseConfig('project: x\naws: {}\n', 'c.yaml', {});
    expect(config.aws).toMatchObject({ rds: { minBackupRetentionDays: 30 }, s3: {}, cloudwatch: { requiredAlarms: [] } });
  });
});
