import { reviewCommand } from './command-review.js';
import type { CheckInfo, Report, Result } from './model.js';
import { resultTitle } from './model.js';
import type { JsonReport, JsonResult } from './report-schema.js';

/**
 * The JSON report (schemaVersion 2); src/report-parse.ts reads one back. Check-level text (risk, citations, remediation) is written once per
 * check in `checks`, as SARIF keeps its rules; a result keeps only what is its own; blockers are indexes into
 * `results`. In memory every result stays whole, so reporters and `diff` read the same `Report` either way.
 */

/**
 * The JSON report in pieces (a 100k-resource report never has to be one string): pretty-printed, except that each
 * result and blocker is one line, which keeps a diff of two reports one line per changed result and the file a third smaller.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  const { results, blockers, ...rest } = report;
  const keys = Object.keys(rest).length + 2;
  let written = 0;
  yield '{\n';
  for (const [key, value] of Object.entries(report)) {
    const comma = ++written < keys ? ',' : '';
    if (key === 'results') yield* arrayMember(key, results, (r) => jsonResult(r, checks.get(r.checkId)!), comma);
    else if (key === 'blockers') yield* arrayMember(key, blockerIndexes(report), (i) => i, comma);
    else if (value !== undefined) yield `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}${comma}\n`;
  }
  yield '}\n';
}

function* arrayMember<T>(key: string, items: readonly T[], toJson: (item: T) => unknown, comma: string): Generator<string> {
  if (items.length === 0) {
    yield `  ${JSON.stringify(key)}: []${comma}\n`;
    return;
  }
  yield `  ${JSON.stringify(key)}: [\n`;
  const last = items.length - 1;
  for (let i = 0; i <= last; i++) yield `    ${JSON.stringify(toJson(items[i]!))}${i < last ? ',' : ''}\n`;
  yield `  ]${comma}\n`;
}

/** The whole JSON report as one object (what `jsonChunks` writes, piece by piece). */
export function toJsonReport(report: Report): JsonReport {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  return {
    ...report,
    results: report.results.map((r) => jsonResult(r, checks.get(r.checkId)!)),
    blockers: blockerIndexes(report),
  };
}

/** Where each blocker is in `results` (a blocker is a result): only the blockers are looked for, not every result indexed. */
function blockerIndexes({ results, blockers }: Report): number[] {
  const wanted = new Set(blockers);
  const position = new Map<Result, number>();
  for (let i = 0; i < results.length; i++) if (wanted.has(results[i]!)) position.set(results[i]!, i);
  return blockers.map((b) => position.get(b)!);
}

/** A result without what its check already says: only a title or remediation text of its own is kept. */
function jsonResult(r: Result, check: CheckInfo): JsonResult {
  const remediation = {
    ...(r.remediation.text !== check.remediation.text ? { text: r.remediation.text } : {}),
    ...(r.remediation.command ? { command: r.remediation.command, ...commandFlags(r.remediation.command) } : {}),
  };
  return {
    checkId: r.checkId,
    ...(r.title !== resultTitle(check, r.status) ? { title: r.title } : {}),
    section: r.section,
    severity: r.severity,
    status: r.status,
    resource: r.resource,
    code: r.code,
    message: r.message,
    evidence: r.evidence,
    ...(remediation.text !== undefined || remediation.command !== undefined ? { remediation } : {}),
    ...(r.waiver ? { waiver: r.waiver } : {}),
    ...(r.account !== undefined ? { account: r.account } : {}),
  };
}

/** What a reader must know before running the command: it needs edits (and where), or it is a manual step. */
function commandFlags(command: string): { needsEdit?: true; placeholders?: string[]; manual?: true } {
  const review = reviewCommand(command);
  if (review.action === 'edit') return { needsEdit: true, ...(review.placeholders.length ? { placeholders: review.placeholders } : {}) };
  return review.action === 'manual' ? { manual: true } : {};
}
