import pLimit from 'p-limit';
import type { Collector, CollectContext } from '../collectors/types.js';
import { FactError, PartialFact } from '../collectors/types.js';
import type { FactDefinition, FactOutcome } from '../model.js';
import { redact, secretValues } from './redact.js';

export interface CollectOptions {
  collectors: ReadonlyMap<string, Collector>;
  context: Omit<CollectContext, 'signal' | 'fact'>;
  concurrency?: number;
  /**
   * Time allowed to one collector, in ms. None by default: collectors share the run's budget
   * (`runSignal`), so a big account is bounded by --timeout, not by a constant.
   */
  collectorTimeoutMs?: number;
  /** Aborted when the whole run's --timeout is reached: what has not answered is unverified. */
  runSignal?: AbortSignal;
}

/** How long a collector cut off by the run may take to hand over what it read (it answers at once when it honours the signal). */
const HAND_OVER_MS = 250;

/**
 * Collects each fact at most once, concurrently under a bound. A collector that fails,
 * throws, times out or answers something off-schema gives a failed outcome, never a value.
 */
export async function collectFacts(facts: Iterable<FactDefinition>, options: CollectOptions): Promise<Map<string, FactOutcome>> {
  const { collectors, context, concurrency = 8, collectorTimeoutMs, runSignal } = options;
  const limit = pLimit(concurrency);
  const started = new Map<string, Promise<FactOutcome>>();

  // A dependency starts at once, outside the bound: its dependant already holds a slot.
  const start = (fact: FactDefinition): Promise<FactOutcome> => {
    let outcome = started.get(fact.id);
    if (!outcome) {
      outcome = collectOne(fact);
      started.set(fact.id, outcome);
    }
    return outcome;
  };

  const collectOne = async (fact: FactDefinition): Promise<FactOutcome> => {
    const collector = collectors.get(fact.id);
    if (!collector) return failed('Error', `no collector for fact ${fact.id}`);
    if (runSignal?.aborted) return failed('Timeout', 'the run reached its --timeout before this was collected', 'raise --timeout');
    const signals = [runSignal, collectorTimeoutMs === undefined ? undefined : AbortSignal.timeout(collectorTimeoutMs)].filter((s) => s !== undefined);
    const signal = signals.length ? AbortSignal.any(signals) : new AbortController().signal;
    const dependency = async <F extends FactDefinition>(dep: F) => {
      const result = await start(dep);
      if (!result.ok) throw new FactError(result.failure.kind, `needs ${dep.id}: ${result.failure.message}`, result.failure.fix);
      // A partial dependency hands over what it read; its unread resources are named by its own outcome.
      return result.value as never;
    };
    const parse = (value: unknown): FactOutcome => {
      const parsed = fact.schema.safeParse(value);
      if (parsed.success) return { ok: true, value: parsed.data };
      const issue = parsed.error.issues[0];
      return failed('MalformedResponse', `unexpected answer for ${fact.id} at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    };
    try {
      return parse(await raceAbort(collector.collect({ ...context, signal, fact: dependency }), signal));
    } catch (error) {
      if (error instanceof PartialFact) {
        const outcome = parse(error.value);
        const { kind, message, fix } = error.toFailure();
        return outcome.ok ? { ...outcome, partial: { kind, message, ...(fix ? { fix } : {}), unread: error.unread, read: error.read } } : outcome;
      }
      if (error instanceof FactError) return { ok: false, failure: error.toFailure() };
      if (signal.aborted) {
        if (runSignal?.aborted) return failed('Timeout', 'the run reached its --timeout before this answered', 'raise --timeout');
        return failed('Timeout', `no answer within ${(collectorTimeoutMs ?? 0) / 1000} s`, 'check connectivity');
      }
      return failed('Error', error instanceof Error ? error.message.split('\n')[0]! : String(error));
    }
  };

  const ids = [...new Set([...facts])];
  const outcomes = await Promise.all(
    ids.map((fact) =>
      limit(async () => {
        const outcome = await start(fact);
        context.progress?.factDone?.();
        return outcome;
      }),
    ),
  );
  const secrets = secretValues(context.config, context.env);
  return new Map(ids.map((fact, i) => [fact.id, withoutSecrets(outcomes[i]!, secrets)]));
}

/** An error message may quote a token, a connection string or a URL with credentials: mask them before they can reach a snapshot or a report. */
function withoutSecrets(outcome: FactOutcome, secrets: readonly string[]): FactOutcome {
  if (outcome.ok) {
    if (!outcome.partial) return outcome;
    const { message, fix } = outcome.partial;
    return { ...outcome, partial: { ...outcome.partial, message: redact(message, secrets), ...(fix ? { fix: redact(fix, secrets) } : {}) } };
  }
  const { kind, message, fix } = outcome.failure;
  return { ok: false, failure: { kind, message: redact(message, secrets), ...(fix ? { fix: redact(fix, secrets) } : {}) } };
}

function failed(kind: FactError['kind'], message: string, fix?: string): FactOutcome {
  return { ok: false, failure: { kind, message, ...(fix ? { fix } : {}) } };
}

/**
 * The collector's answer, or the abort. Once the signal fires, only a PartialFact (what was read
 * before the cut-off) is still taken, for HAND_OVER_MS: a plain value after the cut-off may be a
 * swallowed abort that looks like "none", so it never counts.
 */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cutOff = false;
    const onAbort = () => {
      cutOff = true;
      setTimeout(() => reject(signal.reason), HAND_OVER_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (cutOff) reject(signal.reason);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(cutOff && !(error instanceof PartialFact) ? signal.reason : error);
      },
    );
  });
}
