import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { diffReports, formatDiff } from '../../src/diff.js';
import { buildReport } from '../../src/engine/run.js';
import type { FactOutcome, Report } from '../../src/model.js';
import { renderFixPlan } from '../../src/reporters/fix-plan.js';
import { renderChunks, reporters } from '../../src/reporters/index.js';
import { shellQuote } from '../../src/shell.js';
import { readSnapshot } from '../../src/snapshot.js';

/**
 * Text the environment controls beyond a result's name and message: member accounts' names, the caller's identity, a
 * collector's fix, regions, characters XML forbids, and reports read back by `diff`. Each is shown, never obeyed.
 */
const FORGED = 'Prod\n::error title=readiness::READY 100%25 - all checks passed\r\u001b[1A\u001b[2K\u202e\u200f\uffff';
// What no output may hold raw: C0/C1 controls but the outputs' own line breaks, DEL, line separators, bidi overrides
// and marks, and the noncharacters XML 1.0 forbids.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/u;

/** The demo's report with its facts changed as a hostile environment (or a tampered snapshot) would answer. */
async function demoWith(change: (facts: Map<string, FactOutcome>) => void, configure?: (loaded: LoadedConfig) => void): Promise<Report> {
  const loaded = await loadConfig(DEMO_CONFIG);
  configure?.(loaded);
  const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
  const { snapshot, facts } = await readSnapshot(DEMO_SNAPSHOT, known);
  change(facts as Map<string, FactOutcome>);
  return buildReport({ loaded, checks: allChecks, outcomes: facts, now: new Date(snapshot.collectedAt), source: { kind: 'snapshot', collectedAt: snapshot.collectedAt } });
}

/** Every format, and the fix plan, as written to their files. */
function everyOutput(report: Report): Record<string, string> {
  const outputs: Record<string, string> = { plan: renderFixPlan(report) };
  for (const format of Object.keys(reporters)) outputs[format] = [...renderChunks(format, report, {})].join('');
  return outputs;
}

/** No output holds the text raw or obeys it (a forged line, an unreadable JUnit file); `formats` show it escaped. */
function expectShownNotObeyed(report: Report, shown: string, formats: string[]): void {
  const outputs = everyOutput(report);
  for (const [format, output] of Object.entries(outputs)) {
    expect(RAW.test(output), format).toBe(false);
    expect(output.split('\n').some((line) => line.startsWith('::error title=readiness::READY')), format).toBe(false);
  }
  for (const format of formats) expect(outputs[format], format).toContain(shown);
  expect(XMLValidator.validate(outputs.junit!)).toBe(true);
}

