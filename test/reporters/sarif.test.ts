import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { allChecks } from '../../checks/index.js';
import { demoReport, readyDemoReport } from '../support/demo.js';

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity': string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  suppressions?: { kind: string; justification: string }[];
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } }; logicalLocations: { name: string }[] }[];
  partialFingerprints?: Record<string, string>;
}

const sarif = (report: Report) => JSON.parse(sarifReporter(report)) as { runs: { results: SarifResult[]; tool: { driver: { rules: SarifRule[] } }; properties: Record<string, unknown> }[] };
const results = (report: Report): SarifResult[] => (JSON.parse(sarifReporter(report)) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
const fingerprint = (r: SarifResult) => r.partialFingerprints?.primaryLocationLineHash;

describe('sarif reporter, as GitHub code scanning reads it', () => {
  it('every result has a region with a start line', async () => {
    const all = results(await demoReport());
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) expect(r.locations[0]!.physicalLocation.region?.startLine, r.ruleId).toBeGreaterThanOrEqual(1);
  });

  it('primaryLocationLineHash is the finding\'s identity: one per check and resource, the same across runs and wordings', async () => {
    const report = await demoReport();
    const first = results(report);
    const identities = new Set(first.map((r) => `${r.ruleId}\u0000${r.locations[0]!.logicalLocations[0]!.name}`));
    expect(new Set(first.map(fingerprint)).size).toBe(identities.size);
    for (const r of first) expect(fingerprint(r), r.ruleId).toMatch(/^[0-9a-f]{16}:1$/);
    // Another run whose messages changed (facts read later, new wording) keeps every finding's fingerprint.
    const reworded = results({ ...report, results: report.results.map((r) => ({ ...r, message: `${r.message} (re-read)` })) });
    expect(reworded.map(fingerprint)).toEqual(first.map(fingerprint));
    // A different resource is a different finding.
    const renamed = results({ ...report, results: report.results.map((r) => ({ ...r, resource: `${r.resource}-2` })) });
    for (let i = 0; i < first.length; i++) expect(fingerprint(renamed[i]!)).not.toBe(fingerprint(first[i]!));
  });
});

describe('sarif rules and levels', () => {
  it('has one rule per evaluated scored check, written from its metadata, not from a result', async () => {
    const report = await demoReport();
    const run = sarif(report).runs[0]!;
    const rules = run.tool.driver.rules;
    const scored = allChecks.filter((c) => c.meta.scored !== false);
    expect(rules.map((r) => r.id)).toEqual(scored.map((c) => c.meta.id));
    for (const check of scored) {
      const rule = rules.find((r) => r.id === check.meta.id)!;
      // A failing result's title is the failure title: the rule keeps the check's own.
      expect(rule.shortDescription.text).toBe(check.meta.title);
      expect(rule.fullDescription.text).toBe(check.meta.description);
      expect(rule.help.text).toContain(check.meta.remediation.text);
      expect(rule.help.markdown).toContain(`**Fix**: ${check.meta.remediation.text}`);
      expect(rule.helpUri).toMatch(new RegExp(`/docs/checks/${check.meta.id.replaceAll('.', '\\.')}\\.md$`));
      expect(rule.defaultConfiguration.level).toBe(check.meta.severity === 'critical' ? 'error' : check.meta.severity === 'low' ? 'note' : 'warning');
      for (const citation of check.meta.hipaa) {
        expect(rule.properties.tags).toContain(`45 CFR § ${citation}`);
        expect(rule.help.markdown).toContain(citation);
      }
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    // Every result points at its own rule.
    for (const r of run.results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('leaves no placeholder unfilled anywhere', async () => {
    const text = sarifReporter(await demoReport());
    expect(text).not.toContain('{{');
    expect(sarifReporter(await readyDemoReport())).not.toContain('{{');
  });

  it('takes levels from the gate: a READY run has no error, its waived finding is suppressed with the justification', async () => {
    const report = await readyDemoReport();
    const all = results(report);
    expect(all.length).toBeGreaterThan(1);
    expect(all.filter((r) => r.level === 'error')).toEqual([]);
    const waived = all.filter((r) => r.suppressions);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.suppressions![0]!.justification).toBe('moving in Q1 — cto@example.com, until 2026-06-30');
    expect(waived[0]!.level).toBe('note');
  });

  it('in a NOT READY run, blockers and only blockers are errors', async () => {
    const report = await demoReport();
    const errors = results(report).filter((r) => r.level === 'error');
    expect(errors.map((r) => `${r.ruleId} ${r.locations[0]!.logicalLocations[0]!.name}`).sort()).toEqual(report.blockers.map((b) => `${b.checkId} ${b.resource}`).sort());
  });
});

type SarifLog = { runs: [{ results: unknown[] } & Record<string, unknown>] } & Record<string, unknown>;

/** The file's layout: `JSON.stringify(…, null, 2)`, except that each result is one line, compact (a diff stays a line per finding). */
function sarifLayout(sarif: SarifLog): string {
  const place = '\u0000results\u0000';
  const run = sarif.runs[0];
  const [before, after] = `${JSON.stringify({ ...sarif, runs: [{ ...run, results: place }] }, null, 2)}\n`.split(JSON.stringify(place)) as [string, string];
  if (run.results.length === 0) return `${before}[]${after}`;
  return `${before}[\n${run.results.map((r) => `        ${JSON.stringify(r)}`).join(',\n')}\n      ]${after}`;
}

describe('sarif text', () => {
  it('is laid out as JSON.stringify(…, null, 2), each result on a line of its own (results are written by hand): with waivers, accounts and hostile names', async () => {
    const report = await readyDemoReport();
    const hostile = ['a"b\\c', 'line\nbreak\t\u0007', '\udc00😀 é \u2028\ud800', '<x> & </script>'];
    const results = report.results.map((r, i) => ({ ...r, resource: `${r.resource}${hostile[i % 4]}`, message: `${r.message}${hostile[(i + 1) % 4]}`, ...(i % 2 ? { account: `acct-${hostile[i % 4]}` } : {}) }));
    const position = new Map(report.results.map((r, i) => [r, i]));
    const variants: Report[] = [report, { ...report, results, blockers: report.blockers.map((b) => results[position.get(b)!]!) }, await demoReport(), { ...report, results: [], blockers: [] }];
    for (const variant of variants) {
      const text = sarifReporter(variant, { location: { uri: 'ops/"readiness".yaml', line: (r) => r.resource.length } });
      expect(text).toBe(sarifLayout(JSON.parse(text) as SarifLog));
    }
    expect(results.some((r) => r.status === 'waived' && r.waiver && r.account)).toBe(true);
  });
});
