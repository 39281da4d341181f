import { UsageError } from '../errors.js';
import { readBuiltinMetadata, type BuiltinMetadata } from '../builtin-metadata.js';
import { checkText, type CheckDoc } from '../check-text.js';
import type { AnyCheck } from '../model.js';
import { loadZod } from '../zod.js';

/** The folder of checks/ each id prefix lives in: a check is the file `checks/<folder>/<id>.ts`. */
const FOLDERS: Record<string, string> = {
  aws: 'aws',
  supabase: 'supabase',
  app: 'application',
  domain: 'domain',
  monitoring: 'monitoring',
  compliance: 'compliance',
  info: 'info',
};

/** One check by id, loading only its own module (not the catalog's 72): `explain` starts like a bare `node`. */
export async function loadCheck(id: string, config?: string): Promise<{ check: AnyCheck; source?: string | undefined } | undefined> {
  const builtin = await loadBuiltinCheck(id);
  if (builtin) return { check: builtin };
  // Not a built-in's file: the catalog, with the checks the config's plugins add.
  const { configuredCatalog } = await import('./setup.js');
  const catalog = await configuredCatalog(config);
  const check = catalog.checks.find((c) => c.meta.id === id);
  return check ? { check, source: catalog.sources.get(id) } : undefined;
}

async function loadBuiltinCheck(id: string): Promise<AnyCheck | undefined> {
  const folder = FOLDERS[id.split('.')[0]!];
  if (!folder || !/^[a-z0-9][a-z0-9.-]*$/.test(id)) return undefined;
  const module = (await import(`../../checks/${folder}/${id}.js`).catch(() => undefined)) as { default?: AnyCheck } | undefined;
  return module?.default?.meta.id === id ? module.default : undefined;
}

/** `builtins` stands for the build's metadata of the built-in checks (tests); without any, the checks themselves. */
export async function runExplain(id: string, options: { config?: string | undefined } = {}, builtins?: BuiltinMetadata): Promise<string> {
  // A built-in from the build's metadata: neither zod nor the check's module is loaded.
  const metadata = builtins ?? (await readBuiltinMetadata());
  const builtin = metadata?.checks.find((check) => check.meta.id === id);
  if (builtin) return checkText(builtin.doc);
  const found = await loadCheck(id, options.config);
  if (!found) throw new UsageError(`unknown check "${id}" (see readiness list)`);
  const text = checkText(await docOf(found.check));
  // A check a plugin adds says where it comes from, under its description.
  if (!found.source) return text;
  const [title, blank, description, ...rest] = text.split('\n');
  return [title, blank, description, '', `Source:      ${found.source}`, ...rest.slice(1)].join('\n');
}

async function docOf(check: AnyCheck): Promise<CheckDoc> {
  const [{ checkDoc }] = await Promise.all([import('../check-doc.js'), loadZod()]);
  return checkDoc(check);
}
