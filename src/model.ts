import type { z } from 'zod';
import type { Config } from './config/schema.js';

export const SECTIONS = {
  aws: 'AWS Infrastructure',
  supabase: 'Supabase',
  application: 'Application',
  domain: 'Domain, DNS & TLS',
  monitoring: 'Monitoring & Alerts',
  compliance: 'HIPAA Operational Compliance',
  info: 'Informational',
} as const;
export type SectionId = keyof typeof SECTIONS;

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 7, medium: 3, low: 1 };

export type Status = 'pass' | 'fail' | 'unverified' | 'not_applicable' | 'waived';
export type HipaaLayer = 'infrastructure' | 'application' | 'operational';
/** The seed's critical path: 1 security & compliance · 2 testing · 3 domain & SSL · 4 monitoring · 5 documentation. */
export type Phase = 1 | 2 | 3 | 4 | 5;

export type EvidenceValue = string | number | boolean | null | readonly (string | number)[];
export type Evidence = Record<string, EvidenceValue>;
export type MessageArgs = Record<string, string | number>;

/**
 * A fact is one piece of the environment (every RDS cluster of the selected regions, the
 * names of the Supabase secrets, ...). Its schema is the contract between the collector
 * that produces it, the snapshot that records it, and the checks that read it.
 */
export interface FactDefinition<Id extends string = string, Schema extends z.ZodType = z.ZodType> {
  id: Id;
  description: string;
  schema: Schema;
  /** The read-only API actions its collector calls, e.g. `rds:DescribeDBClusters`. */
  permissions: readonly string[];
}
export type FactValue<F> = F extends FactDefinition<string, infer S> ? z.output<S> : never;

