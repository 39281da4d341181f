import type { Report } from '../model.js';
import { jsonChunks } from '../report-json.js';

/** The versioned JSON contract (schema/report.schema.json). */
export function jsonReporter(report: Report): string {
  return [...jsonChunks(report)].join('');
}
