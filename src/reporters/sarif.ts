import type { Report, Result, Severity } from '../model.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0' };

/** SARIF 2.1.0 for code-scanning UIs: one rule per check, one result per open or waived finding. */
export function sarifReporter(report: Report): string {
  const open = report.results.filter((r) => r.scored && (r.status === 'fail' || r.status === 'unverified' || r.status === 'waived'));
  const checkIds = [...new Set(report.results.map((r) => r.checkId))];
  const rules = checkIds.map((id) => {
    const first = report.results.find((r) => r.checkId === id)!;
    return {
      id,
      name: id,
      shortDescription: { text: first.title },
      help: { text: `${first.remediation.text}${first.remediation.command ? `\n\n${first.remediation.command}` : ''}` },
      properties: { tags: ['hipaa', first.section, ...first.hipaa.map((c) => `45CFR${c}`)], 'security-severity': SECURITY_SEVERITY[first.severity] },
    };
  });
  const results = open.map((r: Result) => ({
    ruleId: r.checkId,
    ruleIndex: checkIds.indexOf(r.checkId),
    level: LEVEL[r.severity],
    message: { text: `${r.resource}: ${r.message}${r.status === 'unverified' ? ' (unverified)' : ''}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: 'readiness.config.yaml' } }, logicalLocations: [{ name: r.resource, kind: 'resource' }] }],
    partialFingerprints: { resource: `${r.checkId}/${r.resource}` },
    ...(r.status === 'waived' && r.waiver
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${r.waiver.reason} — ${r.waiver.approvedBy}, until ${r.waiver.expires}` }] }
      : {}),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'readiness', version: report.tool.version, rules } }, results, properties: { verdict: report.verdict, score: report.score, exitReason: report.exitReason, scope: report.scope, unusedWaivers: report.unusedWaivers } }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
