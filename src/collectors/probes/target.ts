import type { Config } from '../../config/schema.js';

export interface ProbeTarget {
  host: string;
  address: string;
  port: number;
  overridden: boolean;
}

/** Time allowed to one domain probe (connect + handshake + answer). */
export const DOMAIN_PROBE_TIMEOUT_MS = 8000;

/**
 * Where to send a probe for `host:port`, honouring `domain.resolve` like curl's --resolve:
 * a `host:port` key targets that port only; a bare `host` key targets every port, and the
 * port it gives (if any) replaces 443 only, since one address:port cannot serve both schemes.
 */
export function probeTarget(config: Config, host: string, port: number): ProbeTarget {
  const overrides = config.domain?.resolve ?? {};
  const exact = overrides[`${host}:${port}`];
  const any = overrides[host];
  const value = exact ?? any;
  if (value === undefined) return { host, address: host, port, overridden: false };
  const { address, port: givenPort } = splitAddress(value);
  const usePort = givenPort !== undefined && (exact !== undefined || port === 443) ? givenPort : port;
  return { host, address, port: usePort, overridden: true };
}

function splitAddress(value: string): { address: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) return { address: bracketed[1]!, ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const parts = value.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1]!)) return { address: parts[0]!, port: Number(parts[1]) };
  return { address: value };
}

/** The hosts to probe: apex first, then `domain.hosts` in config order, without duplicates. */
export function domainHosts(config: Config): { host: string; role: string }[] {
  const domain = config.domain;
  if (!domain) return [];
  const seen = new Set<string>();
  return [{ host: domain.name, role: 'apex' }, ...Object.entries(domain.hosts).map(([role, host]) => ({ host, role }))].filter(({ host }) => {
    const key = host.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A short, stable reason from a socket/DNS error (its code when it has one). */
export function errorReason(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** Aborts after `ms` or when the run's signal aborts, whichever comes first. */
export function boundedSignal(signal: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}
