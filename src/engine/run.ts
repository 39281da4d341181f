import type { Collector } from '../collectors/types.js';
import type { LoadedConfig } from '../config/load.js';
import type { Check, CheckInfo, FactDefinition, FactOutcome, Report, ReportAudit, Result, SectionId, Severity } from '../model.js';
import { SECTIONS } from '../model.js';
import { awsIdentity } from '../facts/aws.js';
import { VERSION } from '../version.js';
import { applyWaivers, evaluateCheck, unusedWaivers } from './evaluate.js';
import { exitReasonOf } from './exit-reason.js';
import { scopeOf } from './scope.js';
import { band, countStatuses, isBlocker, score, scoreSections } from './scoring.js';
import { planFacts } from './select.js';
import { startProgress } from './progress.js';
import { dirname } from 'node:path';

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
  /** Collectors of the facts that are not built in (a plugin's), from the run's catalog. */
  collectors?: ReadonlyMap<string, Collector>;
}

/** Collects the facts from the live environment (plus the caller identity when AWS is configured). */
export async function collectLive(options: LiveOptions): Promise<Map<string, FactOutcome>> {
  const { loaded, now, env = process.env, timeoutMs = 120_000 } = options;
  // Loaded here, not at the top: a snapshot or demo run needs no collector (nor pg, nor the XML parser).
  const [{ collectors: allCollectors }, { AwsSession }, { collectFacts }] = await Promise.all([
    import('../collectors/index.js'),
    import('../collectors/aws/session.js'),
    import('./collect.js'),
  ]);
  const aws = new AwsSession({ config: loaded.config.aws, env, profile: options.profile, region: options.region });
  const facts = loaded.config.aws ? [awsIdentity, ...options.facts] : options.facts;
  const progress = options.progress ? startProgress(process.stderr, { totalFacts: new Set(facts).size }) : undefined;
  try {
    const outcomes = await collectFacts(facts, {
      // The registry lets no plugin collector take a built-in fact's id.
      collectors: options.collectors?.size ? new Map([...allCollectors, ...options.collectors]) : allCollectors,
      context: { config: loaded.config, now, env, baseDir: dirname(loaded.file), aws, ...(progress ? { progress } : {}) },
      runSignal: AbortSignal.timeout(timeoutMs),
    });
    return guardAccount(outcomes, loaded.config.aws?.accountId);
  } finally {
    progress?.stop();
    aws.destroy();
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
}

/** Pure: facts → results → waivers → scores → verdict. */
export function buildReport({ loaded, checks, outcomes, now, source, gate: override }: ReportOptions): Report {
  const { config } = loaded;
  const gate = { minScore: override?.minScore ?? config.gate.minScore, failOn: override?.failOn ?? config.gate.failOn };
  const evaluated: Result[] = checks.flatMap((check) => evaluateCheck(check, outcomes, { config, now }));
  const results = applyWaivers(evaluated, config.waivers, now);
  const evaluatedScore = score(results);
  const overall = evaluatedScore ?? 0;
  const blockers = results.filter((r) => isBlocker(r, gate.failOn));
  // Nothing evaluated proves nothing, even with gate.minScore 0.
  const ready = evaluatedScore !== null && overall >= gate.minScore && blockers.length === 0;
  const sections = scoreSections(results, gate);
  const notAssessed = sections.filter((s) => !s.assessed).map((s) => s.id);
  const identity = outcomes.get(awsIdentity.id);
  const caller = identity?.ok ? (identity.value as { account: string; arn: string }) : undefined;
  return {
    schemaVersion: 2,
    tool: { name: 'readiness', version: VERSION },
    generatedAt: now.toISOString(),
    project: config.project,
    source: { ...source, ...(caller?.account ? { account: caller.account } : {}), ...(caller?.arn ? { principal: caller.arn } : {}) },
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
    scope: scopeOf(results, sections),
    exitReason: exitReasonOf(results, gate, ready),
    summary: countStatuses(results),
    audit: auditOf(checks, loaded.config, outcomes, now),
  };
}

/** The methodology and sign-off of the auditor's document. */
function auditOf(checks: readonly Check[], config: LoadedConfig['config'], outcomes: ReadonlyMap<string, FactOutcome>, now: Date): ReportAudit {
  const facts = [...(outcomes.has(awsIdentity.id) ? [awsIdentity] : []), ...planFacts(checks, config)].map((fact) => ({
    id: fact.id,
    description: fact.description,
    permissions: [...fact.permissions],
    read: outcomes.get(fact.id)?.ok === true,
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
