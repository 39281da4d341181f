import type { z as Zod } from 'zod';
import { loadZod, z } from '../zod.js';
import { allChecks } from '../../checks/index.js';
import type { Collector } from '../collectors/types.js';
import type { LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { lazily } from '../lazily.js';
import * as builtinFactModules from '../facts/index.js';
import { factOf, SECTIONS, SEVERITIES, type AnyCheck, type FactDefinition, type FactOutcome, type FactRef, type Finding } from '../model.js';

/**
 * The run's catalog: the built-in checks (checks/index.ts) and the checks that join them from elsewhere
 * (plugins named under `plugins:`, checks declared in the config). Everything that lists, selects,
 * validates, collects for, evaluates, scores or waives checks takes them from here, so a check that is
 * not built in stands where a built-in does. What joins is validated first: namespaced ids, no duplicate,
 * no override of a built-in check or fact, a known section and severity; a mistake is one line, exit 2.
 */

/** Checks that are not built in, from one place (a plugin, a file of declared checks). */
export interface CheckSource {
  /** Who brings the checks, first in every error about them: `plugin readiness-plugin-example`. */
  name: string;
  /** The id prefix its checks and facts must carry (`<namespace>.`); without one, any prefix that is not built in. */
  namespace?: string | undefined;
  checks: readonly AnyCheck[];
  /** Collectors of the facts its checks read that are not built in (each collector names its fact). */
  collectors?: readonly Collector[] | undefined;
}

export interface Catalog {
  /** Built-ins first, in report order, then each source's checks in the order given. */
  checks: readonly AnyCheck[];
  /** Collectors of the facts that are not built in, by fact id (the built-ins' are in src/collectors). */
  collectors: ReadonlyMap<string, Collector>;
  /** The source of each check that is not built in, by check id. */
  sources: ReadonlyMap<string, string>;
}

/** A plugin (or another source of checks) that cannot join the run: one line naming it and the cause, exit 2. */
export class PluginError extends UsageError {
  override name = 'PluginError';
}

/** Reads the config and returns the sources of checks it names. */
export type SourceLoader = (loaded: LoadedConfig) => Promise<CheckSource[]>;

/** Every way checks join the run from the config. Declared checks add their loader here. */
const SOURCE_LOADERS: SourceLoader[] = [
  async (loaded) => (loaded.config.plugins.length ? (await import('../plugins/load.js')).loadPlugins(loaded) : []),
  async (loaded) => (loaded.config.customChecks.length ? (await import('../declarative/load.js')).loadDeclaredChecks(loaded) : []),
];

/** The catalog of a run: the built-ins, plus what the config adds (none without a config). */
export async function loadCatalog(loaded: LoadedConfig | undefined): Promise<Catalog> {
  if (!loaded) return buildCatalog([]);
  const sources = (await Promise.all(SOURCE_LOADERS.map((load) => load(loaded)))).flat();
  // What joins is validated (below) with zod.
  if (sources.length) await loadZod();
  return buildCatalog(sources);
}

/** `<namespace>.<name>[.<name>…]`, lowercase: what waivers, `--only` and SARIF rule ids are written with. */
export const CHECK_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

/** The namespaces the built-in checks and facts use (`aws`, `supabase`, `evidence`, …): no plugin id may start with one. */
export function builtinNamespaces(builtins: readonly AnyCheck[] = allChecks): Set<string> {
  return new Set([...builtins.map((c) => c.meta.id), ...builtinFactsOf(builtins).keys()].map(namespaceOf));
}

/** Built-ins and extras, validated; throws PluginError naming the source and the cause. */
export function buildCatalog(sources: readonly CheckSource[], builtins: readonly AnyCheck[] = allChecks): Catalog {
  const builtinFacts = builtinFactsOf(builtins);
  // A namespace the built-ins use (`aws`, `supabase`, `evidence`, …) is theirs: a plugin can neither take over an id
  // nor slip one in that a built-in prefix (a waiver on `aws.s3`, `unused: s3`, `--only aws`) would then match.
  const reserved = builtinNamespaces(builtins);
  const checkOwners = new Map<string, string>(builtins.map((c) => [c.meta.id, 'a built-in check']));
  const collectors = new Map<string, Collector>();
  const collectorOwners = new Map<string, string>();

  const namespaced = (source: CheckSource, id: string, what: string): void => {
    const namespace = namespaceOf(id);
    if (source.namespace !== undefined && namespace !== source.namespace) {
      throw new PluginError(`${source.name}: ${what} "${id}" must be namespaced "${source.namespace}.<id>"`);
    }
    if (reserved.has(namespace)) throw new PluginError(`${source.name}: ${what} "${id}" uses the built-in namespace "${namespace}"; name it "<plugin>.<id>"`);
  };

  for (const source of sources) {
    if (source.namespace !== undefined && reserved.has(source.namespace)) throw new PluginError(`${source.name}: "${source.namespace}" is a built-in namespace; choose another plugin name`);
    for (const [index, collector] of (source.collectors ?? []).entries()) {
      const parsed = collectorSchema().safeParse(collector);
      if (!parsed.success) throw new PluginError(`${source.name}: collector ${index + 1}: ${issueText(parsed.error)}`);
      const { id } = collector.fact;
      if (builtinFacts.has(id)) throw new PluginError(`${source.name}: collector for "${id}" would override the built-in fact "${id}"`);
      namespaced(source, id, 'fact');
      const owner = collectorOwners.get(id);
      if (owner) throw new PluginError(`${source.name}: fact "${id}" is also collected by ${owner}`);
      collectors.set(id, collector);
      collectorOwners.set(id, source.name);
    }
  }

  const extras: AnyCheck[] = [];
  const checkSources = new Map<string, string>();
  for (const source of sources) {
    for (const [index, check] of source.checks.entries()) {
      const parsed = checkSchema().safeParse(check);
      const id = typeof check?.meta?.id === 'string' ? check.meta.id : undefined;
      if (!parsed.success) throw new PluginError(`${source.name}: ${id ? `check "${id}"` : `check ${index + 1}`}: ${issueText(parsed.error)}`);
      const owner = checkOwners.get(check.meta.id);
      if (owner) throw new PluginError(`${source.name}: check "${check.meta.id}" is already ${owner === 'a built-in check' ? owner : `defined by ${owner}`}`);
      namespaced(source, check.meta.id, 'check');
      checkOwners.set(check.meta.id, source.name);
      checkSources.set(check.meta.id, source.name);
      extras.push(guarded(check, resolveFacts(source, check, builtinFacts, collectors), source.name));
    }
  }
  return { checks: [...builtins, ...extras], collectors, sources: checkSources };
}

/** The part of an id before its first dot. */
function namespaceOf(id: string): string {
  return id.split('.')[0]!;
}

/** Every built-in fact (src/facts, the caller identity and what only a collector reads included), and any a built-in check reads. */
function builtinFactsOf(builtins: readonly AnyCheck[]): Map<string, FactDefinition> {
  const defined = (Object.values(builtinFactModules) as unknown[]).filter((value): value is FactDefinition => typeof (value as Partial<FactDefinition> | null)?.id === 'string' && 'schema' in (value as object));
  const facts = new Map<string, FactDefinition>(defined.map((fact) => [fact.id, fact]));
  for (const check of builtins) for (const ref of Object.values(check.facts as Record<string, FactRef>)) facts.set(factOf(ref).id, factOf(ref));
  return facts;
}

/**
 * A check's facts, each bound to the definition its collector validates with: a built-in fact to the built-in
 * definition (a plugin's copy of it cannot loosen the schema), another to the collector that produces it.
 */
function resolveFacts(source: CheckSource, check: AnyCheck, builtinFacts: ReadonlyMap<string, FactDefinition>, collectors: ReadonlyMap<string, Collector>): Record<string, FactRef> {
  const resolved: Record<string, FactRef> = {};
  for (const [name, ref] of Object.entries(check.facts as Record<string, FactRef>)) {
    const { id } = factOf(ref);
    const fact = builtinFacts.get(id) ?? collectors.get(id)?.fact;
    if (!fact) throw new PluginError(`${source.name}: check "${check.meta.id}" reads fact "${id}", which nothing collects (add its collector to the plugin's \`collectors\`)`);
    resolved[name] = 'optional' in ref ? { optional: true, fact } : fact;
  }
  return resolved;
}

const FINDING_STATUSES = ['pass', 'fail', 'unverified', 'not_applicable'] as const;

// The schemas a plugin's checks, collectors and findings are held to: built only when a run has a plugin.
const findingSchema = lazily(() =>
  z.object({
    resource: z.string(),
    status: z.enum(FINDING_STATUSES),
    code: z.string().min(1),
    args: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    evidence: z.record(z.string(), z.unknown()).optional(),
  }),
);

/**
 * A check that is not built in, held to the engine's rules whatever it does: a throw or a malformed answer is
 * `unverified` for that check alone, naming its source; and it cannot pass a resource while a fact it read
 * as optional failed (or was cut off) — a failed fact is never evidence.
 */
function guarded(check: AnyCheck, facts: Record<string, FactRef>, source: string): AnyCheck {
  const optionalNames = Object.entries(facts).filter(([, ref]) => 'optional' in ref).map(([name, ref]) => [name, factOf(ref).id] as const);
  const error = (reason: string): Finding[] => [{ resource: 'project', status: 'unverified', code: 'plugin-error', args: { source, reason } }];
  return {
    ...check,
    facts,
    evaluate(values: Record<string, unknown>, context) {
      let findings: unknown;
      try {
        findings = check.evaluate(values, context);
      } catch (thrown) {
        return error(`threw while evaluating: ${(thrown instanceof Error ? thrown.message : String(thrown)).split('\n')[0]}`);
      }
      if (!Array.isArray(findings)) return error('evaluate returned no list of findings');
      const malformed = findings.findIndex((finding) => !findingSchema().safeParse(finding).success);
      if (malformed >= 0) return error(`finding ${malformed + 1} is malformed (${issueText(findingSchema().safeParse(findings[malformed]).error!)})`);
      const failedFact = optionalNames.find(([name]) => {
        const outcome = values[name] as FactOutcome | undefined;
        return !outcome?.ok || Boolean(outcome.partial);
      });
      if (!failedFact) return findings as Finding[];
      const outcome = values[failedFact[0]] as FactOutcome | undefined;
      const reason = !outcome ? 'not collected' : outcome.ok ? (outcome.partial?.message ?? 'read in part') : outcome.failure.message;
      return (findings as Finding[]).map((finding) =>
        finding.status === 'pass' ? { resource: finding.resource, status: 'unverified', code: 'fact-unavailable', args: { fact: failedFact[1], reason }, evidence: { reason } } : finding,
      );
    },
  };
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

const factSchema = lazily(() =>
  z.object({
    id: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/, 'a fact id is lowercase, `<plugin>.<name>`'),
    description: z.string(),
    schema: z.custom<Zod.ZodType>((schema) => isFunction((schema as { safeParse?: unknown } | null)?.safeParse), 'not a zod schema (use z from hipaa-readiness/plugin)'),
    permissions: z.array(z.string()),
  }),
);

const collectorSchema = lazily(() =>
  z.object({
    fact: factSchema(),
    collect: z.custom((collect) => isFunction(collect), 'collect is not a function (use defineCollector)'),
  }),
);

const factRefSchema = lazily(() => z.union([factSchema(), z.object({ optional: z.literal(true), fact: factSchema() })], 'not a fact (use defineFact)'));

const sections = Object.keys(SECTIONS);

const checkSchema = lazily(() =>
  z.object(
    {
      meta: z.object({
        id: z.string().regex(CHECK_ID, 'an id is lowercase, namespaced: `<plugin>.<name>`'),
        title: z.string().min(1),
        failureTitle: z.string().min(1),
        failureTitles: z.record(z.string(), z.string()).optional(),
        description: z.string().min(1),
        section: z.string().refine((section) => sections.includes(section), { error: (issue) => `unknown section ${JSON.stringify(issue.input)} (sections: ${sections.join(', ')})` }),
        severity: z.string().refine((severity) => (SEVERITIES as readonly string[]).includes(severity), { error: (issue) => `bad severity ${JSON.stringify(issue.input)} (severities: ${SEVERITIES.join(', ')})` }),
        layer: z.enum(['infrastructure', 'application', 'operational']),
        hipaa: z.array(z.string()),
        phase: z.number().int().min(1).max(5),
        remediation: z.object({ text: z.string().min(1), command: z.string().optional(), effortMinutes: z.number().nonnegative(), effortLabel: z.string().optional() }),
        messages: z.record(z.string(), z.string()),
        documents: z.array(z.string()).optional(),
        attestations: z.array(z.string()).optional(),
        scored: z.boolean().optional(),
        options: z.custom((options) => isFunction((options as { strict?: unknown } | null)?.strict), 'not a zod object (use z.object from hipaa-readiness/plugin)').optional(),
      }),
      facts: z.record(z.string(), factRefSchema()),
      evaluate: z.custom((evaluate) => isFunction(evaluate), 'evaluate is not a function'),
    },
    'not a check (use defineCheck)',
  ),
);

/** The first issue, as `meta.section: unknown section "ops" (…)`. */
function issueText(error: Zod.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
