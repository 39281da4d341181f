import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { renderFixPlan } from '../../src/reporters/fix-plan.js';
import { htmlReporter } from '../../src/reporters/html.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { criticalPath, formatEffort, pathEffort } from '../../src/reporters/shared.js';
import { terminalReporter, wrap } from '../../src/reporters/terminal.js';
import { demoReport } from '../support/demo.js';

let report: Report;
beforeAll(async () => {
  report = await demoReport();
});

const lines = (text: string) => text.trimEnd().split('\n');

describe('terminal: the closing lines', () => {
  it('sum up the run last, as ESLint does: verdict, score, counts, blockers, exit reason, where the reports went', () => {
    const text = terminalReporter(report, { reportFiles: ['reports/readiness-report.md', 'reports/readiness-report.json'] });
    const [verdict, exit] = lines(text).slice(-2);
    expect(verdict).toMatch(/^✗ NOT READY 35% \(69 passed, 84 failed, 16 unverified, 0 waived, 7 n\/a\) · 17 blockers in \d+ checks$/);
    expect(exit).toContain('exit 1: not ready (score 35% under 90%, 17 open critical-or-worse findings)');
    expect(exit).toContain('reports: reports/readiness-report.md, reports/readiness-report.json');
  });

  it('close the summary of --out too, and say when no file was written', () => {
    const summary = lines(terminalReporter(report, { summary: true, reportFiles: ['out/readiness-report.html'] }));
    expect(summary.at(-2)).toMatch(/^✗ NOT READY 35%/);
    expect(summary.at(-1)).toContain('reports: out/readiness-report.html');
    expect(lines(terminalReporter(report)).at(-1)).toContain('no report file written');
  });
});

describe('terminal: compact by default, everything with --verbose', () => {
  it('prints each distinct fix command once per check, however many findings share it', () => {
    const text = terminalReporter(report);
    const open = report.results.filter((r) => (r.status === 'fail' || r.status === 'unverified') && r.remediation.command);
    // Checks whose findings share one command that no other check prints (domain.tls.protocol: four hosts, one fix).
    const shared = [...Map.groupBy(open, (r) => r.checkId).values()].filter((group) => {
      const command = group[0]!.remediation.command;
      return group.length > 1 && group.every((r) => r.remediation.command === command) && open.every((r) => r.checkId === group[0]!.checkId || r.remediation.command !== command);
    });
    expect(shared.length).toBeGreaterThan(2);
    for (const group of shared) {
      expect(text.split(`$ ${group[0]!.remediation.command}`).length - 1, group[0]!.checkId).toBe(1);
      for (const r of group.slice(0, 5)) expect(text).toContain(`${r.resource}: ${r.message}`);
    }
  });

  it('lists passed results and every command in full only with --verbose; compact cuts a command to the width', () => {
    const compact = terminalReporter(report, { width: 80 });
    const verbose = terminalReporter(report, { width: 80, verbose: true });
    const passed = report.results.find((r) => r.status === 'pass' && r.section === 'aws')!;
    expect(compact).not.toContain(`${passed.checkId} ${passed.resource}`);
    expect(verbose).toContain(`${passed.checkId} ${passed.resource}`);
    const long = report.results.find((r) => r.status === 'fail' && (r.remediation.command?.length ?? 0) > 120)!.remediation.command!;
    expect(compact.replace(/\n\s*/g, ' ')).not.toContain(long);
    expect(compact).toContain(`$ ${long.slice(0, 60)}`);
    expect(verbose.replace(/\n {4,}/g, ' ')).toContain(long);
  });
});

describe('terminal: lines wrap at the width, between words', () => {
  it('no line is wider than the terminal unless one word is, and no word is split', () => {
    for (const width of [60, 100]) {
      const wide = terminalReporter(report, { verbose: true });
      const wrapped = terminalReporter(report, { verbose: true, width });
      for (const line of lines(wrapped)) {
        if ([...line].length > width) expect(line.trim().split(' '), line).toHaveLength(1);
      }
      expect(wrapped.split(/\s+/).filter(Boolean)).toEqual(wide.split(/\s+/).filter(Boolean));
    }
  });

  it('continues a wrapped line under its indent, and leaves lines alone without a width (a pipe, a file)', () => {
    expect(wrap('  ✗ high     aws.s3.tls-only bucket-a: the bucket policy does not deny plain HTTP', 40)).toBe(
      ['  ✗ high     aws.s3.tls-only bucket-a:', '      the bucket policy does not deny', '      plain HTTP'].join('\n'),
    );
    const long = 'word '.repeat(60).trim();
    expect(wrap(long, undefined)).toBe(long);
  });
});

describe('effort on the critical path', () => {
  it('counts working time and waiting time apart: BAA signatures wait beside the work', () => {
    const text = terminalReporter(report);
    const effort = lines(text).find((line) => line.trim().startsWith('Effort:'))!;
    expect(effort).toMatch(/^ {2}Effort: [\d.]+ days of work; longest wait 2 business days \(.+\), in parallel with the work$/);
    // The seed's demo summed everything to 18.4 days, three BAAs as 2 days of "work" each: the work is the steps' own effort,
    // and a signature step counts its hours of work, not the business days spent waiting.
    const path = criticalPath(report);
    const signatures = path.flatMap((phase) => phase.steps).filter((step) => step.waitDays);
    expect(signatures.length).toBeGreaterThanOrEqual(3);
    for (const step of signatures) expect(step.effortMinutes).toBeLessThan(8 * 60);
    expect(effort).toContain(`${formatEffort(pathEffort(path).workMinutes)} of work`);
    expect(text).toMatch(/Phase 1 · Security & Compliance · [\d.]+ (h|days?) of work \+ up to 2 business days waiting/);
  });

  it('says the same in every format that shows effort: md, html and the fix plan', () => {
    const plan = /[\d.]+ days of work; longest wait 2 business days \(AWS Business Associate Addendum is not in force\), in parallel with the work/;
    expect(markdownReporter(report)).toMatch(new RegExp(`\\*\\*Estimated effort on the critical path\\*\\*: ${plan.source}`));
    expect(markdownReporter(report)).toMatch(/### Phase 1: Security & Compliance — [\d.]+ (h|days?) of work \+ up to 2 business days waiting/);
    expect(htmlReporter(report)).toMatch(new RegExp(`<strong>Estimated effort:</strong> ${plan.source}`));
    expect(renderFixPlan(report)).toMatch(new RegExp(`# Effort: ${plan.source}`));
  });
});
