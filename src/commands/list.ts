import { allChecks } from '../../checks/index.js';
import { selectChecks } from '../engine/select.js';

export function runList(options: { section?: string[] | undefined; json?: boolean | undefined }): string {
  const checks = selectChecks(allChecks, { sections: options.section });
  if (options.json) return `${JSON.stringify(checks.map((c) => c.meta), null, 2)}\n`;
  const width = Math.max(...checks.map((c) => c.meta.id.length));
  return `${checks.map((c) => `${c.meta.id.padEnd(width)}  ${c.meta.severity.padEnd(8)}  ${c.meta.title}`).join('\n')}\n`;
}
