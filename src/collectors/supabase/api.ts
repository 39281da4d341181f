import createClient, { type Client } from 'openapi-fetch';
import { FactError, type CollectContext } from '../types.js';
import type { paths } from './management-api.js';
import type { TokenBucket } from './rate-limit.js';

const MAX_RATE_LIMIT_WAITS = 2;
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

export type ManagementApi = Client<paths>;

/** The Supabase section is assessed only when configured; calls need a Management API token. */
export function supabaseProject(context: CollectContext): { ref: string; token: string; apiUrl: string } {
  const supabase = context.config.supabase;
  if (!supabase) throw new FactError('NotConfigured', 'no `supabase` section in the config');
  // With `projects`, the engine hands each collector a config of one project.
  if (!supabase.projectRef) throw new FactError('NotConfigured', 'no Supabase project chosen');
  const token = supabase.accessToken || context.env.SUPABASE_ACCESS_TOKEN;
  if (!token) {
    throw new FactError('NoCredentials', 'no Supabase Management API token', 'set SUPABASE_ACCESS_TOKEN (a personal access token with read access)');
  }
  return { ref: supabase.projectRef, token, apiUrl: supabase.apiUrl.replace(/\/+$/, '') };
}

/** A typed client (types generated from the Management API's OpenAPI document) that waits out 429s, bounded. */
export function managementApi(context: CollectContext): { api: ManagementApi; ref: string } {
  const { ref, token, apiUrl } = supabaseProject(context);
  const api = createClient<paths>({
    baseUrl: apiUrl,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    querySerializer: { array: { style: 'form', explode: false } },
    fetch: (request) => fetchWaitingOnRateLimit(request, context.signal, context.managementRateLimits?.forToken(token)),
  });
  return { api, ref };
}

interface ApiAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Runs one call and turns every way it can fail into a typed FactError:
 * 401 → NoCredentials, 403 → AccessDenied, 404 → NotFound, 429 (after waiting) → Throttled,
 * other statuses → Error, network → Unreachable, abort → Timeout, bad JSON → MalformedResponse.
 */
export async function callManagementApi<T>(context: CollectContext, label: string, call: () => Promise<ApiAnswer<T>>): Promise<NonNullable<T>> {
  let answer: ApiAnswer<T>;
  try {
    answer = await call();
  } catch (error) {
    if (error instanceof FactError) throw error;
    if (context.signal.aborted) throw new FactError('Timeout', `${label} did not answer in time`, 'check network access to the Supabase API or raise --timeout');
    if (error instanceof SyntaxError) throw new FactError('MalformedResponse', `${label} answered with invalid JSON`);
    throw new FactError('Error', `${label}: ${(error as Error).message}`);
  }
  const { status } = answer.response;
  if (answer.response.ok) {
    if (answer.data === undefined || answer.data === null) throw new FactError('MalformedResponse', `${label} answered ${status} without a body`);
    return answer.data;
  }
  if (status === 401) throw new FactError('NoCredentials', `${label}: 401 Unauthorized (token invalid or expired)`, 'create a new access token and set SUPABASE_ACCESS_TOKEN');
  if (status === 403) throw new FactError('AccessDenied', `${label}: 403 Forbidden`, `use a token of an account allowed to call ${label} on this project`);
  if (status === 404) throw new FactError('NotFound', `${label}: 404 (project ref or endpoint not found)`, 'check supabase.projectRef');
  if (status === 429) throw new FactError('Throttled', `${label}: rate limited (429) after ${MAX_RATE_LIMIT_WAITS} waits`, 'run again in a minute');
  throw new FactError('Error', `${label}: HTTP ${status}`);
}

/** The typed client trusts the server; a list that is not one would throw a TypeError further on. */
export function expectList<T>(value: T[], label: string): T[] {
  if (!Array.isArray(value)) throw new FactError('MalformedResponse', `${label}: expected a list`);
  return value;
}

/** Every request takes a token of its access token's bucket first; a 429 pauses that bucket (all its projects) until Retry-After. */
async function fetchWaitingOnRateLimit(request: Request, signal: AbortSignal, bucket?: TokenBucket): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    if (bucket) {
      try {
        await bucket.take(signal);
      } catch {
        throw new FactError('Timeout', `${describe(request)} was still waiting for the Management API rate limit (120 requests a minute per token) at --timeout`, 'raise --timeout, or use a token per project');
      }
    }
    try {
      response = await fetch(request.clone(), { signal });
    } catch (error) {
      if (signal.aborted) throw new FactError('Timeout', `${describe(request)} did not answer in time`, 'check network access to the Supabase API or raise --timeout');
      const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
      throw new FactError('Unreachable', `cannot reach ${new URL(request.url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, 'check network access and supabase.apiUrl');
    }
    if (response.status !== 429 || attempt >= MAX_RATE_LIMIT_WAITS) return response;
    await response.body?.cancel();
    if (bucket) bucket.pause(rateLimitWaitMs(response.headers));
    else await sleep(rateLimitWaitMs(response.headers), signal);
  }
}

function describe(request: Request): string {
  return `${request.method} ${new URL(request.url).pathname.replace(/projects\/[a-z]{20}/, 'projects/{ref}')}`;
}

/** X-RateLimit-Reset is seconds until the window resets (or an epoch time in seconds or ms); waits at most 60 s. */
export function rateLimitWaitMs(headers: Headers, nowMs = Date.now()): number {
  const reset = Number(headers.get('x-ratelimit-reset') ?? headers.get('retry-after') ?? '1');
  if (!Number.isFinite(reset) || reset < 0) return 1000;
  const seconds = reset > 1e12 ? (reset - nowMs) / 1000 : reset > 1e9 ? reset - nowMs / 1000 : reset;
  return Math.min(Math.max(seconds, 0) * 1000, MAX_RATE_LIMIT_WAIT_MS);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new FactError('Timeout', 'gave up waiting for the Supabase rate limit to reset'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new FactError('Timeout', 'gave up waiting for the Supabase rate limit to reset'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
