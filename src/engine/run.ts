import type { Collector } from '../collectors/types.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { AccountScore, Check, CheckInfo, FactDefinition, FactFailure, FactOutcome, FactRef, Report, ReportAudit, Result, RunContext, SectionId, Selection, Severity } from '../model.js';
import { factOf, SECTIONS } from '../model.js';
import { awsIdentity } from '../facts/aws.js';
import { VERSION } from '../version.js';
import { applyWaivers, evaluateCheck, unusedWaivers } from './evaluate.js';
import { exitReasonOf, staleEvidence } from './exit-reason.js';
import { escapeControlCharacters } from './control-characters.js';
import { scopeOf } from './scope.js';
import { band, countStatuses, isBlocker, score, scoreSections, type Gate } from './scoring.js';
import { planFacts } from './select.js';
import { dirname } from 'node:path';
import type { CollectOptions } from './collect.js';
import type { AwsSession } from '../collectors/aws/session.js';
import type { ManagementRateLimits } from '../collectors/supabase/rate-limit.js';
import { FactError } from '../collectors/types.js';
import { organizationAccounts } from '../facts/aws-organization.js';
import { accountFactId, accountKindOf, accountResource, plainFactId, accountsOf, checkAccountKind, accountViews, type Account, type AccountView, awsAccounts, configForAccount, isMultiAccount, isMultiProject, supabaseProjects, type AccountKind, type AwsAccount } from './accounts.js';
import { loadZod } from '../zod.js';

export interface LiveOptions {
  loaded: LoadedConfig;
  facts: FactDefinition[];
  now: Date;
  env?: NodeJS.ProcessEnv;
  profile?: string | undefined;
  region?: string | undefined;
  /** Bound on the whole collection, in ms, shared by every collector; what has not answered by then is unverified. */
  timeoutMs?: number;
  /** A progress line on stderr for a long run. */
  progress?: boolean;
  /** Only these accounts or projects (ids; `shared` for the facts of none), as `collect --account` asks. */
  accounts?: string[] | undefined;
  /** The Management API pacing (tests inject a clock and small limits). */
  managementRateLimits?: ManagementRateLimits;
  /** Collectors of the facts that are not built in (a plugin's), from the run's catalog. */
  collectors?: ReadonlyMap<string, Collector>;
}

/** Collects the facts from the live environment (plus the caller identity when AWS is configured). */
export async function collectLive(options: LiveOptions): Promise<Map<string, FactOutcome>> {
  const { loaded, now, env = process.env, timeoutMs = 120_000 } = options;
  // Loaded here, not at the top: a snapshot or demo run needs no collector (nor pg, nor the XML parser).
  const [{ collectors: allCollectors }, { AwsSession }, { collectFacts }, { ManagementRateLimits }, { startProgress }] = await Promise.all([
    import('../collectors/index.js'),
    import('../collectors/aws/session.js'),
    import('./collect.js'),
    import('../collectors/supabase/rate-limit.js'),
    import('./progress.js'),
    // The facts' schemas validate what is collected.
    loadZod(),
  ]);
  const { config } = loaded;
  const aws = new AwsSession({ config: config.aws, env, profile: options.profile, region: options.region });
  const runSignal = AbortSignal.timeout(timeoutMs);
  const managementRateLimits = options.managementRateLimits ?? new ManagementRateLimits();
  const context = { config, now, env, baseDir: dirname(loaded.file), aws, managementRateLimits };
  const several = isMultiAccount(config) || isMultiProject(config);
  const facts = config.aws && !several ? [awsIdentity, ...options.facts] : options.facts;
  const progress = options.progress ? startProgress(process.stderr, { totalFacts: several ? plannedFacts(config, facts) : new Set(facts).size }) : undefined;
  const collect = (list: FactDefinition[], overrides: Partial<CollectOptions['context']> = {}) =>
    // The registry lets no plugin collector take a built-in fact's id.
    collectFacts(list, { collectors: options.collectors?.size ? new Map([...allCollectors, ...options.collectors]) : allCollectors, context: { ...context, ...(progress ? { progress } : {}), ...overrides }, runSignal });
  try {
    if (!several) return guardAccount(await collect(facts), config.aws?.accountId);
    return await collectAccounts({ ...options, facts }, collect, (account) => new AwsSession({ config: configForAccount(config, account).aws, env, profile: options.profile, region: options.region, assumeRole: account }), runSignal);
  } finally {
    progress?.stop();
    aws.destroy();
  }
}

