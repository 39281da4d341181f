import type { Report, Result, SectionScore, Selection } from '../model.js';

/** What the run left out, and why: services declared unused, checks turned off, checks whose part of the config is absent. */
export function scopeOf(results: readonly Result[], sections: readonly SectionScore[], selection?: Selection): Report['scope'] {
  const assessedSections = new Set(sections.filter((s) => s.assessed).map((s) => s.id));
  const unused = new Map<string, { service: string; reason: string; checks: string[] }>();
  const notAssessed = new Map<string, { reason: string; checks: string[] }>();
  const off: Report['scope']['off'] = [];
  for (const result of results) {
    const reason = String(result.evidence.reason ?? '');
    if (result.code === 'declared-unused') {
      const service = String(result.evidence.service);
      const entry = unused.get(service) ?? { service, reason, checks: [] };
      unused.set(service, entry);
      addOnce(entry.checks, result.checkId);
    } else if (result.code === 'turned-off') {
      if (!off.some((o) => o.check === result.checkId)) off.push({ check: result.checkId, reason });
    } else if (result.code === 'not-assessed' && assessedSections.has(result.section)) {
      // A section absent as a whole is in `notAssessed` already; this is a part of one (e.g. no `documents:`).
      const entry = notAssessed.get(reason) ?? { reason, checks: [] };
      notAssessed.set(reason, entry);
      addOnce(entry.checks, result.checkId);
    }
  }
  const narrowed = selection && selection.leftOut.length > 0 ? selection : undefined;
  const partial = Boolean(narrowed) || unused.size > 0 || off.length > 0;
  return { unused: [...unused.values()], off, notAssessed: [...notAssessed.values()], ...(narrowed ? { selection: narrowed } : {}), partial };
}

function addOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
