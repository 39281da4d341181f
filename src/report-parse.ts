import type { CheckInfo, Report, Result } from './model.js';
import { resultTitle } from './model.js';
import { reportSchema, reportSchemaV1, type JsonReport, type JsonReportV1 } from './report-schema.js';

/**
 * A JSON report read back (`diff`, `--baseline`): validated against its schema (src/report-schema.ts, which loads
 * zod: writing a report, src/report-json.ts, needs neither), as the `Report` it was written from.
 */

export type ParsedReport = { ok: true; report: Report } | { ok: false; path: string; message: string };

/** A JSON report of this version (2) or the first (1), validated, as the `Report` it was written from. */
export function parseJsonReport(json: unknown): ParsedReport {
  const v1 = (json as { schemaVersion?: unknown } | null)?.schemaVersion === 1;
  const parsed = v1 ? reportSchemaV1.safeParse(json) : reportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, path: issue.path.join('.') || '(root)', message: issue.message };
  }
  return v1 ? { ok: true, report: fromV1(parsed.data as JsonReportV1) } : fromV2(parsed.data as JsonReport);
}

function fromV2(json: JsonReport): ParsedReport {
  const checks = new Map(json.checks.map((c) => [c.id, c]));
  const results: Result[] = [];
  for (const [i, r] of json.results.entries()) {
    const check = checks.get(r.checkId);
    if (!check) return { ok: false, path: `results.${i}.checkId`, message: `no check "${r.checkId}" in checks` };
    const { title: ownTitle, remediation, waiver, ...own } = r;
    results.push({
      ...own,
      title: ownTitle ?? resultTitle(check, r.status),
      risk: check.risk,
      layer: check.layer,
      hipaa: check.hipaa,
      phase: check.phase,
      remediation: {
        text: remediation?.text ?? check.remediation.text,
        ...(remediation?.command !== undefined ? { command: remediation.command } : {}),
        effortMinutes: check.remediation.effortMinutes,
        ...(check.remediation.effortLabel !== undefined ? { effortLabel: check.remediation.effortLabel } : {}),
        ...(check.remediation.waitDays !== undefined ? { waitDays: check.remediation.waitDays } : {}),
      },
      ...(waiver ? { waiver } : {}),
      scored: check.scored,
    });
  }
  const outOfRange = json.blockers.findIndex((i) => i >= results.length);
  if (outOfRange >= 0) return { ok: false, path: `blockers.${outOfRange}`, message: `no result ${json.blockers[outOfRange]}` };
  return { ok: true, report: { ...json, results, blockers: json.blockers.map((i) => results[i]!) } };
}

/** A first-version report: its results are whole; the checks table is read back from them. */
function fromV1(json: JsonReportV1): Report {
  const checks = [...Map.groupBy(json.results, (r) => r.checkId).values()].map((group): CheckInfo => {
    const first = group[0]!;
    const plain = group.find((r) => r.status !== 'fail' && r.status !== 'unverified' && !r.waiver);
    const failing = group.find((r) => r.status === 'fail');
    const unverified = group.find((r) => r.status === 'unverified');
    const title = plain?.title ?? unverified?.title.replace(/^Unverified: /, '') ?? first.title;
    const { effortMinutes, effortLabel, waitDays } = first.remediation;
    return {
      id: first.checkId,
      title,
      failureTitle: failing?.title ?? title,
      risk: first.risk,
      section: first.section,
      severity: first.severity,
      layer: first.layer,
      hipaa: first.hipaa,
      phase: first.phase,
      remediation: { text: (plain ?? failing ?? first).remediation.text, effortMinutes, ...(effortLabel !== undefined ? { effortLabel } : {}), ...(waitDays !== undefined ? { waitDays } : {}) },
      scored: first.scored,
    };
  });
  return { ...json, schemaVersion: 2, checks };
}
