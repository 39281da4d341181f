import { allChecks } from '../../checks/index.js';
import { UsageError } from '../errors.js';
import { factOf, type FactRef } from '../model.js';
import { formatEffort, PHASES } from '../reporters/shared.js';

export function runExplain(id: string): string {
  const check = allChecks.find((c) => c.meta.id === id);
  if (!check) throw new UsageError(`unknown check "${id}" (see readiness list)`);
  const { meta } = check;
  const facts = (Object.values(check.facts) as FactRef[]).map(factOf);
  const permissions = [...new Set(facts.flatMap((f) => f.permissions))];
  return [
    `${meta.id} — ${meta.title}`,
    '',
    meta.description,
    '',
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
