import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Report, Result } from '../../src/model.js';
import { junitReporter } from '../../src/reporters/junit.js';
import { demoReport, readyDemoReport } from '../support/demo.js';

interface Case { classname: string; name: string; time?: string; failure?: { type: string; message: string }; skipped?: { message: string }; 'system-out'?: string }
interface Suite { name: string; time?: string; failures: string; skipped: string; testcase: Case[] }

function parse(report: Report): { time?: string; failures: string; testsuite: Suite[] } {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });
  return (parser.parse(junitReporter(report)) as { testsuites: { time?: string; failures: string; testsuite: Suite[] } }).testsuites;
}

/** The demo with one result of each status the demo lacks: a waiver, and failing and unverified informational checks. */
async function variedReport(): Promise<Report> {
  const report = await demoReport();
  const open = report.results.find((r) => r.status === 'fail' && r.scored)!;
  const info = report.results.find((r) => !r.scored)!;
  const added: Result[] = [
    { ...open, resource: 'waived-bucket', status: 'waived', waiver: { check: open.checkId, reason: 'migrating in Q1', approvedBy: 'cto@example.com', expires: '2027-01-01', expired: false } },
    { ...info, resource: 'info-fail', status: 'fail', message: 'costs are unknown' },
    { ...info, resource: 'info-unverified', status: 'unverified', message: 'Cost Explorer denied' },
  ];
  return { ...report, results: [...report.results, ...added] };
}

describe('junit reporter', () => {
  it('has a time on every testcase and testsuite (test-report actions show "NaNms" without it)', async () => {
    const xml = parse(await demoReport());
    expect(Number.isFinite(Number(xml.time))).toBe(true);
    for (const suite of xml.testsuite) {
      expect(Number.isFinite(Number(suite.time)), suite.name).toBe(true);
      for (const c of suite.testcase) expect(Number.isFinite(Number(c.time)), `${c.classname} ${c.name}`).toBe(true);
    }
  });

  it('unverified fails with its reason; waived and not applicable are skipped with theirs; unscored checks never fail', async () => {
    const report = await variedReport();
    const xml = parse(report);
    const cases = xml.testsuite.flatMap((s) => s.testcase);
    const find = (resource: string) => cases.find((c) => c.name === resource)!;
    const unverified = report.results.find((r) => r.status === 'unverified' && r.scored)!;
    const unverifiedCase = cases.find((c) => c.classname === unverified.checkId && c.name === unverified.resource)!;
    expect(unverifiedCase.failure).toMatchObject({ type: 'unverified' });
    expect(unverifiedCase.failure!.message).toContain(`unverified: ${unverified.message}`);
    expect(find('waived-bucket').skipped!.message).toBe('waived: migrating in Q1 (approved by cto@example.com, until 2027-01-01)');
    const notApplicable = report.results.find((r) => r.status === 'not_applicable')!;
    expect(cases.find((c) => c.classname === notApplicable.checkId && c.name === notApplicable.resource)!.skipped!.message).toBe(`not applicable: ${notApplicable.message}`);
    for (const resource of ['info-fail', 'info-unverified']) {
      expect(find(resource).failure, resource).toBeUndefined();
      expect(find(resource)['system-out']).toMatch(/^informational, not scored/);
    }
    // The demo's score is under the gate: every open scored finding lowered it, and the gate case fails too.
    const failing = report.results.filter((r) => r.scored && (r.status === 'fail' || r.status === 'unverified')).length + 1;
    expect(Number(xml.failures)).toBe(failing);
    expect(xml.testsuite.reduce((sum, s) => sum + Number(s.failures), 0)).toBe(failing);
    expect(cases.find((c) => c.classname === 'readiness.gate')!.failure!.message).toMatch(/^NOT READY \d+%: score \d+% is under 90%; \d+ open critical-or-worse findings$/);
  });

  it('a READY run has no failure: what the gate let through is reported, not failed', async () => {
    const report = await readyDemoReport();
    const xml = parse(report);
    expect(report.results.some((r) => r.scored && (r.status === 'fail' || r.status === 'unverified'))).toBe(true);
    expect(Number(xml.failures)).toBe(0);
    const cases = xml.testsuite.flatMap((s) => s.testcase);
    expect(cases.filter((c) => c.failure)).toEqual([]);
    const open = report.results.find((r) => r.scored && r.status === 'fail')!;
    expect(cases.find((c) => c.classname === open.checkId && c.name === open.resource)!['system-out']).toMatch(/^open \(fail, \w+\), below the gate/);
    expect(cases.find((c) => c.classname === 'readiness.gate')!.failure).toBeUndefined();
  });

  it('escapes every piece of every kind of case: names, messages, remediation text, commands, waivers', async () => {
    const hostile = `a&b<c>d"e'f &amp; &lt;`;
    for (const base of [await variedReport(), await readyDemoReport()]) {
      const results = base.results.map((r, i): Result => ({
        ...r,
        checkId: i % 7 ? r.checkId : `${r.checkId}${hostile}`,
        resource: `${r.resource}${hostile}`,
        message: `${r.message}${hostile}`,
        remediation: { ...r.remediation, text: `${r.remediation.text}${hostile}`, ...(i % 2 ? { command: `run '{"a":"${hostile}"}' <x> && y` } : {}) },
        ...(r.waiver ? { waiver: { ...r.waiver, reason: `${r.waiver.reason}${hostile}` } } : {}),
      }));
      const position = new Map(base.results.map((r, i) => [r, i]));
      const report = { ...base, results, blockers: base.blockers.map((b) => results[position.get(b)!]!) };
      const cases = parse(report).testsuite.flatMap((s) => s.testcase);
      expect(cases).toHaveLength(results.length + 1);
      for (const [i, r] of results.entries()) {
        const found = cases[cases.findIndex((c) => c.classname === r.checkId && c.name === r.resource)];
        expect(found, `${r.checkId} ${r.resource}`).toBeDefined();
        const text = [found!.failure?.message, (found!.failure as unknown as { '#text'?: string })?.['#text'], found!.skipped?.message, found!['system-out']].filter(Boolean).join('\n');
        if (r.status !== 'pass' || found!.failure) expect(text, `${i}`).toContain(r.status === 'waived' ? r.waiver!.reason : r.message);
        if (found!.failure && r.remediation.command) expect(text).toContain(`$ ${r.remediation.command}`);
        if (found!.failure) expect(text).toContain(r.remediation.text);
      }
    }
  });
});
