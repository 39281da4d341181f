import { sleep } from '../sleep.js';

/**
 * The Management API allows 120 requests a minute per access token. Every project of a run that shares a token
 * shares one bucket of 120 tokens; a request takes one, and each token comes back a minute after it was taken,
 * so no minute ever holds more than the limit (a refill-rate bucket would let a burst plus a minute's refill
 * through). A 429 pauses every request of that token until its Retry-After.
 */
export const MANAGEMENT_API_LIMIT = { requests: 120, perMs: 60_000 };

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it is aborted. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
};

export class TokenBucket {
  /** When each token in use was taken, oldest first. */
  private readonly taken: number[] = [];
  private pausedUntil = 0;
  /** Requests waiting for a token, served in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: { requests: number; perMs: number },
    private readonly clock: Clock,
  ) {}

  /** Waits for a token. */
  take(signal: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** A 429: no request of this token goes out before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  private async waitForToken(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const now = this.clock.now();
      while (this.taken.length && this.taken[0]! + this.limit.perMs <= now) this.taken.shift();
      const wait = Math.max(this.pausedUntil - now, this.taken.length >= this.limit.requests ? this.taken[0]! + this.limit.perMs - now : 0);
      if (wait <= 0) {
        this.taken.push(now);
        return;
      }
      await this.clock.sleep(wait, signal);
    }
  }
}

/** One bucket per token for the whole run, shared by every project that uses it. */
export class ManagementRateLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly clock: Clock = systemClock,
    private readonly limit = MANAGEMENT_API_LIMIT,
  ) {}

  forToken(token: string): TokenBucket {
    let bucket = this.buckets.get(token);
    if (!bucket) {
      bucket = new TokenBucket(this.limit, this.clock);
      this.buckets.set(token, bucket);
    }
    return bucket;
  }
}
