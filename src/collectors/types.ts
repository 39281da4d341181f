import type { Config } from '../config/schema.js';
import type { FactDefinition, FactFailure, FailureKind, FactValue } from '../model.js';
import type { AwsSession } from './aws/session.js';
import type { ManagementRateLimits } from './supabase/rate-limit.js';

export interface CollectContext {
  config: Config;
  now: Date;
  /** Aborted when this collector's time is up or the whole run's --timeout is reached. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** Folder that relative paths in the config are resolved against (the config file's). */
  baseDir: string;
  aws: AwsSession;
  /** Another fact this collector builds on (collected once per run, shared); throws its FactError. */
  fact<F extends FactDefinition>(fact: F): Promise<FactValue<F>>;
  /** Counts resources read, for the progress line of a long run (e.g. `read('s3 buckets')`). */
  progress?: Progress;
  /** Paces Management API calls per access token across the run's Supabase projects. */
  managementRateLimits?: ManagementRateLimits;
}

export interface Progress {
  read(what: string, count?: number): void;
  factDone?(): void;
}

/** A typed reason a fact could not be collected; the engine turns it into `unverified`. */
export class FactError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }

  toFailure(): FactFailure {
    return { kind: this.kind, message: this.message, ...(this.fix ? { fix: this.fix } : {}) };
  }
}

/**
 * Thrown by a collector cut off part-way (the run's --timeout): `value` holds what was read,
 * `unread` names each resource that was not. The engine keeps the verdicts of what was read.
 */
export class PartialFact extends FactError {
  constructor(
    readonly value: unknown,
    readonly unread: string[],
    readonly read: number,
    message: string,
    fix?: string,
  ) {
    super('Timeout', message, fix);
  }
}

export interface Collector<F extends FactDefinition = FactDefinition> {
  fact: F;
  collect(context: CollectContext): Promise<FactValue<F>>;
}

export function defineCollector<F extends FactDefinition>(
  fact: F,
  collect: (context: CollectContext) => Promise<FactValue<F>>,
): Collector<F> {
  return { fact, collect };
}
