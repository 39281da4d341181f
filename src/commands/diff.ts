import { diffReports, formatDiff } from '../diff.js';
import { UsageError } from '../errors.js';
import type { Report } from '../model.js';
import { MAX_DATA_BYTES, readFailure, readInputFile } from '../read-input.js';
import { parseJsonReport } from '../report-parse.js';

/** diff: what got worse and what got fixed between two JSON reports; exit 1 on any regression. */
export async function runDiff(before: string, after: string, options: { json?: boolean }): Promise<number> {
  const diff = diffReports(await readReport(before), await readReport(after));
  process.stdout.write(options.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
  return diff.regressions.length ? 1 : 0;
}

export async function readReport(file: string): Promise<Report> {
  let json: unknown;
  try {
    json = JSON.parse(await readInputFile(file, MAX_DATA_BYTES));
  } catch (error) {
    throw new UsageError(`${file}: cannot read a JSON report (${oneLine(readFailure(error))})`);
  }
  // This version's reports and the first version's (schemaVersion 1), so a baseline from before an upgrade still compares.
  const parsed = parseJsonReport(json);
  if (!parsed.ok) throw new UsageError(`${file}: not a readiness JSON report: ${parsed.path}: ${parsed.message}`);
  return parsed.report;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