export const FAILURE_KINDS = [
  'NotConfigured',
  'NoCredentials',
  'AccessDenied',
  'Throttled',
  'Timeout',
  'Unreachable',
  'NotFound',
  'MalformedResponse',
  'Error',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Why a fact could not be collected, and what would let the tool see it. */
export interface FactFailure {
  kind: FailureKind;
  message: string;
  fix?: string;
}

/** Why a fact holds only some of its resources (cut off by the run's --timeout): each one not read is named. */
export interface PartialFailure extends FactFailure {
  unread: string[];
  /** How many resources were read: with none, what a check says of the empty part ("no buckets") is no evidence. */
  read: number;
}

/**
 * A fact's outcome. `partial` marks a value that holds only what was read before the fact was
 * cut off: its resources keep their verdicts, and each resource in `partial.unread` is unverified.
 */
export type FactOutcome<T = unknown> = { ok: true; value: T; partial?: PartialFailure } | { ok: false; failure: FactFailure };

export interface RunContext {
  config: Config;
  now: Date;
}
/** What `evaluate` receives. `options` are the check's own: its `meta.options` defaults, overridden by the config. */
export type CheckContext<Options = Record<string, unknown>> = RunContext &
  ([keyof Options] extends [never] ? { options?: Options } : string extends keyof Options ? { options?: Options } : { options: Options });

/** What a check says about one resource. Words are rendered later from `meta.messages[code]`. */
export interface Finding {
  resource: string;
  status: 'pass' | 'fail' | 'unverified' | 'not_applicable';
  code: string;
  args?: MessageArgs;
  evidence?: Evidence;
}

export interface Remediation {
  text: string;
  /** Copy-pasteable; `{{resource}}` and `{{arg}}` placeholders are filled from the finding. */
  command?: string;
  /** Working time, in minutes, to fix it (a business day is 8 h). */
  effortMinutes: number;
  /** A human label where minutes mislead, e.g. "1–2 business days" for waiting on a signature. */
  effortLabel?: string;
  /** Business days of waiting on someone else (a signature, a vendor) after the work: it runs beside the engineering work, not after it. */
  waitDays?: number;
}

export interface CheckMeta {
  id: string;
  title: string;
  failureTitle: string;
  /** The failure title of a code for which `failureTitle` would not be true (no database found is not "a database is public"). */
  failureTitles?: Record<string, string>;
  description: string;
  section: SectionId;
  severity: Severity;
  layer: HipaaLayer;
  hipaa: readonly string[];
  phase: Phase;
  remediation: Remediation;
  /** Message templates by code, with `{{arg}}` placeholders. */
  messages: Record<string, string>;
  /** The names under `documents:` / `attestations:` it reads (the config's names are validated against them). */
  documents?: readonly string[];
  attestations?: readonly string[];
  /** When false, the check is shown but never counts in the score (e.g. info.cost). */
  scored?: boolean;
}

/** A check's tunable thresholds (ESLint's rule options): a zod object whose every key has a default. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OptionsSchema = z.ZodObject<any>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoOptions = z.ZodObject<{}>;

/** A fact the check can do without: it receives the outcome, failed or not, and decides. */
export interface OptionalFact<F extends FactDefinition = FactDefinition> {
  optional: true;
  fact: F;
}
export function optional<F extends FactDefinition>(fact: F): OptionalFact<F> {
  return { optional: true, fact };
}

export type FactRef = FactDefinition | OptionalFact;
type FactMap = Record<string, FactRef>;
export type FactValues<M extends FactMap> = {
  [K in keyof M]: M[K] extends OptionalFact<infer F> ? FactOutcome<FactValue<F>> : FactValue<M[K]>;
};

export function factOf(ref: FactRef): FactDefinition {
  return 'optional' in ref ? ref.fact : ref;
}

export interface Check<M extends FactMap = FactMap, O extends OptionsSchema = NoOptions> {
  meta: CheckMeta & { options?: O };
  facts: M;
  /** Pure: facts in, findings out. Never does I/O. */
  evaluate(facts: FactValues<M>, context: CheckContext<z.output<O>>): Finding[];
}

/** Any check, whatever facts it reads: what the registry and the engine hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCheck = Check<any, any>;

/** An open finding or result, one with something to fix: failed or unverified (a waived one was open before its waiver). */
export const isOpen = ({ status }: { status: string }): boolean => status === 'fail' || status === 'unverified';

/**
 * A check, its options given as a schema or as a function that makes it: the built-in checks give functions, so
 * loading them builds no schema and needs no zod (start-up); the schema is made on first use and kept.
 */
export function defineCheck<M extends FactMap, O extends OptionsSchema = NoOptions>(check: Omit<Check<M, O>, 'meta'> & { meta: CheckMeta & { options?: O | (() => O) } }): Check<M, O> {
  const make = check.meta.options;
  if (typeof make === 'function') {
    let made: O | undefined;
    Object.defineProperty(check.meta, 'options', { get: () => (made ??= make()), enumerable: true, configurable: true });
  }
  return check as Check<M, O>;
}

/**
 * A fact, its schema given as is or as a function that makes it: the built-in facts give functions, so loading them
 * builds no schema (start-up); the schema is made on first use and kept.
 */
export function defineFact<Id extends string, S extends z.ZodType>(fact: Omit<FactDefinition<Id, S>, 'schema'> & { schema: S | (() => S) }): FactDefinition<Id, S> {
  const make = fact.schema;
  if (typeof make !== 'function') return fact as FactDefinition<Id, S>;
  let made: S | undefined;
  return Object.defineProperty(fact, 'schema', { get: () => (made ??= make()), enumerable: true, configurable: true }) as FactDefinition<Id, S>;
}

export interface Waiver {
  check: string;
  resource?: string | undefined;
  reason: string;
  approvedBy: string;
  expires: string;
}

/** One row of the report: a check's verdict on one resource, rendered and ready to show. */
export interface Result {
  checkId: string;
  title: string;
  /** Why it matters: the check's description, shown as the finding's risk. */
  risk: string;
  section: SectionId;
  severity: Severity;
  layer: HipaaLayer;
  hipaa: readonly string[];
  phase: Phase;
  status: Status;
  resource: string;
  code: string;
  message: string;
  evidence: Evidence;
  remediation: { text: string; command?: string; effortMinutes: number; effortLabel?: string; waitDays?: number };
  waiver?: Waiver & { expired: boolean };
  scored: boolean;
  /** With several AWS accounts or Supabase projects: the account id or project ref the result is about. */
  account?: string;
}

/** What a check is, once per report; its results repeat these fields in memory, the JSON report references them. */
export interface CheckInfo {
  id: string;
  title: string;
  failureTitle: string;
  /** The check's description. */
  risk: string;
  section: SectionId;
  severity: Severity;
  layer: HipaaLayer;
  hipaa: readonly string[];
  phase: Phase;
  remediation: { text: string; effortMinutes: number; effortLabel?: string; waitDays?: number };
  scored: boolean;
}

/** A result's title: the failure title is a claim ("buckets lack encryption"), only a seen failure may make it. */
export function resultTitle(check: Pick<CheckInfo, 'title' | 'failureTitle'>, status: Status): string {
  return status === 'fail' ? check.failureTitle : status === 'unverified' ? `Unverified: ${check.title}` : check.title;
}

export type Band = 'green' | 'yellow' | 'red';

/** A run narrowed on the command line: what was asked for, and every check of the catalog it left out. */
export interface Selection {
  only: string[];
  skip: string[];
  sections: string[];
  leftOut: string[];
}

export interface SectionScore {
  id: SectionId;
  title: string;
  /** Percent 0–100, or null when nothing in the section was evaluated. */
  score: number | null;
  band: Band;
  assessed: boolean;
  counts: Record<Status, number>;
}

export interface Report {
  /** The JSON report's contract version (2: check-level text once, in `checks`). */
  schemaVersion: 2;
  tool: { name: 'readiness'; version: string };
  generatedAt: string;
  project: string;
  source: { kind: 'live' | 'snapshot' | 'demo'; account?: string; principal?: string; region?: string; snapshot?: string; snapshotSha256?: string; collectedAt?: string };
  verdict: 'READY' | 'NOT_READY';
  band: Band;
  score: number;
  gate: { minScore: number; failOn: Severity };
  sections: SectionScore[];
  /** Every evaluated check, in catalog order. */
  checks: CheckInfo[];
  results: Result[];
  blockers: Result[];
  expiredWaivers: (Waiver & { expired: true })[];
  /** Unexpired waivers that matched no open result (remove them, like ESLint's unused disable directives). */
  unusedWaivers: Waiver[];
  notAssessed: SectionId[];
  /** What the run left out, and why. */
  scope: {
    unused: { service: string; reason: string; checks: string[] }[];
    off: { check: string; reason: string }[];
    /** Checks not assessed inside an assessed section (a part of its config is absent, e.g. `documents:`). */
    notAssessed: { reason: string; checks: string[] }[];
    /** `--only` / `--skip` / `--section` as given, and the catalog's checks they left out; absent when the run took them all. */
    selection?: Selection;
    /** True when checks were left out (the selection, `unused:`, `checks.<id>.off`): the verdict covers only what was assessed. */
    partial: boolean;
  };
  /** Why the exit code is what it is: 0 ready, 1 not ready, 3 not ready only because the tool could not see. */
  exitReason: { code: 0 | 1 | 3; reason: 'ready' | 'not-ready' | 'could-not-see'; cause?: string; fix?: string };
  summary: Record<Status, number>;
  /** For the auditor's document: what the run read, with which permissions, and who signs it off (`report:` in the config). */
  audit?: ReportAudit;
  /** With several AWS accounts or Supabase projects: each one's own sections, score and band (the verdict is the whole report's). */
  accounts?: AccountScore[];
}

export interface ReportAudit {
  /** Each fact the selected checks read: `read` is false where it could not be (its checks are unverified). */
  facts: { id: string; description: string; permissions: string[]; read: boolean }[];
  signOff: { preparedBy?: string; reviewedBy?: string; nextReview?: string };
}

export interface AccountScore {
  kind: 'aws' | 'supabase';
  /** The AWS account id or the Supabase project ref. */
  id: string;
  name?: string;
  score: number | null;
  band: Band;
  sections: SectionScore[];
  summary: Record<Status, number>;
}
