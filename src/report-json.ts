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

/**
 * An array an item a line. Each line is `JSON.stringify`'s string itself, yielded between the indentation and the
 * commas rather than joined to them: at 10k resources that is ~40 MB of lines not copied once more.
 */
function* arrayMember<T>(key: string, items: readonly T[], toJson: (item: T) => unknown, comma: string): Generator<string> {
  if (items.length === 0) {
    yield `  ${JSON.stringify(key)}: []${comma}\n`;
    return;
  }
  yield `  ${JSON.stringify(key)}: [\n    `;
  const last = items.length - 1;
  for (let i = 0; i < last; i++) {
    yield JSON.stringify(toJson(items[i]!));
    yield ',\n    ';
  }
  yield JSON.stringify(toJson(items[last]!));
  yield `\n  ]${comma}\n`;
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

/**
 * A result without what its check already says: only a title or remediation text of its own is kept. What is left
 * out is undefined, which `JSON.stringify` does not write: one object of one shape per result (about 100,000 at 10k
 * resources), built without spreading optional parts into it.
 */
function jsonResult(r: Result, check: CheckInfo): JsonResult {
  const text = r.remediation.text !== check.remediation.text ? r.remediation.text : undefined;
  const command = r.remediation.command || undefined;
  return {
    checkId: r.checkId,
    title: r.title !== resultTitle(check, r.status) ? r.title : undefined,
    section: r.section,
    severity: r.severity,
    status: r.status,
    resource: r.resource,
    code: r.code,
    message: r.message,
    evidence: r.evidence,
    remediation: text !== undefined || command !== undefined ? jsonRemediation(text, command) : undefined,
    waiver: r.waiver || undefined,
    account: r.account,
  };
}

/** The command, and what a reader must know before running it: it needs edits (and where), or it is a manual step. */
function jsonRemediation(text: string | undefined, command: string | undefined): JsonResult['remediation'] {
  if (command === undefined) return { text };
  const review = reviewCommand(command);
  const edit = review.action === 'edit';
  return {
    text,
    command,
    needsEdit: edit || undefined,
    placeholders: edit && review.placeholders.length ? review.placeholders : undefined,
    manual: review.action === 'manual' || undefined,
  };
}
