import type { Check, FactDefinition, SectionId } from '../model.js';
import { factOf, SECTIONS } from '../model.js';
import { UsageError } from '../errors.js';
import type { Config } from '../config/schema.js';
import { exclusionOf } from './exclusion.js';

export interface Selection {
  only?: string[] | undefined;
  skip?: string[] | undefined;
  sections?: string[] | undefined;
}

/** `--only`/`--skip` take ids or id prefixes (`aws.rds`); an id that matches nothing is a usage error. */
export function selectChecks<C extends { meta: { id: string; section: string } }>(checks: readonly C[], { only, skip, sections }: Selection): C[] {
  for (const section of sections ?? []) {
    if (!Object.hasOwn(SECTIONS, section)) throw new UsageError(`unknown section "${section}" (sections: ${Object.keys(SECTIONS).join(', ')})`);
  }
  for (const pattern of [...(only ?? []), ...(skip ?? [])]) {
    if (!checks.some((check) => matchesId(check.meta.id, pattern))) throw new UsageError(`no check matches "${pattern}" (see readiness list)`);
  }
  return checks.filter(
    (check) =>
      (!sections?.length || sections.includes(check.meta.section as SectionId)) &&
      (!only?.length || only.some((pattern) => matchesId(check.meta.id, pattern))) &&
      !skip?.some((pattern) => matchesId(check.meta.id, pattern)),
  );
}

/** A check id matches itself and its prefixes: `aws.rds` matches `aws.rds.public-access`. */
export function matchesId(id: string, pattern: string): boolean {
  return id === pattern || id.startsWith(`${pattern}.`);
}

/** The plan: every fact the selected checks read, each once; a check turned off or declared unused reads none. */
export function planFacts(checks: readonly Check[], config?: Config): FactDefinition[] {
  const facts = new Map<string, FactDefinition>();
  for (const check of checks) {
    if (config && exclusionOf(check, config)) continue;
    for (const ref of Object.values(check.facts)) {
      const fact = factOf(ref);
      facts.set(fact.id, fact);
    }
  }
  return [...facts.values()];
}