describe('text from the environment outside results', () => {
  it("shows an organization member account's name escaped in every format", async () => {
    const report = await demoWith(
      (facts) => facts.set('organization.accounts', { ok: true, value: [{ id: '111111111111', name: FORGED, status: 'ACTIVE' }] }),
      (loaded) => Object.assign(loaded.config.aws!, { organization: true, roleName: 'ReadinessAudit' }),
    );
    expect(report.accounts?.[0]?.name).toBe('Prod\\n::error title=readiness::READY 100%25 - all checks passed\\r\\x1b[1A\\x1b[2K\\u202e\\u200f\\uffff');
    expectShownNotObeyed(report, 'Prod\\n', ['terminal', 'html', 'junit', 'github']);
    // Markdown shows the backslash itself escaped.
    expect(everyOutput(report).md).toContain('Prod\\\\n::error');
  });

  it("shows the caller's identity escaped", async () => {
    const report = await demoWith((facts) => facts.set('aws.identity', { ok: true, value: { account: `706704660887${FORGED}`, arn: `arn:aws:iam::706704660887:user/${FORGED}`, regions: ['us-east-1'] } }));
    expect(report.source.principal).toContain('user/Prod\\n::error');
    expectShownNotObeyed(report, 'Prod\\n::error', ['terminal', 'md', 'html']);
  });

  it("shows a collector's fix escaped in an unverified result's remediation", async () => {
    const report = await demoWith((facts) => facts.set('aws.s3.buckets', { ok: false, failure: { kind: 'AccessDenied', message: 'denied', fix: `grant s3:ListAllMyBuckets ${FORGED}` } }));
    const unverified = report.results.find((r) => r.status === 'unverified' && r.remediation.text.startsWith('grant s3:ListAllMyBuckets'))!;
    expect(unverified.remediation.text).toContain('grant s3:ListAllMyBuckets Prod\\n::error');
    expectShownNotObeyed(report, 'grant s3:ListAllMyBuckets Prod\\n::error', ['md', 'html', 'junit']);
  });

  it('keeps the JUnit report well-formed whatever a table is named (U+FFFF, U+FFFE)', async () => {
    const report = await demoWith((facts) => {
      const schema = facts.get('postgres.schema');
      if (!schema?.ok) throw new Error('the demo has no database schema');
      const value = schema.value as { tables: { name: string }[] };
      facts.set('postgres.schema', { ...schema, value: { ...value, tables: value.tables.map((t, i) => (i === 0 ? { ...t, name: `notes\uffff\ufffe` } : t)) } });
    });
    const junit = everyOutput(report).junit!;
    expect(junit).toContain('notes\\uffff\\ufffe');
    expect(XMLValidator.validate(junit)).toBe(true);
  });
});

describe('fix commands hold what they say', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readiness-region-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a region from the facts one shell word: pasted, a command substitution in it does not run', async () => {
    const planted = join(dir, 'ran');
    const report = await demoWith((facts) => {
      const detectors = facts.get('aws.guardduty.detectors');
      if (!detectors?.ok) throw new Error('the demo has no GuardDuty detectors');
      const [first, ...rest] = detectors.value as { region: string }[];
      facts.set('aws.guardduty.detectors', { ...detectors, value: [{ ...first!, region: `us-east-1 $(touch ${planted})` }, ...rest] });
    });
    const command = report.results.find((r) => r.checkId === 'aws.guardduty.enabled' && r.remediation.command?.includes(planted))?.remediation.command;
    expect(command).toBeDefined();
    // The command as pasted into bash, with `aws` a function that does nothing: only the shell's own expansions run.
    const pasted = spawnSync('bash', ['-c', `aws() { :; }\n${command}`], { encoding: 'utf8' });
    expect(pasted.status).toBe(0);
    expect(existsSync(planted)).toBe(false);
  });

  it('quotes a word that starts with "=" (zsh expands =name to the path of the command name)', () => {
    expect(shellQuote('=python3')).toBe("'=python3'");
    expect(shellQuote('a=b')).toBe('a=b');
    const zsh = spawnSync('zsh', ['-c', `printf '%s' ${shellQuote('=sh')}`], { encoding: 'utf8' });
    // Where zsh is installed, the word arrives as written; elsewhere bash shows the quoting is still one word.
    const shell = zsh.error ? spawnSync('bash', ['-c', `printf '%s' ${shellQuote('=sh')}`], { encoding: 'utf8' }) : zsh;
    expect(shell.stdout).toBe('=sh');
  });
});

describe('readiness diff', () => {
  it('shows names from the reports it compares escaped', async () => {
    const before = await demoWith(() => {});
    const failing = before.results.find((r) => r.status === 'fail')!;
    // A report read back as written: a tampered file, or one from a version that did not escape names.
    const regressed = { ...failing, resource: `bucket${FORGED}` };
    const passed = { ...regressed, status: 'pass' as const };
    const output = formatDiff(diffReports({ ...before, results: [...before.results, passed] }, { ...before, results: [...before.results, regressed] }));
    expect(output).toContain('bucketProd\\n::error');
    expect(RAW.test(output)).toBe(false);
    expect(output.split('\n').some((line) => line.startsWith('::error'))).toBe(false);
  });
});
