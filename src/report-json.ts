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
  const { results, blockers, ...rest } = report;
  const keys = Object.keys(rest).length + 2;
  let written = 0;
  yield '{\n';
  for (const [key, value] of Object.entries(report)) {
    const comma = ++written < keys ? ',' : '';
    if (key === 'results') yield* resultLines(report, comma);
    else if (key === 'blockers') yield* arrayMember(key, blockerIndexes(report), comma);
    else if (value !== undefined) yield `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}${comma}\n`;
  }
  yield '}\n';
}

function* arrayMember(key: string, items: readonly unknown[], comma: string): Generator<string> {
  if (items.length === 0) {
    yield `  ${JSON.stringify(key)}: []${comma}\n`;
    return;
  }
  yield `  ${JSON.stringify(key)}: [\n`;
  const last = items.length - 1;
  for (let i = 0; i <= last; i++) yield `    ${JSON.stringify(items[i])}${i < last ? ',' : ''}\n`;
  yield `  ]${comma}\n`;
}

/** `results`, a line per result: the text of `JSON.stringify(jsonResult(…))`, written without building that object. */
function* resultLines({ results, checks }: Report, comma: string): Generator<string> {
  if (results.length === 0) {
    yield `  "results": []${comma}\n`;
    return;
  }
  yield '  "results": [\n';
  const line = resultLine(checks);
  const last = results.length - 1;
  for (let i = 0; i < last; i++) yield `${line(results[i]!)},\n`;
  yield `${line(results[last]!)}\n`;
  yield `  ]${comma}\n`;
}

interface CheckText {
  check: CheckInfo;
  /** `    {"checkId":"…"`: how every line of the check starts. */
  head: string;
  /** Its result title by status (a result's own title is written only when it differs). */
  titles: Record<'fail' | 'unverified' | 'other', string>;
}

/**
 * A result's line, as `JSON.stringify` writes `jsonResult`'s object (same keys, same order, same escaping): a report
 * has a line per result (about 100,000 at 10k resources), and building an object per line only to serialise it cost
 * as much as the serialising. What repeats (a check's head, the values of `section`, `severity`, `status`, `code`) is
 * quoted once.
 */
function resultLine(checks: readonly CheckInfo[]): (r: Result) => string {
  const byId = new Map<string, CheckText>();
  for (const check of checks) {
    const titles = { fail: resultTitle(check, 'fail'), unverified: resultTitle(check, 'unverified'), other: resultTitle(check, 'pass') };
    byId.set(check.id, { check, head: `    {"checkId":${JSON.stringify(check.id)}`, titles });
  }
  const quoted = new Map<string, string>();
  const quote = (value: string) => {
    let text = quoted.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      if (quoted.size < MAX_QUOTED) quoted.set(value, text);
    }
    return text;
  };
  return (r) => {
    const { check, head, titles } = byId.get(r.checkId)!;
    const title = r.status === 'fail' ? titles.fail : r.status === 'unverified' ? titles.unverified : titles.other;
    let line = r.title !== title ? `${head},"title":${JSON.stringify(r.title)}` : head;
    line += `,"section":${quote(r.section)},"severity":${quote(r.severity)},"status":${quote(r.status)},"resource":${JSON.stringify(r.resource)},"code":${quote(r.code)},"message":${JSON.stringify(r.message)},"evidence":${JSON.stringify(r.evidence)}`;
    const { text, command } = r.remediation;
    const ownText = text !== check.remediation.text && text !== undefined;
    if (ownText || command) {
      line += ownText ? `,"remediation":{"text":${JSON.stringify(text)}${command ? `,"command":${JSON.stringify(command)}${commandFlagsText(command)}` : ''}}` : `,"remediation":{"command":${JSON.stringify(command)}${commandFlagsText(command!)}}`;
    }
    if (r.waiver) line += `,"waiver":${JSON.stringify(r.waiver)}`;
    if (r.account !== undefined) line += `,"account":${JSON.stringify(r.account)}`;
    return `${line}}`;
  };
}

/** Values repeat (a check's codes, the sections, the statuses): past this many distinct ones, they are quoted each time. */
const MAX_QUOTED = 10_000;

/** `commandFlags`'s members, as they follow `"command":…` in a line. */
function commandFlagsText(command: string): string {
  const review = reviewCommand(command);
  if (review.action === 'edit') return review.placeholders.length ? `,"needsEdit":true,"placeholders":${JSON.stringify(review.placeholders)}` : ',"needsEdit":true';
  return review.action === 'manual' ? ',"manual":true' : '';
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
