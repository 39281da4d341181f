import { describe, expect, it } from 'vitest';
import type { Report, Result } from '../../src/model.js';
import { toJsonReport } from '../../src/report-json.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { demoReport, readyDemoReport } from '../support/demo.js';

/** The lines between `"key": [` and its closing `]`, without their trailing commas. */
function arrayLines(text: string, key: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`  ${JSON.stringify(key)}: [`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && /^ {2}\],?$/.test(line));
  return lines.slice(start + 1, end).map((line, i, all) => (i < all.length - 1 ? line.replace(/,$/, '') : line));
}

/** Every kind of result line: own titles and remediation texts, commands to edit, manual steps, control characters, waivers, accounts, hostile text. */
async function hostileReport(): Promise<Report> {
  const report = await readyDemoReport();
  const hostile = ['a"b\\c', 'line\nbreak\t\u0007', '\udc00😀 é \u2028\ud800', '<x> & </script>'];
  const commands = [undefined, '', 'aws s3 ls <bucket> --region <region> <bucket>', "open 'https://example.com/settings'", 'echo a\nb', `run ${hostile[0]}`];
  const results = report.results.map((r, i): Result => {
    const command = commands[i % commands.length];
    const { command: _command, ...remediation } = r.remediation;
    return {
      ...r,
      ...(i % 3 === 0 ? { title: `${r.title}${hostile[i % 4]}` } : {}),
      resource: `${r.resource}${hostile[i % 4]}`,
      message: `${r.message}${hostile[(i + 1) % 4]}`,
      code: i % 5 === 0 ? `${r.code}${hostile[i % 4]}` : r.code,
      evidence: { ...r.evidence, [`key${hostile[i % 4]}`]: hostile[(i + 2) % 4]!, n: i, list: [i, hostile[i % 4]!] },
      remediation: { ...remediation, ...(i % 4 === 1 ? { text: `${r.remediation.text}${hostile[i % 4]}` } : {}), ...(command === undefined ? {} : { command }) },
      ...(i % 2 ? { account: `acct-${hostile[i % 4]}` } : {}),
    };
  });
  const position = new Map(report.results.map((r, i) => [r, i]));
  return { ...report, results, blockers: report.blockers.map((b) => results[position.get(b)!]!) };
}

describe('json report text', () => {
  it('writes each result as JSON.stringify of its object (results are written by hand): same keys, order and escaping', async () => {
    const variants = [await demoReport(), await readyDemoReport(), await hostileReport()];
    for (const report of variants) {
      const text = jsonReporter(report);
      const expected = toJsonReport(report);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(arrayLines(text, 'results')).toEqual(expected.results.map((r) => `    ${JSON.stringify(r)}`));
      expect(arrayLines(text, 'blockers')).toEqual(expected.blockers.map((b) => `    ${JSON.stringify(b)}`));
    }
    // Written from the result, not from the writer's own object: what each line holds, in order, and its values.
    for (const report of variants) {
      const checks = new Map(report.checks.map((c) => [c.id, c]));
      const lines = arrayLines(jsonReporter(report), 'results').map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const [i, r] of report.results.entries()) {
        const check = checks.get(r.checkId)!;
        const ownTitle = r.title !== (r.status === 'fail' ? check.failureTitle : r.status === 'unverified' ? `Unverified: ${check.title}` : check.title);
        const ownText = r.remediation.text !== check.remediation.text;
        const keys = ['checkId', ...(ownTitle ? ['title'] : []), 'section', 'severity', 'status', 'resource', 'code', 'message', 'evidence', ...(ownText || r.remediation.command ? ['remediation'] : []), ...(r.waiver ? ['waiver'] : []), ...(r.account !== undefined ? ['account'] : [])];
        const line = lines[i]!;
        expect(Object.keys(line), `${i}`).toEqual(keys);
        expect(line).toMatchObject({ checkId: r.checkId, resource: r.resource, code: r.code, message: r.message, evidence: JSON.parse(JSON.stringify(r.evidence)) as unknown });
        if (ownTitle) expect(line.title).toBe(r.title);
        if (r.remediation.command) expect((line.remediation as { command: string }).command).toBe(r.remediation.command);
        if (ownText) expect((line.remediation as { text: string }).text).toBe(r.remediation.text);
      }
    }
    const hostile = toJsonReport(variants[2]!).results;
    for (const member of ['title', 'waiver', 'account'] as const) expect(hostile.some((r) => r[member] !== undefined), member).toBe(true);
    expect(hostile.some((r) => r.remediation?.text !== undefined && r.remediation.command !== undefined)).toBe(true);
    for (const flag of ['needsEdit', 'placeholders', 'manual'] as const) expect(hostile.some((r) => r.remediation?.[flag] !== undefined), flag).toBe(true);
  });

  it('writes an empty results array on one line', async () => {
    const report = await readyDemoReport();
    const text = jsonReporter({ ...report, results: [], blockers: [] });
    expect(text).toContain('\n  "results": [],\n');
    expect(text).toContain('\n  "blockers": [],\n');
  });
});
