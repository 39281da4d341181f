import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../support/cli.js';

const NOW = '2025-10-11T22:30:00.000Z';
let dir: string;
let config: string;
const at = (name: string) => join(dir, name);
const json = async (name: string) => JSON.parse(await readFile(at(name), 'utf8')) as { facts: Record<string, unknown> };
const collect = (sections: string, out: string, file = config) => runCli(['collect', '--config', file, '--section', sections, '--now', NOW, '--out', at(out)]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-merge-'));
  await writeFile(at('incident-response.md'), '---\nreviewed: 2025-09-01\n---\n# Incident response\n');
  config = at('readiness.config.yaml');
  const yaml = (project: string) =>
    [
      `project: ${project}`,
      'attestations:',
      '  risk-assessment: { date: 2025-08-15, by: CISO, evidence: risk.pdf }',
      'documents:',
      '  incident-response: incident-response.md',
      '',
    ].join('\n');
  await writeFile(config, yaml('merge-test'));
  await writeFile(at('other.yaml'), yaml('another-project'));
  // One CI job per section, and one run of both for comparison.
  for (const [sections, out] of [['compliance', 'compliance.json'], ['monitoring,info', 'monitoring.json'], ['compliance,monitoring,info', 'whole.json']]) {
    const run = await collect(sections!, out!);
    expect(run.code, run.stderr).toBe(0);
  }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('readiness merge', () => {
  it('two snapshots merged equal one run that collected both', async () => {
    const run = await runCli(['merge', at('compliance.json'), at('monitoring.json'), '--out', at('merged.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys((await json('compliance.json')).facts).length).toBeGreaterThan(0);
    expect(Object.keys((await json('monitoring.json')).facts).length).toBeGreaterThan(0);
    expect(await json('merged.json')).toEqual(await json('whole.json'));
    const report = async (snapshot: string) => {
      const out = await runCli(['check', '--config', config, '--snapshot', at(snapshot), '--now', NOW, '--format', 'json']);
      return out.stdout.replace(at(snapshot), '<snapshot>');
    };
    expect(await report('merged.json')).toBe(await report('whole.json'));
  });

  it('one fact recorded two different ways is an error (exit 2, one line): no evidence to pick from', async () => {
    const monitoring = await json('monitoring.json');
    const copy = await json('compliance.json');
    // A fact both jobs recorded (else any fact of the other job).
    const id = Object.keys(monitoring.facts).find((key) => key in copy.facts) ?? Object.keys(monitoring.facts)[0]!;
    copy.facts = { ...copy.facts, [id]: { ok: false, failure: { kind: 'Error', message: 'another answer' } } };
    await writeFile(at('conflict.json'), JSON.stringify(copy));
    const run = await runCli(['merge', at('conflict.json'), at('monitoring.json'), at('compliance.json'), '--out', at('never.json')]);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr)).toBe(true);
    expect(run.stderr).toContain(id);
  });

  it('snapshots of another project or config are refused; so is one snapshot alone', async () => {
    const other = await runCli(['collect', '--config', at('other.yaml'), '--section', 'info', '--now', NOW, '--out', at('other.json')]);
    expect(other.code, other.stderr).toBe(0);
    const mixed = await runCli(['merge', at('compliance.json'), at('other.json'), '--out', at('never.json')]);
    expect(mixed.code).toBe(2);
    expect(isOneLineError(mixed.stderr)).toBe(true);
    const alone = await runCli(['merge', at('compliance.json'), '--out', at('never.json')]);
    expect(alone.code).toBe(2);
  });
});
