import { UsageError } from '../errors.js';
import { checkDoc, checkText } from '../check-doc.js';
import type { AnyCheck } from '../model.js';

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
export async function loadCheck(id: string): Promise<AnyCheck | undefined> {
  const folder = FOLDERS[id.split('.')[0]!];
  if (folder && /^[a-z0-9][a-z0-9.-]*$/.test(id)) {
    const module = (await import(`../../checks/${folder}/${id}.js`).catch(() => undefined)) as { default?: AnyCheck } | undefined;
    if (module?.default?.meta.id === id) return module.default;
  }
  const { allChecks } = await import('../../checks/index.js');
  return allChecks.find((c) => c.meta.id === id);
}

export async function runExplain(id: string): Promise<string> {
  const check = await loadCheck(id);
  if (!check) throw new UsageError(`unknown check "${id}" (see readiness list)`);
  return checkText(checkDoc(check));
}
