import type { Collector } from './collectors/types.js';
import type { AnyCheck } from './model.js';
import { z } from './zod-package.js';
import { provideZod } from './zod.js';

/**
 * `hipaa-readiness/plugin`: what a plugin builds its checks with, the API the built-in checks use. A plugin
 * resolves this module to the running tool's own copy (see src/plugins/load.ts), so a plugin and the tool
 * always share one engine, one zod and one FactError.
 */
export { defineCheck, defineFact, optional, SECTIONS, SEVERITIES } from './model.js';
export type {
  Check,
  CheckContext,
  CheckMeta,
  Evidence,
  EvidenceValue,
  FactDefinition,
  FactFailure,
  FactOutcome,
  FactValue,
  FailureKind,
  Finding,
  HipaaLayer,
  MessageArgs,
  OptionalFact,
  Phase,
  Remediation,
  SectionId,
  Severity,
} from './model.js';
export { defineCollector, FactError, PartialFact } from './collectors/types.js';
export type { Collector, CollectContext } from './collectors/types.js';
// The zod a plugin builds with is the one the tool makes its own schemas with (a check's options, the built-in facts).
provideZod(z);
export { z };
export { runCase, type CheckCase } from './plugins/tester.js';
/** The built-in facts (`facts.healthProbes`, `facts.documents`, …): a plugin check reads them as a built-in does, collected once for all. */
export * as facts from './facts/index.js';

/** A plugin: checks namespaced `<name>.<id>`, and the collectors of the facts they need that are not built in. */
export interface Plugin {
  /** The namespace of its check and fact ids: lowercase, e.g. `example` for `example.runbook-owner`. */
  name: string;
  checks: readonly AnyCheck[];
  collectors?: readonly Collector[];
}

export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}