/** Facts a run of several accounts collects: each account's own (and its identity) per account, the shared ones once. */
function plannedFacts(config: Config, facts: FactDefinition[]): number {
  const count = (kind: AccountKind | undefined) => facts.filter((fact) => accountKindOf(fact, config) === kind).length;
  const accounts = config.aws?.accounts?.length ?? 0;
  const projects = config.supabase?.projects?.length ?? 0;
  return count(undefined) + (count('aws') ? (count('aws') + 1) * accounts : 0) + count('supabase') * projects;
}

/** How many accounts are collected at once: each runs its own bounded collection. */
const ACCOUNTS_IN_FLIGHT = 4;

/**
 * Several accounts or projects: the shared facts once, then each account's facts with its own credentials
 * (the assumed role) and its own view of the config, recorded under `<fact>@<account>`. `only` (collect
 * --account) keeps some accounts, `shared` naming the facts of none.
 */
async function collectAccounts(
  options: LiveOptions,
  collect: (facts: FactDefinition[], overrides?: Partial<CollectOptions['context']>) => Promise<Map<string, FactOutcome>>,
  sessionFor: (account: AwsAccount) => AwsSession,
  runSignal: AbortSignal,
): Promise<Map<string, FactOutcome>> {
  const { config } = options.loaded;
  const wanted = (id: string) => !options.accounts || options.accounts.includes(id);
  const ofKind = (kind: AccountKind | undefined) => options.facts.filter((fact) => accountKindOf(fact, config) === kind);
  const awsFacts = ofKind('aws');
  const listing = config.aws?.organization && awsFacts.length ? await collect([organizationAccounts]) : new Map<string, FactOutcome>();
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(ACCOUNTS_IN_FLIGHT);
  const jobs: Promise<Map<string, FactOutcome>>[] = [wanted('shared') ? collect(ofKind(undefined)) : Promise.resolve(new Map())];
  if (awsFacts.length) {
    for (const account of awsAccounts(config, listing).filter((a) => wanted(a.id))) {
      jobs.push(
        limit(async () => {
          const session = sessionFor(account);
          try {
            const accountFacts = [awsIdentity, ...awsFacts];
            const refused = await untilAbort(session.assumeRole(), runSignal);
            const outcomes = refused
              ? new Map(accountFacts.map((fact): [string, FactOutcome] => [fact.id, { ok: false, failure: refused.toFailure() }]))
              : await collect(accountFacts, { config: configForAccount(config, account), aws: session });
            return keyedBy(guardAccount(outcomes, account.id), account.id);
          } finally {
            session.destroy();
          }
        }),
      );
    }
  }
  const projectFacts = ofKind('supabase');
  if (projectFacts.length) {
    for (const project of supabaseProjects(config).filter((p) => wanted(p.id))) {
      jobs.push(limit(async () => keyedBy(await collect(projectFacts, { config: configForAccount(config, project) }), project.id)));
    }
  }
  return new Map([...listing, ...(await Promise.all(jobs)).flatMap((outcomes) => [...outcomes])]);
}

function keyedBy(outcomes: Map<string, FactOutcome>, accountId: string): Map<string, FactOutcome> {
  return new Map([...outcomes].map(([id, outcome]) => [accountFactId(id, accountId), outcome]));
}

