import type { CheckMeta, HipaaLayer, Phase, SectionId } from '../model.js';
import type { CustomCheck } from './schema.js';

const LAYER: Record<CustomCheck['section'], HipaaLayer> = {
  aws: 'infrastructure',
  supabase: 'infrastructure',
  application: 'application',
  domain: 'infrastructure',
  monitoring: 'infrastructure',
  compliance: 'operational',
};

/** The seed's critical path: security first, then testing, domain, monitoring, documentation. */
const PHASE: Record<CustomCheck['section'], Phase> = { aws: 1, supabase: 1, application: 1, domain: 3, monitoring: 4, compliance: 5 };

/** A declarative entry's metadata, as a built-in check writes it; `messages` are the kind's codes. */
export function metaOf(entry: CustomCheck, description: string, messages: Record<string, string>): CheckMeta {
  const { text, command, effortMinutes, effortLabel } = entry.remediation;
  return {
    id: entry.id,
    title: entry.title,
    failureTitle: entry.failureTitle ?? `Not met: ${entry.title}`,
    description: entry.description ?? description,
    section: entry.section as SectionId,
    severity: entry.severity,
    layer: entry.layer ?? LAYER[entry.section],
    hipaa: entry.hipaa,
    phase: entry.phase ?? PHASE[entry.section],
    remediation: { text, ...(command ? { command } : {}), effortMinutes, ...(effortLabel ? { effortLabel } : {}) },
    messages,
  };
}

/** The id of the fact a declarative check reads: its own id and kind (`custom.health.http`), in the check's namespace. */
export function factIdOf(kind: string, id: string): string {
  return `${id}.${kind}`;
}
