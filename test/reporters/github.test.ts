import { describe, expect, it } from 'vitest';
import { githubReporter } from '../../src/reporters/github.js';
import type { Report, Result } from '../../src/model.js';
import { demoReport } from '../support/demo.js';

const annotations = (text: string, level: string) => text.trimEnd().split('\n').filter((l) => l.startsWith(`::${level} `));
const titleOf = (line: string) => /title=([^:]*)::/.exec(line)![1]!;

describe('github reporter', () => {
  it('one annotation per open check: its blocking checks as errors first, within GitHub\'s 10 errors and 10 warnings', async () => {
    const report = await demoReport();
    const text = githubReporter(report, {});
    const [errors, warnings] = [annotations(text, 'error'), annotations(text, 'warning')];
    const blockingChecks = new Set(report.blockers.map((b) => b.checkId));
    const openChecks = new Set(report.results.filter((r) => r.scored && (r.status === 'fail' || r.status === 'unverified')).map((r) => r.checkId));
    expect(blockingChecks.size).toBeGreaterThan(1);
    expect(openChecks.size - blockingChecks.size).toBeGreaterThan(10);
    // The demo has 8 blocking checks: each is its own error annotation.
    expect(errors.map(titleOf).map((t) => t.replace(/ \(.*/, '')).sort()).toEqual([...blockingChecks].sort());
    expect(text.indexOf('::warning ')).toBeGreaterThan(text.lastIndexOf('::error '));
    expect(warnings).toHaveLength(10);
    // Past the limit, the last warning names every check left: none is lost.
    const shown = warnings.slice(0, 9).map((l) => titleOf(l).replace(/ \(.*/, ''));
    expect(new Set(shown).size).toBe(9);
    const restLine = warnings[9]!;
    for (const id of openChecks) if (!blockingChecks.has(id) && !shown.includes(id)) expect(restLine).toContain(id);
    const rds = errors.find((l) => l.includes('title=aws.rds.deletion-protection'))!;
    expect(rds).toMatch(/^::error file=readiness.config.yaml,line=1,title=aws.rds.deletion-protection \(critical\)::mentalspaceehrstack-databaseb269d8bb: .*%0AFix: aws rds modify-db-cluster/);
  });

  it('bounds the resources listed in one annotation', async () => {
    const report = await demoReport();
    const template = report.blockers[0]!;
    const many = Array.from({ length: 40 }, (_, i): Result => ({ ...template, resource: `bucket-${i}` }));
    const text = githubReporter({ ...report, results: [...report.results, ...many], blockers: [...report.blockers, ...many] }, {});
    const line = annotations(text, 'error').find((l) => l.includes(`title=${template.checkId} `))!;
    expect(line).toContain('bucket-0: ');
    expect(line).not.toContain('bucket-39: ');
    expect(line).toMatch(/and \d+ more resources \(see the full report\)/);
  });

  it('no blocker is lost past 10 blocking checks: they all come within the first 10 errors', async () => {
    const report = await demoReport();
    const template = report.blockers[0]!;
    const extra = Array.from({ length: 15 }, (_, i): Result => ({ ...template, checkId: `aws.synthetic.blocker-${i}`, resource: `r-${i}` }));
    const wide: Report = { ...report, results: [...report.results, ...extra], blockers: [...report.blockers, ...extra] };
    const errors = annotations(githubReporter(wide, {}), 'error');
    expect(errors).toHaveLength(10);
    const text = errors.join('\n');
    for (const id of new Set(wide.blockers.map((b) => b.checkId))) expect(text).toContain(id);
  });

  it('ends with one summary: verdict, score, counts and where the full report is', async () => {
    const report = await demoReport();
    const last = githubReporter(report, { reportLocation: 'reports/readiness-report.md' }).trimEnd().split('\n').at(-1)!;
    const blockingChecks = new Set(report.blockers.map((b) => b.checkId)).size;
    const openChecks = new Set(report.results.filter((r) => r.scored && (r.status === 'fail' || r.status === 'unverified')).map((r) => r.checkId)).size;
    // Workflow commands escape "%" as "%25".
    expect(last).toContain(`::notice title=readiness::NOT READY 35%25 (gate 90%25): ${report.blockers.length} blockers in ${blockingChecks} checks, ${openChecks - blockingChecks} other open checks; `);
    expect(last).toContain(`${report.summary.fail} fail, `);
    expect(last).toContain(`${report.summary.unverified} unverified`);
    expect(last).toContain('Full report: reports/readiness-report.md');
  });
});
