import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ProbeTarget } from './target.js';
import { errorReason } from './target.js';

export interface ProbeRequest {
  scheme: 'http' | 'https';
  target: ProbeTarget;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** false: read the answer even over an invalid certificate (the TLS check judges the certificate). */
  verifyTls: boolean;
  ca?: string[] | undefined;
  /** The Host header; default: the target's name (the probe keeps it even when `domain.resolve` moves the address). */
  hostHeader?: string;
  /** Keep the body, up to this many bytes (one more is read, to know it was longer); default: none kept. */
  bodyLimit?: number;
}

export type ProbeAnswer =
  | { ok: true; status: number; headers: IncomingHttpHeaders; headerLines: NodeJS.Dict<string[]>; durationMs: number; body?: Buffer; bodyTruncated?: boolean }
  | { ok: false; timedOut: boolean; error: string; durationMs: number };

/** One request to the target address, keeping the host's name for SNI and Host; no redirect is followed, no body kept unless asked (bounded). */
export function probeRequest(probe: ProbeRequest): Promise<ProbeAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { target } = probe;
  const hostHeader = probe.hostHeader ?? target.host;
  return new Promise((resolve) => {
    if (probe.signal.aborted) return resolve({ ok: false, timedOut: true, error: 'ETIMEDOUT', durationMs: 0 });
    const send = probe.scheme === 'https' ? httpsRequest : httpRequest;
    const req = send({
      host: target.address,
      port: target.port,
      path: probe.path,
      method: probe.method ?? 'GET',
      headers: { host: hostHeader, 'user-agent': 'readiness-probe', ...probe.headers },
      signal: probe.signal,
      agent: false,
      ...(probe.scheme === 'https' ? { servername: target.host, rejectUnauthorized: probe.verifyTls, ...(probe.ca ? { ca: probe.ca } : {}) } : {}),
    });
    req.once('response', (res) => {
      const answered = { ok: true as const, status: res.statusCode ?? 0, headers: res.headers, headerLines: res.headersDistinct };
      const limit = probe.bodyLimit;
      if (limit === undefined) {
        res.resume();
        res.destroy();
        return resolve({ ...answered, durationMs: elapsed() });
      }
      const chunks: Buffer[] = [];
      let length = 0;
      const done = (truncated: boolean) => {
        res.destroy();
        const body = Buffer.concat(chunks);
        resolve({ ...answered, durationMs: elapsed(), body: body.subarray(0, limit), bodyTruncated: truncated });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length > limit) done(true);
      });
      res.once('end', () => done(false));
      // A body cut off mid-way (reset, timeout) is not the answer: reported like a failed request.
      res.once('error', (error) => resolve({ ok: false, timedOut: probe.signal.aborted, error: probe.signal.aborted ? 'ETIMEDOUT' : errorReason(error), durationMs: elapsed() }));
      res.once('aborted', () => resolve({ ok: false, timedOut: probe.signal.aborted, error: probe.signal.aborted ? 'ETIMEDOUT' : 'ECONNRESET', durationMs: elapsed() }));
    });
    req.once('error', (error) => {
      const timedOut = probe.signal.aborted;
      resolve({ ok: false, timedOut, error: timedOut ? 'ETIMEDOUT' : errorReason(error), durationMs: elapsed() });
    });
    req.end();
  });
}

export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
