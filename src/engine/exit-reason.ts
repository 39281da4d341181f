import type { FailureKind, Report, Result } from '../model.js';
import { isBlocker, score, type Gate } from './scoring.js';

/** Failures that say the tool could not see, not that the product is unsafe: fix the pipeline, not the product. */
const BLIND: readonly FailureKind[] = ['NoCredentials', 'AccessDenied', 'Unreachable', 'Timeout', 'Throttled'];

export const isBlind = (result: Result): boolean => result.status === 'unverified' && BLIND.includes(result.evidence.failure as FailureKind);

/** Clocks of the machine that collected and of the one that judges may differ this much. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface StaleEvidence {
  cause: string;
  fix: string;
}

/**
 * Why a snapshot's facts are no evidence of the environment at the report's date: collected more than
 * gate.maxEvidenceAgeHours before it, or after it. Live facts are of now; the demo is judged at its own date.
 */
export function staleEvidence(source: Report['source'], now: Date, maxAgeHours: number): StaleEvidence | undefined {
  if (source.kind !== 'snapshot') return undefined;
  const fix = 'run `readiness collect` again (or `readiness check` live)';
  const collected = source.collectedAt === undefined ? NaN : Date.parse(source.collectedAt);
  if (Number.isNaN(collected)) return { cause: `the snapshot does not say when its evidence was collected (snapshot ${source.snapshot})`, fix };
  const where = `snapshot ${source.snapshot} at ${source.collectedAt}`;
  const age = now.getTime() - collected;
  if (age < -CLOCK_SKEW_MS) return { cause: `the evidence was collected after the report's date (${where}; the report is of ${now.toISOString()})`, fix };
  // Written so that a limit that is not a number (a config not read through its schema) is no licence to pass.
  if (!(age <= maxAgeHours * 3_600_000)) return { cause: `the evidence was collected ${ago(age)} ago (${where}; gate.maxEvidenceAgeHours ${maxAgeHours})`, fix };
  return undefined;
}

function ago(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * 0 READY; 3 NOT READY only because the tool could not see (without the unverified results caused by credentials,
 * access, network or timeout, no blocker is left and the score clears the gate), or because the evidence that clears
 * the gate is stale; 1 otherwise — a real blocker wins.
 */
export function exitReasonOf(results: readonly Result[], gate: Gate, clears: boolean, stale?: StaleEvidence): Report['exitReason'] {
  if (clears) return stale ? { code: 3, reason: 'could-not-see', ...stale } : { code: 0, reason: 'ready' };
  // Most reports not ready have seen what they fail on: no split of their results (tens of thousands) is needed.
  if (!results.some(isBlind)) return { code: 1, reason: 'not-ready' };
  const blind: Result[] = [];
  const seen: Result[] = [];
  for (const result of results) (isBlind(result) ? blind : seen).push(result);
  if (seen.some((r) => isBlocker(r, gate.failOn))) return { code: 1, reason: 'not-ready' };
  const seenScore = score(seen);
  if (seenScore !== null && seenScore < gate.minScore) return { code: 1, reason: 'not-ready' };
  const cause = mostCommonCause(blind);
  return { code: 3, reason: 'could-not-see', cause: cause.text, ...(cause.fix ? { fix: cause.fix } : {}) };
}

/** The kind of failure most blind results share (no credentials makes every AWS fact fail the same way), by its first instance. */
function mostCommonCause(blind: readonly Result[]): { text: string; fix?: string } {
  const counts = new Map<string, { count: number; text: string; fix?: string }>();
  for (const result of blind) {
    const kind = String(result.evidence.failure);
    const fix = typeof result.evidence.fix === 'string' ? result.evidence.fix : undefined;
    const entry = counts.get(kind) ?? { count: 0, text: `${kind}: ${String(result.evidence.reason ?? result.message)}`, ...(fix ? { fix } : {}) };
    entry.count++;
    counts.set(kind, entry);
  }
  const [top] = [...counts.values()].sort((a, b) => b.count - a.count);
  const others = blind.length - top!.count;
  return { text: `${top!.text}${others > 0 ? ` (and ${others} other unverified result${others === 1 ? '' : 's'})` : ''}`, ...(top!.fix ? { fix: top!.fix } : {}) };
}
