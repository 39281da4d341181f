import type { FailureKind, Report, Result } from '../model.js';
import { isBlocker, score, type Gate } from './scoring.js';

/** Failures that say the tool could not see, not that the product is unsafe: fix the pipeline, not the product. */
const BLIND: readonly FailureKind[] = ['NoCredentials', 'AccessDenied', 'Unreachable', 'Timeout', 'Throttled'];

export const isBlind = (result: Result): boolean => result.status === 'unverified' && BLIND.includes(result.evidence.failure as FailureKind);

/**
 * 0 READY; 3 NOT READY only because the tool could not see (without the unverified results caused by credentials,
 * access, network or timeout, no blocker is left and the score clears the gate); 1 otherwise — a real blocker wins.
 */
export function exitReasonOf(results: readonly Result[], gate: Gate, ready: boolean): Report['exitReason'] {
  if (ready) return { code: 0, reason: 'ready' };
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
