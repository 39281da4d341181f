import { UsageError } from '../errors.js';
import { factOf, type AnyCheck, type FactRef } from '../model.js';
import { formatEffort, PHASES } from '../reporters/shared.js';

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
  const folder = FOLDERS[id.split('.')[0]!];
  if (folder && /^[a-z0-9][a-z0-9.-]*$/.test(id)) {
    const module = (await import(`../../checks/${folder}/${id}.js`).catch(() => undefined)) as { default?: AnyCheck } | undefined;
    if (module?.default?.meta.id === id) return { check: module.default };
  }
  // Not a built-in's file: the catalog, with the checks the config's plugins add.
  const { configuredCatalog } = await import('./setup.js');
  const catalog = await configuredCatalog(config);
  const check = catalog.checks.find((c) => c.meta.id === id);
  return check ? { check, source: catalog.sources.get(id) } : undefined;
}

export async function runExplain(id: string, options: { config?: string | undefined } = {}): Promise<string> {
  const found = await loadCheck(id, options.config);
  if (!found) throw new UsageError(`unknown check "${id}" (see readiness list)`);
  const { check, source } = found;
  const { meta } = check;
  const facts = (Object.values(check.facts) as FactRef[]).map(factOf);
  const permissions = [...new Set(facts.flatMap((f) => f.permissions))];
  return [
    `${meta.id} — ${meta.title}`,
    '',
    meta.description,
    '',
    ...(source ? [`Source:      ${source}`] : []),
    `Section:     ${meta.section}`,
    `Severity:    ${meta.severity}${meta.scored === false ? ' (informational, not scored)' : ''}`,
    `HIPAA:       ${meta.hipaa.length ? meta.hipaa.map((c) => `45 CFR ${c}`).join(', ') : '—'} (${meta.layer} layer)`,
    `Phase:       ${meta.phase} · ${PHASES[meta.phase]}`,
    `Facts:       ${facts.map((f) => f.id).join(', ')}`,
    `Permissions: ${permissions.length ? permissions.join(', ') : 'no API permission (reads the config and local files, or probes the configured endpoints)'}`,
    '',
    `Fix:         ${meta.remediation.text} (${meta.remediation.effortLabel ?? formatEffort(meta.remediation.effortMinutes)})`,
    // Placeholders are filled per finding; here they are named as what goes there.
    ...(meta.remediation.command ? [`             $ ${meta.remediation.command.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, '<$1>')}`] : []),
    '',
  ].join('\n');
}
