import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { demoReport } from '../support/demo.js';

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } }; logicalLocations: { name: string }[] }[];
  partialFingerprints?: Record<string, string>;
}

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
