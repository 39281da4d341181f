import { selectChecks } from '../engine/select.js';
import { configuredCatalog } from './setup.js';

export async function runList(options: { section?: string[] | undefined; json?: boolean | undefined; config?: string | undefined }): Promise<string> {
  const catalog = await configuredCatalog(options.config);
  const checks = selectChecks(catalog.checks, { sections: options.section });
  if (options.json) return `${JSON.stringify(checks.map((c) => ({ ...c.meta, ...(catalog.sources.has(c.meta.id) ? { source: catalog.sources.get(c.meta.id) } : {}) })), null, 2)}\n`;
  const width = Math.max(...checks.map((c) => c.meta.id.length));
  return `${checks.map((c) => `${c.meta.id.padEnd(width)}  ${c.meta.severity.padEnd(8)}  ${c.meta.title}`).join('\n')}\n`;
}
