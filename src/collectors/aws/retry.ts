import { MAX_ATTEMPTS } from './session.js';
import { sleep } from '../sleep.js';

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const THROTTLING_CODES = /<Code>(Throttling|ThrottlingException|SlowDown|RequestLimitExceeded|TooManyRequestsException)<\/Code>|"__type":\s*"[^"]*(Throttling|TooManyRequests)/;
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

export interface RawAnswer {
  response: Response;
  body: string;
}

/**
 * For the few calls made with fetch instead of an SDK client: retried as the SDK's standard mode
 * retries (MAX_ATTEMPTS attempts on throttling, 5xx and dropped connections, jittered exponential
 * backoff). The last answer is returned, or the last network error thrown.
 */
export async function fetchWithRetries(send: () => Promise<Response>, signal: AbortSignal): Promise<RawAnswer> {
  for (let attempt = 1; ; attempt++) {
    let answer: RawAnswer | undefined;
    let failure: unknown;
    try {
      const response = await send();
      answer = { response, body: await response.text() };
    } catch (error) {
      if (signal.aborted) throw error;
      failure = error;
    }
    const throttled = answer !== undefined && (answer.response.status === 429 || THROTTLING_CODES.test(answer.body));
    const retryable = failure !== undefined || throttled || (answer !== undefined && RETRYABLE_STATUS.has(answer.response.status));
    if (!retryable || attempt >= MAX_ATTEMPTS) {
      if (answer) return answer;
      throw failure;
    }
    const base = throttled ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    await sleep(Math.floor(Math.random() * Math.min(MAX_DELAY_MS, base * 2 ** attempt)), signal);
  }
}
