import { FactError, type CollectContext } from '../types.js';

const MAX_RATE_LIMIT_WAITS = 2;

/** The Supabase section is assessed only when configured; calls need a Management API token. */
export function supabaseProject(context: CollectContext): { ref: string; token: string; apiUrl: string } {
  const supabase = context.config.supabase;
  if (!supabase) throw new FactError('NotConfigured', 'no `supabase` section in the config');
  const token = supabase.accessToken ?? context.env.SUPABASE_ACCESS_TOKEN;
  if (!token) {
    throw new FactError('NoCredentials', 'no Supabase Management API token', 'set SUPABASE_ACCESS_TOKEN (a personal access token with read access)');
  }
  return { ref: supabase.projectRef, token, apiUrl: supabase.apiUrl.replace(/\/+$/, '') };
}

/** GET on the Management API: 401/403/429/5xx become typed fact failures; 429 waits for X-RateLimit-Reset (bounded). */
export async function managementGet(context: CollectContext, path: string): Promise<unknown> {
  const { token, apiUrl } = supabaseProject(context);
  const label = `GET ${path.replace(/projects\/[a-z]{20}/, 'projects/{ref}')}`;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: context.signal });
    } catch (error) {
      if (context.signal.aborted) throw new FactError('Timeout', `${label} did not answer in time`, 'check network access to the Supabase API or raise --timeout');
      throw new FactError('Unreachable', `cannot reach ${apiUrl}: ${(error as Error).cause ?? (error as Error).message}`, 'check network access and supabase.apiUrl');
    }
    if (response.ok) {
      try {
        return await response.json();
      } catch {
        throw new FactError('MalformedResponse', `${label} answered with invalid JSON`);
      }
    }
    await response.body?.cancel();
    if (response.status === 401) throw new FactError('NoCredentials', `${label}: 401 Unauthorized (token invalid or expired)`, 'create a new access token and set SUPABASE_ACCESS_TOKEN');
    if (response.status === 403) throw new FactError('AccessDenied', `${label}: 403 Forbidden`, 'use a token of an account with access to this project');
    if (response.status === 404) throw new FactError('NotFound', `${label}: 404 (project ref or endpoint not found)`, 'check supabase.projectRef');
    if (response.status === 429 && attempt < MAX_RATE_LIMIT_WAITS) {
      await sleep(rateLimitWaitMs(response.headers), context.signal);
      continue;
    }
    if (response.status === 429) throw new FactError('Throttled', `${label}: rate limited (429) after ${MAX_RATE_LIMIT_WAITS} waits`, 'run again in a minute');
    throw new FactError('Error', `${label}: HTTP ${response.status}`);
  }
}

/** X-RateLimit-Reset is seconds until the window resets (or an epoch time); waits at most 60 s. */
function rateLimitWaitMs(headers: Headers): number {
  const reset = Number(headers.get('x-ratelimit-reset') ?? headers.get('retry-after') ?? '1');
  if (!Number.isFinite(reset) || reset < 0) return 1000;
  const seconds = reset > 1e9 ? reset - Date.now() / 1000 : reset;
  return Math.min(Math.max(seconds, 0) * 1000, 60_000);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new FactError('Timeout', 'gave up waiting for the Supabase rate limit to reset'));
    }, { once: true });
  });
}
