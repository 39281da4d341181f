import { hash } from 'node:crypto';
import { commandNote } from '../command-review.js';
import type { CheckInfo, Report, Result, Severity } from '../model.js';
import { atLeast } from '../engine/scoring.js';
import { DEFAULT_LOCATION, type ResultLocation } from '../config/locations.js';
import { checkDocsUrl, REPOSITORY_URL } from '../version.js';
import type { ReporterOptions } from './index.js';
import { formatEffort, gateRole, verdictLabel } from './shared.js';

type Level = 'error' | 'warning' | 'note';
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0' };

/**
 * SARIF 2.1.0 for code-scanning UIs: one rule per evaluated check (from its metadata), one result per open or waived
 * finding. Levels come from the gate: `error` only for blockers, so a READY run has none; waived findings are
 * suppressed with their justification. A finding is about the environment, not a file: like Trivy's image findings,
 * it is placed in the file that asked for it (the config, at the line of the key it relates to, else line 1).
 */
export function sarifReporter(report: Report, options: ReporterOptions = {}): string {
  return [...sarifChunks(report, options)].join('');
}

/** `sarifReporter`'s text, a result at a time. */
export function* sarifChunks(report: Report, options: ReporterOptions = {}): Generator<string> {
  const location = options.location ?? DEFAULT_LOCATION;
  const open = report.results.filter((r) => r.scored && (r.status === 'fail' || r.status === 'unverified' || r.status === 'waived'));
  const checks = report.checks.filter((c) => c.scored);
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
  const rules = checks.map((check) => rule(check, report));
  const resultText = sarifResult(report, location, ruleIndex);
  const PLACE = '\u0000results\u0000';
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'readiness', version: report.tool.version, informationUri: REPOSITORY_URL, rules } },
        results: PLACE,
        properties: {
          verdict: report.verdict,
          verdictLabel: verdictLabel(report),
          score: report.score,
          gate: report.gate,
          assessment: report.scope.partial ? 'partial' : 'full',
          exitReason: report.exitReason,
          scope: report.scope,
          unusedWaivers: report.unusedWaivers,
          ...(report.accounts ? { accounts: report.accounts } : {}),
        },
      },
    ],
  };
  // The results, the part that grows with the resources, go in one by one where the placeholder stands, a line each.
  const [before, after] = `${JSON.stringify(sarif, null, 2)}\n`.split(JSON.stringify(PLACE)) as [string, string];
  if (open.length === 0) {
    yield `${before}[]${after}`;
    return;
  }
  yield `${before}[\n`;
  const last = open.length - 1;
  for (let i = 0; i < last; i++) yield `${resultText(open[i]!)},\n`;
  yield `${resultText(open[last]!)}\n`;
  yield `      ]${after}`;
}

/**
 * One result as `JSON.stringify` writes it on a line of its own, written out by hand: a report has a result per open
 * finding (tens of thousands), and what is the same for every result of a check or of the run (its rule, the config's
 * path) is written once, not serialised again for each.
 */