/** Assuming a role cannot take an abort signal: the run's --timeout makes it a failure all the same. */
async function untilAbort(assumed: Promise<FactError | undefined>, signal: AbortSignal): Promise<FactError | undefined> {
  const timeout = new FactError('Timeout', 'the role was not assumed before the run reached its --timeout', 'raise --timeout');
  if (signal.aborted) return timeout;
  let onAbort = () => {};
  const aborted = new Promise<FactError>((resolve) => {
    onAbort = () => resolve(timeout);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([assumed, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Credentials for another account than `aws.accountId` would assess the wrong environment:
 * every AWS fact then becomes a failure (so its checks are unverified), never evidence.
 */
export function guardAccount(outcomes: Map<string, FactOutcome>, expected: string | undefined): Map<string, FactOutcome> {
  const identity = outcomes.get(awsIdentity.id);
  if (!expected || !identity?.ok) return outcomes;
  const actual = (identity.value as { account: string }).account;
  if (actual === expected) return outcomes;
  const failure = {
    kind: 'NoCredentials' as const,
    message: `the AWS credentials are for account ${actual}, but aws.accountId is ${expected}`,
    fix: `use a profile or role of account ${expected} (--profile / AWS_PROFILE)`,
  };
  return new Map([...outcomes].map(([id, outcome]) => [id, id.startsWith('aws.') && id !== awsIdentity.id ? { ok: false, failure } : outcome]));
}

export interface ReportOptions {
  loaded: LoadedConfig;
  checks: readonly Check[];
  outcomes: ReadonlyMap<string, FactOutcome>;
  now: Date;
  source: Report['source'];
  gate?: { minScore?: number | undefined; failOn?: Severity | undefined };
  /** The command line's narrowing (`--only`, `--skip`, `--section`), when there was one. */
  selection?: Selection | undefined;
}

/** Pure: facts → results → waivers → scores → verdict. */
export function buildReport({ loaded, checks, outcomes, now, source, gate: override, selection }: ReportOptions): Report {
  const { config } = loaded;
  const gate = { minScore: override?.minScore ?? config.gate.minScore, failOn: override?.failOn ?? config.gate.failOn };
  const accounts = accountsOf(config, outcomes);
  const views = accountViews(outcomes, accounts, config);
  const evaluated: Result[] = checks.flatMap((check) => evaluatePerAccount(check, outcomes, views, { config, now }, loaded.checkOptions?.[check.meta.id]));
  const results = applyWaivers(evaluated, config.waivers, now);
  const evaluatedScore = score(results);
  const overall = evaluatedScore ?? 0;
  const blockers = results.filter((r) => isBlocker(r, gate.failOn));
  // Nothing evaluated proves nothing, even with gate.minScore 0.
  const clears = evaluatedScore !== null && overall >= gate.minScore && blockers.length === 0;
  // Facts collected long ago say nothing of the environment today: shown and scored, they cannot make it READY.
  const stale = staleEvidence(source, now, config.gate.maxEvidenceAgeHours);
  const ready = clears && !stale;
  const sections = scoreSections(results, gate);
  const notAssessed = sections.filter((s) => !s.assessed).map((s) => s.id);
  const identity = outcomes.get(awsIdentity.id);
  const caller = identity?.ok ? (identity.value as { account: string; arn: string }) : undefined;
  return {
    schemaVersion: 2,
    tool: { name: 'readiness', version: VERSION },
    generatedAt: now.toISOString(),
    project: config.project,
    // As the identity API answered it (a snapshot or a stand-in endpoint can say anything): shown, never obeyed.
    source: { ...source, ...(caller?.account ? { account: escapeControlCharacters(caller.account) } : {}), ...(caller?.arn ? { principal: escapeControlCharacters(caller.arn) } : {}) },
    verdict: ready ? 'READY' : 'NOT_READY',
    band: band(overall, ready),
    score: overall,
    gate,
    sections,
    checks: checks.map(checkInfo),
    results,
    blockers,
    expiredWaivers: expiredWaivers(results),
    unusedWaivers: unusedWaivers(evaluated, config.waivers, now),
    notAssessed: notAssessed.filter((id): id is SectionId => id in SECTIONS),
    scope: scopeOf(results, sections, selection),
    exitReason: exitReasonOf(results, gate, clears, stale),
    summary: countStatuses(results),
    ...(accounts.length ? { accounts: accountScores(accounts, results, gate) } : {}),
    audit: auditOf(checks, loaded.config, outcomes, now),
  };
}

/**
 * A check of AWS (or Supabase) facts, with several accounts (projects): once per account, against that account's
 * facts and config; each result names its account. An organization whose accounts could not be listed gives
 * one unverified result per check, with the listing's failure.
 */
function evaluatePerAccount(check: Check, outcomes: ReadonlyMap<string, FactOutcome>, views: ReadonlyMap<Account, AccountView>, context: RunContext, options: Record<string, unknown> | undefined): Result[] {
  const kind = checkAccountKind(check, context.config);
  if (!kind) return evaluateCheck(check, outcomes, context, options);
  const ofKind = [...views.keys()].filter((account) => account.kind === kind);
  if (ofKind.length === 0) {
    const listing = outcomes.get(organizationAccounts.id);
    const failure: FactFailure = !listing
      ? { kind: 'NotFound', message: `${organizationAccounts.id} was not collected`, fix: 'collect it again (readiness collect)' }
      : listing.ok
        ? { kind: 'NotFound', message: 'the organization lists no active account', fix: 'check aws.organization and the caller (the management account or a delegated administrator)' }
        : listing.failure;
    const failed = new Map(outcomes);
    for (const ref of Object.values(check.facts)) failed.set(factOf(ref as FactRef).id, { ok: false, failure });
    return evaluateCheck(check, failed, context, options);
  }
  return ofKind.flatMap((account) =>
    evaluateCheck(check, views.get(account)!.facts, { ...context, config: views.get(account)!.config }, options).map((result) => ({
      ...result,
      resource: accountResource(account, result.resource),
      account: account.id,
    })),
  );
}

/** Each account's (or project's) own results, scored as the whole report is: its sections, score and band. */
function accountScores(accounts: readonly Account[], results: readonly Result[], gate: Gate): AccountScore[] {
  const byAccount = new Map<string, Result[]>(accounts.map((account) => [account.id, []]));
  for (const result of results) if (result.account !== undefined) byAccount.get(result.account)?.push(result);
  return accounts.map((account) => {
    const own = byAccount.get(account.id)!;
    const value = score(own);
    const ready = value !== null && value >= gate.minScore && !own.some((result) => isBlocker(result, gate.failOn));
    return { kind: account.kind, id: account.id, ...(account.name ? { name: account.name } : {}), score: value, band: band(value, ready), sections: scoreSections(own, gate), summary: countStatuses(own) };
  });
}

/** The methodology and sign-off of the auditor's document. */
function auditOf(checks: readonly Check[], config: LoadedConfig['config'], outcomes: ReadonlyMap<string, FactOutcome>, now: Date): ReportAudit {
  // With several accounts, a fact is recorded once per account (`<fact>@<account>`): read only if read in every one.
  const byFact = new Map<string, FactOutcome[]>();
  for (const [key, outcome] of outcomes) {
    const id = plainFactId(key);
    const same = byFact.get(id);
    if (same) same.push(outcome);
    else byFact.set(id, [outcome]);
  }
  const recorded = (id: string) => byFact.get(id) ?? [];
  const facts = [...(recorded(awsIdentity.id).length ? [awsIdentity] : []), ...planFacts(checks, config)].map((fact) => ({
    id: fact.id,
    description: fact.description,
    permissions: [...fact.permissions],
    read: recorded(fact.id).length > 0 && recorded(fact.id).every((outcome) => outcome.ok),
  }));
  const { preparedBy, reviewedBy, nextReviewDays } = config.report ?? {};
  const nextReview = nextReviewDays ? new Date(now.getTime() + nextReviewDays * 86_400_000).toISOString().slice(0, 10) : undefined;
  return { facts, signOff: { ...(preparedBy ? { preparedBy } : {}), ...(reviewedBy ? { reviewedBy } : {}), ...(nextReview ? { nextReview } : {}) } };
}

function checkInfo({ meta }: Check): CheckInfo {
  const { text, effortMinutes, effortLabel, waitDays } = meta.remediation;
  return {
    id: meta.id,
    title: meta.title,
    failureTitle: meta.failureTitle,
    risk: meta.description,
    section: meta.section,
    severity: meta.severity,
    layer: meta.layer,
    hipaa: meta.hipaa,
    phase: meta.phase,
    remediation: { text, effortMinutes, ...(effortLabel ? { effortLabel } : {}), ...(waitDays ? { waitDays } : {}) },
    scored: meta.scored !== false,
  };
}

/** Each expired waiver once, however many results it matched (a waiver without a resource matches them all). */
function expiredWaivers(results: readonly Result[]): Report['expiredWaivers'] {
  const seen = new Map<string, Report['expiredWaivers'][number]>();
  for (const r of results) {
    if (!r.waiver?.expired) continue;
    const key = JSON.stringify([r.waiver.check, r.waiver.resource ?? null]);
    if (!seen.has(key)) seen.set(key, { ...r.waiver, expired: true });
  }
  return [...seen.values()];
}

export { planFacts };
