import { resolve } from 'node:path';
import { readBuiltinMetadata, type BuiltinMetadata } from '../builtin-metadata.js';
import { findConfigFile, mayAddChecks } from '../config/find.js';
import { selectChecks } from '../engine/select.js';
import { loadZod } from '../zod.js';

type ListOptions = { section?: string[] | undefined; json?: boolean | undefined; config?: string | undefined };
type Listed = { meta: { id: string; severity: string; title: string; section: string }; source?: string | undefined };

/** The checks, built-in and those the config adds; `builtins` stands for the build's metadata of the built-ins (tests). */
export async function runList(options: ListOptions, builtins?: BuiltinMetadata): Promise<string> {
  const config = options.config ? resolve(options.config) : findConfigFile(process.cwd());
  if (!config || !(await mayAddChecks(config))) {
    // The built-ins alone: their metadata from the build, or (running from source) the checks themselves.
    const metadata = builtins ?? (await readBuiltinMetadata());
    if (metadata) return listText(metadata.checks, options);
    // A check's `meta` holds its options' schema, made with zod.
    await loadZod();
    return listText((await import('../../checks/index.js')).allChecks, options);
  }
  const { configuredCatalog } = await import('./setup.js');
  const catalog = await configuredCatalog(config);
  return listText(
    catalog.checks.map((check) => ({ meta: check.meta, source: catalog.sources.get(check.meta.id) })),
    options,
  );
}

function listText(all: readonly Listed[], options: ListOptions): string {
  const checks = selectChecks(all, { sections: options.section });
  if (options.json) return `${JSON.stringify(checks.map((c) => ({ ...c.meta, ...(c.source !== undefined ? { source: c.source } : {}) })), null, 2)}\n`;
  const width = Math.max(...checks.map((c) => c.meta.id.length));
  return `${checks.map((c) => `${c.meta.id.padEnd(width)}  ${c.meta.severity.padEnd(8)}  ${c.meta.title}`).join('\n')}\n`;
}
