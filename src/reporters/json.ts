import type { Report } from '../model.js';

/** The versioned JSON contract (schema/report.schema.json). */
export function jsonReporter(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
