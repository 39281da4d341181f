import { createHash } from 'node:crypto';
import { commandNote } from '../command-review.js';
import type { Report, Result, Severity } from '../model.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0' };

/** SARIF 2.1.0 for code-scanning UIs: one rule per check, one result per open or waived finding. */
export function sarifReporter(report: Report): string {
  return [...sarifChunks(report)].join('');
}

/** `sarifReporter`'s text, a result at a time. */
export function* sarifChunks(report: Report): Generator<string> {
  const open = report.results.filter((r) => r.scored && (r.status === 'fail' || r.status === 'unverified' || r.status === 'waived'));
  const firstOf = new Map<string, Result>();
  for (const r of report.results) if (!firstOf.has(r.checkId)) firstOf.set(r.checkId, r);
  const ruleIndex = new Map([...firstOf.keys()].map((id, i) => [id, i]));
  const rules = [...firstOf.entries()].map(([id, first]) => ({
    id,
    name: id,
    shortDescription: { text: first.title },
    help: { text: helpText(first) },
    properties: { tags: ['hipaa', first.section, ...first.hipaa.map((c) => `45CFR${c}`)], 'security-severity': SECURITY_SEVERITY[first.severity] },
  }));
  const result = (r: Result) => ({
    ruleId: r.checkId,
    ruleIndex: ruleIndex.get(r.checkId)!,
    level: LEVEL[r.severity],
    message: { text: `${r.resource}: ${r.message}${r.status === 'unverified' ? ' (unverified)' : ''}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: 'readiness.config.yaml' }, region: { startLine: 1 } }, logicalLocations: [{ name: r.resource, kind: 'resource' }] }],
    partialFingerprints: { resource: `${r.checkId}/${r.resource}`, primaryLocationLineHash: findingHash(r) },
    ...(r.status === 'waived' && r.waiver
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${r.waiver.reason} — ${r.waiver.approvedBy}, until ${r.waiver.expires}` }] }
      : {}),
  });
  const PLACE = '\u0000results\u0000';
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'readiness', version: report.tool.version, rules } }, results: PLACE, properties: { verdict: report.verdict, score: report.score, exitReason: report.exitReason, scope: report.scope, unusedWaivers: report.unusedWaivers } }],
  };
  // The results, the part that grows with the resources, go in one by one where the placeholder stands.
  const [before, after] = `${JSON.stringify(sarif, null, 2)}\n`.split(JSON.stringify(PLACE)) as [string, string];
  if (open.length === 0) {
    yield `${before}[]${after}`;
    return;
  }
  yield `${before}[\n`;
  const indent = '        ';
  for (let i = 0; i < open.length; i++) yield `${indent}${JSON.stringify(result(open[i]!), null, 2).replaceAll('\n', `\n${indent}`)}${i < open.length - 1 ? ',' : ''}\n`;
  yield `      ]${after}`;
}

/** The rule's fix: the text, then the command, said first to need edits or to be a manual step when it is. */
function helpText(first: Result): string {
  const command = first.remediation.command;
  if (!command) return first.remediation.text;
  const note = commandNote(command);
  return `${first.remediation.text}\n\n${note ? `${note}\n` : ''}${command}`;
}

/**
 * Code scanning matches alerts across runs by this fingerprint. A finding is a check on a resource, whatever its
 * message says or wherever its line is, so the hash is of those two alone (":1", GitHub's occurrence suffix).
 */
function findingHash(r: Result): string {
  return `${createHash('sha256').update(`${r.checkId}\u0000${r.resource}`).digest('hex').slice(0, 16)}:1`;
}