function sarifResult(report: Report, location: ResultLocation, ruleIndex: ReadonlyMap<string, number>): (r: Result) => string {
  const heads = new Map<string, { head: string; fingerprint: string }>();
  const ofCheck = (checkId: string) => {
    let found = heads.get(checkId);
    if (found === undefined) {
      const index = ruleIndex.get(checkId);
      const id = JSON.stringify(checkId);
      // The fingerprint "checkId/resource" is the check's quoted id without its closing quote, then the quoted resource without its opening one.
      found = { head: `        {"ruleId":${id}${index === undefined ? '' : `,"ruleIndex":${index}`},"level":"`, fingerprint: `${id.slice(0, -1)}/` };
      heads.set(checkId, found);
    }
    return found;
  };
  const toLine = `,"locations":[{"physicalLocation":{"artifactLocation":{"uri":${JSON.stringify(location.uri)}},"region":{"startLine":`;
  return (r) => {
    const { head, fingerprint } = ofCheck(r.checkId);
    const message = `${r.resource}: ${r.message}${r.status === 'unverified' ? ' (unverified)' : ''}${fixLine(r)}`;
    const resource = JSON.stringify(r.resource);
    let text = `${head}${resultLevel(report, r)}","message":{"text":${JSON.stringify(message)}}${toLine}${location.line(r)}}},"logicalLocations":[{"name":${resource},"kind":"resource"}]}],"partialFingerprints":{"resource":${fingerprint}${resource.slice(1)},"primaryLocationLineHash":"${findingHash(r)}"}`;
    if (r.account !== undefined) text += `,"properties":{"account":${JSON.stringify(r.account)}}`;
    if (r.status === 'waived' && r.waiver) {
      text += `,"suppressions":[{"kind":"external","status":"accepted","justification":${JSON.stringify(`${r.waiver.reason} — ${r.waiver.approvedBy}, until ${r.waiver.expires}`)}}]`;
    }
    return `${text}}`;
  };
}

/** This resource's fix command (the rule's help says what to do; the command names the resource), with its note when it cannot run as shown. */
function fixLine(r: Result): string {
  const command = r.remediation.command;
  if (!command) return '';
  const note = commandNote(command);
  return `\nFix: ${command}${note ? `\n${note}` : ''}`;
}

/** A rule from the check's own metadata (never from a result's words), its default level from the gate. */
function rule(check: CheckInfo, report: Report) {
  const helpUri = checkDocsUrl(check.id);
  const citations = check.hipaa.map((c) => `45 CFR § ${c}`);
  const effort = check.remediation.effortLabel ?? formatEffort(check.remediation.effortMinutes);
  const text = [
    check.risk,
    `Fix: ${check.remediation.text} (effort: ${effort}).`,
    ...(citations.length ? [`HIPAA: ${citations.join('; ')}.`] : []),
    `Severity: ${check.severity}. More: ${helpUri}`,
  ].join('\n\n');
  const markdown = [
    `**${check.title}**`,
    check.risk,
    `**Fix**: ${check.remediation.text} (effort: ${effort}).`,
    ...(citations.length ? [`**HIPAA**: ${citations.join('; ')}`] : []),
    `**Severity**: ${check.severity} · **Section**: ${check.section} · **Layer**: ${check.layer}`,
    `[${check.id}](${helpUri})`,
  ].join('\n\n');
  return {
    id: check.id,
    name: check.id,
    shortDescription: { text: check.title },
    fullDescription: { text: check.risk },
    help: { text, markdown },
    helpUri,
    defaultConfiguration: { level: severityLevel(check.severity, report) },
    properties: {
      tags: ['security', 'hipaa', check.section, check.layer, ...citations],
      'security-severity': SECURITY_SEVERITY[check.severity],
      precision: 'high',
      problem: { severity: check.severity },
    },
  };
}

/** At or above the gate's fail-on: an error; else a warning, a note for low. */
function severityLevel(severity: Severity, report: Report): Level {
  if (atLeast(severity, report.gate.failOn)) return 'error';
  return severity === 'low' ? 'note' : 'warning';
}

/** Blockers are errors; what failed the gate through the score, a warning; what the gate let through or a waiver closed, a note or warning below it. */
function resultLevel(report: Report, r: Result): Level {
  if (r.status === 'waived') return 'note';
  const role = gateRole(report, r);
  if (role === 'blocker') return 'error';
  if (role === 'score') return 'warning';
  return r.severity === 'low' ? 'note' : 'warning';
}

/**
 * Code scanning matches alerts across runs by this fingerprint. A finding is a check on a resource, whatever its
 * message says or wherever its line is, so the hash is of those two alone (":1", GitHub's occurrence suffix).
 */
function findingHash(r: Result): string {
  return `${hash('sha256', `${r.checkId}\u0000${r.resource}`, 'hex').slice(0, 16)}:1`;
}
