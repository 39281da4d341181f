import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import type { Report } from '../../src/model.js';
import { reportSchema, type JsonReport } from '../../src/report-schema.js';
import { runCli } from '../support/cli.js';

const NOW = '2026-01-15T09:00:00.000Z';
// The demo's environment replayed as an ordinary snapshot, at a fixed clock.
const SNAPSHOT_RUN = ['check', '--config', DEMO_CONFIG, '--snapshot', DEMO_SNAPSHOT, '--now', NOW];
const NO_TOKEN = { SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_DB_URL: undefined };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-formats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('formats to stdout', () => {
  it('terminal (the default) gives the verdict, the blockers and the fix commands', async () => {
    const { code, stdout } = await runCli(SNAPSHOT_RUN, NO_TOKEN);
    expect(code).toBe(1);
    expect(stdout).toContain('NOT READY');
    expect(stdout).toContain('[aws.rds.deletion-protection]');
    expect(stdout).toMatch(/^\s+mentalspaceehrstack-databaseb269d8bb: /m);
    expect(stdout).toContain('$ aws rds modify-db-cluster --db-cluster-identifier mentalspaceehrstack-databaseb269d8bb --deletion-protection');
    expect(stdout).not.toMatch(/\u001b\[/); // NO_COLOR
  });

  it('md gives the assessment document', async () => {
    const { code, stdout } = await runCli([...SNAPSHOT_RUN, '--format', 'md'], NO_TOKEN);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^# Production Readiness Assessment — mentalspace-ehr/);
    expect(stdout).toContain('NOT READY');
  });

  it('json matches the report schema (schema/report.schema.json) and says what the verdict says', async () => {
    const { code, stdout } = await runCli([...SNAPSHOT_RUN, '--format', 'json'], NO_TOKEN);
    expect(code).toBe(1);
    const parsed = reportSchema.safeParse(JSON.parse(stdout));
    expect(parsed.error?.issues).toBeUndefined();
    const report = parsed.data!;
    expect(report).toMatchObject({ schemaVersion: 2, generatedAt: NOW, verdict: 'NOT_READY', source: { kind: 'snapshot', account: '706704660887' } });
    expect(report.results.length).toBeGreaterThan(0);
  });

  it('the schema rejects a report that breaks the contract', async () => {
    const { stdout } = await runCli([...SNAPSHOT_RUN, '--format', 'json'], NO_TOKEN);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(reportSchema.safeParse({ ...report, verdict: 'MAYBE' }).success).toBe(false);
    expect(reportSchema.safeParse({ ...report, extra: 1 }).success).toBe(false);
  });

  it('a second format without --out is named on stderr, not lost silently', async () => {
    const { stdout, stderr } = await runCli([...SNAPSHOT_RUN, '--format', 'json,md'], NO_TOKEN);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(stderr).toMatch(/only json was printed; pass --out DIR to write md too/);
  });
});

describe('--out DIR', () => {
  it('writes readiness-report.{txt,md,json}, each what stdout would show, with no temporary file left', async () => {
    const out = join(dir, 'reports');
    const { code, stdout } = await runCli([...SNAPSHOT_RUN, '--format', 'terminal,md,json', '--out', out], NO_TOKEN);
    expect(code).toBe(1);
    // Each report with its sha256 sidecar.
    expect((await readdir(out)).sort()).toEqual(['readiness-report.json', 'readiness-report.json.sha256', 'readiness-report.md', 'readiness-report.md.sha256', 'readiness-report.txt', 'readiness-report.txt.sha256']);
    expect(stdout.trimEnd().split('\n').at(-1)).toContain(`reports: ${['txt', 'md', 'json'].map((ext) => join(out, `readiness-report.${ext}`)).join(', ')}`);
    for (const [format, extension] of [['terminal', 'txt'], ['md', 'md'], ['json', 'json']]) {
      const printed = await runCli([...SNAPSHOT_RUN, '--format', format!], NO_TOKEN);
      expect(await readFile(join(out, `readiness-report.${extension}`), 'utf8')).toBe(printed.stdout);
    }
  });

  it('--now makes two runs of a snapshot byte-identical', async () => {
    const [a, b] = [join(dir, 'run-a'), join(dir, 'run-b')];
    await runCli([...SNAPSHOT_RUN, '--format', 'terminal,md,json', '--out', a], NO_TOKEN);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await runCli([...SNAPSHOT_RUN, '--format', 'terminal,md,json', '--out', b], NO_TOKEN);
    for (const file of ['readiness-report.txt', 'readiness-report.md', 'readiness-report.json']) {
      expect(await readFile(join(b, file), 'utf8')).toBe(await readFile(join(a, file), 'utf8'));
    }
    expect(await readFile(join(a, 'readiness-report.json'), 'utf8')).toContain(`"generatedAt": "${NOW}"`);
  });
});

describe('the gate options', () => {
  // The demo without its critical blockers: what is left decides by score alone. Judged the day after its facts were
  // collected: evidence older than gate.maxEvidenceAgeHours could not make it READY whatever the gate options.
  const NEXT_DAY = ['check', '--config', DEMO_CONFIG, '--snapshot', DEMO_SNAPSHOT, '--now', '2025-10-12T09:00:00.000Z'];
  const WITHOUT_CRITICAL = [...NEXT_DAY, '--format', 'json', '--only', 'aws.rds.backup-retention,aws.rds.storage-encrypted,aws.s3.encryption,monitoring.alarms.required'];

  it('--fail-under replaces gate.minScore, --fail-on replaces gate.failOn', async () => {
    const base = JSON.parse((await runCli(WITHOUT_CRITICAL, NO_TOKEN)).stdout) as Report;
    expect(base.blockers).toEqual([]);
    expect(base.score).toBeLessThan(90);
    expect(base.verdict).toBe('NOT_READY');

    const lowered = await runCli([...WITHOUT_CRITICAL, '--fail-under', String(Math.floor(base.score))], NO_TOKEN);
    expect(lowered.code).toBe(0);
    expect((JSON.parse(lowered.stdout) as Report).gate).toEqual({ minScore: Math.floor(base.score), failOn: 'critical' });

    const stricter = await runCli([...WITHOUT_CRITICAL, '--fail-under', String(Math.floor(base.score)), '--fail-on', 'high'], NO_TOKEN);
    expect(stricter.code).toBe(1);
    const { results, blockers } = JSON.parse(stricter.stdout) as JsonReport;
    expect(blockers.map((i) => results[i]!.checkId)).toContain('monitoring.alarms.required');
  });
});

describe('check --help', () => {
  it('lists every format the reporters write', async () => {
    const { FORMATS } = await import('../../src/reporters/formats.js');
    const { reporters } = await import('../../src/reporters/index.js');
    expect([...FORMATS].sort()).toEqual(Object.keys(reporters).sort());
    const { code, stdout } = await runCli(['check', '--help']);
    expect(code).toBe(0);
    const formatLine = stdout.split('\n').find((line) => line.includes('--format'))!;
    for (const format of FORMATS) expect(formatLine).toMatch(new RegExp(`\\b${format}\\b`));
  });

  it('collect does not offer --demo (there is nothing to collect)', async () => {
    const { stdout } = await runCli(['collect', '--help']);
    expect(stdout).not.toContain('--demo');
  });
});

describe('terminal width', () => {
  it('wraps at the terminal width on a TTY, and not at all into a pipe', async () => {
    const stdout = process.stdout as { isTTY?: boolean; columns?: number };
    const saved = { isTTY: stdout.isTTY, columns: stdout.columns };
    Object.assign(stdout, { isTTY: true, columns: 70 });
    let onTty: string;
    try {
      onTty = (await runCli(SNAPSHOT_RUN, NO_TOKEN)).stdout;
    } finally {
      Object.assign(stdout, saved);
    }
    const lines = onTty.trimEnd().split('\n');
    expect(lines.filter((line) => [...line].length > 70 && line.trim().includes(' '))).toEqual([]);
    // The verdict stays within the last few lines, on screen when the run ends.
    expect(lines.findLastIndex((line) => line.startsWith('✗ NOT READY 35%'))).toBeGreaterThanOrEqual(lines.length - 6);
    const piped = (await runCli(SNAPSHOT_RUN, NO_TOKEN)).stdout;
    expect(piped.split('\n').some((line) => [...line].length > 150)).toBe(true);
  });
});
