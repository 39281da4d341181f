import type { Report, Result, Severity } from '../model.js';
import type { ReporterOptions } from './index.js';
import { DEFAULT_LOCATION, type ResultLocation } from '../config/locations.js';
import { commandNote } from '../command-review.js';
import { accountRows, blockerSet, formatScore, isOpen, scopeNotes, verdictLabel } from './shared.js';

/** GitHub shows at most this many error, and this many warning, annotations per step. */
export const ANNOTATIONS_PER_LEVEL = 10;
/** Resources named in one annotation; the rest are counted, and listed in the full report. */
const RESOURCES_PER_ANNOTATION = 5;
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

interface CheckFindings {
  checkId: string;
  severity: Severity;
  results: Result[];
}

/**
 * GitHub Actions workflow commands: one annotation per open check (errors for the checks with blockers, first),
 * within GitHub's 10 errors and 10 warnings per step, then the scope notes and one summary notice.
 */
export function githubReporter(report: Report, options: ReporterOptions = {}): string {
  const blockers = blockerSet(report);
  const byCheck = new Map<string, CheckFindings>();
  for (const r of report.results) {
    if (!isOpen(r) || !r.scored) continue;
    let found = byCheck.get(r.checkId);
    if (!found) byCheck.set(r.checkId, (found = { checkId: r.checkId, severity: r.severity, results: [] }));
    found.results.push(r);
  }
  const bySeverity = (a: CheckFindings, b: CheckFindings) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  const errors: CheckFindings[] = [];
  const warnings: CheckFindings[] = [];
  for (const c of byCheck.values()) (c.results.some((r) => blockers.has(r)) ? errors : warnings).push(c);
  errors.sort(bySeverity);
  warnings.sort(bySeverity);
  const location = options.location ?? DEFAULT_LOCATION;
  const lines = [...annotations('error', errors, 'blocking checks', location), ...annotations('warning', warnings, 'open checks', location)];
  for (const note of scopeNotes(report)) lines.push(`::notice title=readiness scope::${escapeData(note)}`);
  for (const a of accountRows(report)) lines.push(`::notice title=${escapeProperty(`readiness ${a.label}`)}::${escapeData(`${a.score} (${a.band}): ${a.counts.pass} passed, ${a.counts.fail} failed, ${a.counts.unverified} unverified; ${a.sections}`)}`);
  lines.push(`::notice title=readiness::${escapeData(summary(report, errors.length, warnings.length, options.reportLocation))}`);
  return `${lines.join('\n')}\n`;
}

/** One annotation per check; past the limit, the last annotation names every check left (none is lost). */
function annotations(level: 'error' | 'warning', checks: CheckFindings[], what: string, location: ResultLocation): string[] {
  const shown = checks.length > ANNOTATIONS_PER_LEVEL ? checks.slice(0, ANNOTATIONS_PER_LEVEL - 1) : checks;
  const file = escapeProperty(location.uri);
  // One annotation per check, at the line of its first resource's key.
  const lines = shown.map((c) => `::${level} file=${file},line=${location.line(c.results[0]!)},title=${escapeProperty(`${c.checkId} (${c.severity})`)}::${escapeData(checkMessage(c))}`);
  const rest = checks.slice(shown.length);
  if (rest.length) {
    const message = `${rest.length} more ${what}: ${rest.map((c) => `${c.checkId} (${c.severity}, ${plural(c.results.length, 'resource')})`).join(', ')}`;
    lines.push(`::${level} file=${file},line=1,title=${escapeProperty(`${rest.length} more ${what}`)}::${escapeData(message)}`);
  }
  return lines;
}

function checkMessage(check: CheckFindings): string {
  const listed = check.results.slice(0, RESOURCES_PER_ANNOTATION).map((r) => `${r.resource}: ${r.message}${r.status === 'unverified' ? ' (unverified)' : ''}`);
  const more = check.results.length - listed.length;
  if (more > 0) listed.push(`… and ${plural(more, 'more resource')} (see the full report)`);
  const command = onlyCommand(check.results);
  const note = command === undefined ? undefined : commandNote(command);
  const fix = command === undefined ? `Fix: ${check.results[0]!.remediation.text}` : `Fix${note ? ` (${note})` : ''}: ${command}`;
  return `${listed.join('\n')}\n${fix}`;
}

/** The fix command when the results share one (most checks name the resource in theirs: the search stops at a second). */
function onlyCommand(results: readonly Result[]): string | undefined {
  let found: string | undefined;
  for (const r of results) {
    const command = r.remediation.command;
    if (!command || command === found) continue;
    if (found !== undefined) return undefined;
    found = command;
  }
  return found;
}

function summary(report: Report, errors: number, warnings: number, reportLocation: string | undefined): string {
  const counts = Object.entries(report.summary).map(([status, count]) => `${count} ${status.replace('_', ' ')}`).join(', ');
  const verdict = verdictLabel(report);
  return `${verdict} ${formatScore(report.score)} (gate ${report.gate.minScore}%): ${plural(report.blockers.length, 'blocker')} in ${plural(errors, 'check')}, ${plural(warnings, 'other open check')}; results: ${counts}. Full report: ${reportLocation ?? 'run with --out DIR to write it'}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
