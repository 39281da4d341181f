import pLimit from 'p-limit';
import type { Collector, CollectContext } from '../collectors/types.js';
import { FactError } from '../collectors/types.js';
import type { FactDefinition, FactOutcome } from '../model.js';
import { redact, secretValues } from './redact.js';

export interface CollectOptions {
  collectors: ReadonlyMap<string, Collector>;
  context: Omit<CollectContext, 'signal' | 'fact'>;
  concurrency?: number;
  /** Time allowed to one collector, in ms. */
  collectorTimeoutMs?: number;
  /** Aborted when the whole run's --timeout is reached: what has not answered is unverified. */
  runSignal?: AbortSignal;
}

/**
 * Collects each fact at most once, concurrently under a bound. A collector that fails,
 * throws, times out or answers something off-schema gives a failed outcome, never a value.
 */
export async function collectFacts(facts: Iterable<FactDefinition>, options: CollectOptions): Promise<Map<string, FactOutcome>> {
  const { collectors, context, concurrency = 8, collectorTimeoutMs = 30_000, runSignal } = options;
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
    const signal = runSignal ? AbortSignal.any([runSignal, AbortSignal.timeout(collectorTimeoutMs)]) : AbortSignal.timeout(collectorTimeoutMs);
    const dependency = async <F extends FactDefinition>(dep: F) => {
      const result = await start(dep);
      if (!result.ok) throw new FactError(result.failure.kind, `needs ${dep.id}: ${result.failure.message}`, result.failure.fix);
      return result.value as never;
    };
    try {
      const value = await raceAbort(collector.collect({ ...context, signal, fact: dependency }), signal);
      const parsed = fact.schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return failed('MalformedResponse', `unexpected answer for ${fact.id} at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
      }
      return { ok: true, value: parsed.data };
    } catch (error) {
      if (error instanceof FactError) return { ok: false, failure: error.toFailure() };
      if (signal.aborted) {
        const whole = runSignal?.aborted;
        return failed('Timeout', whole ? 'the run reached its --timeout' : `no answer within ${collectorTimeoutMs / 1000} s`, 'check connectivity or raise --timeout');
      }
      return failed('Error', error instanceof Error ? error.message.split('\n')[0]! : String(error));
    }
  };

  const ids = [...new Set([...facts])];
  const outcomes = await Promise.all(ids.map((fact) => limit(() => start(fact))));
  const secrets = secretValues(context.config, context.env);
  return new Map(ids.map((fact, i) => [fact.id, withoutSecrets(outcomes[i]!, secrets)]));
}

/** An error message may quote a token, a connection string or a URL with credentials: mask them before they can reach a snapshot or a report. */
function withoutSecrets(outcome: FactOutcome, secrets: readonly string[]): FactOutcome {
  if (outcome.ok) return outcome;
  const { kind, message, fix } = outcome.failure;
  return { ok: false, failure: { kind, message: redact(message, secrets), ...(fix ? { fix: redact(fix, secrets) } : {}) } };
}

function failed(kind: FactError['kind'], message: string, fix?: string): FactOutcome {
  return { ok: false, failure: { kind, message, ...(fix ? { fix } : {}) } };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
