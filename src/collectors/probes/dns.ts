import { Resolver } from 'node:dns/promises';
import { dnsRecords } from '../../facts/probes.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { domainHosts, errorReason } from './target.js';

type DnsRecord = FactValue<typeof dnsRecords>['records'][number];

export interface DnsCollectorOptions {
  /** DNS servers (`ip[:port]`); default: the system's. Tests point this at a local responder. */
  servers?: string[];
  /** Per-try timeout of one query, in ms. */
  timeoutMs?: number;
}

const MAX_CNAME_CHAIN = 8;
const NO_ANSWER = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/** Follows the CNAME chain of a name, then reads its A/AAAA records and the PTR of the first address. */
async function lookupHost(resolver: Resolver, host: string, role: string): Promise<DnsRecord> {
  const cnames: string[] = [];
  let name = host;
  let firstError: string | null = null;
  for (let i = 0; i < MAX_CNAME_CHAIN; i++) {
    try {
      const [next] = await resolver.resolveCname(name);
      if (!next) break;
      cnames.push(next);
      name = next;
    } catch (error) {
      const reason = errorReason(error);
      if (!NO_ANSWER.has(reason)) firstError = reason;
      break;
    }
  }
  // The resolver itself failed (timeout, refused): more queries would only wait as long again.
  if (firstError !== null) return { host, role, resolved: false, cnames, addresses: [], reverse: [], error: firstError };
  const addresses: string[] = [];
  for (const query of [() => resolver.resolve4(name), () => resolver.resolve6(name)]) {
    try {
      addresses.push(...(await query()));
    } catch (error) {
      firstError ??= errorReason(error);
    }
  }
  let reverse: string[] = [];
  if (addresses[0]) reverse = await resolver.reverse(addresses[0]).catch(() => []);
  const resolved = addresses.length > 0;
  return { host, role, resolved, cnames, addresses, reverse, error: resolved ? null : (firstError ?? 'ENODATA') };
}

export function createDnsCollector(options: DnsCollectorOptions = {}) {
  return defineCollector(dnsRecords, async (context) => {
    const domain = context.config.domain;
    if (!domain) throw new FactError('NotConfigured', 'no `domain` section in the config', 'add `domain: { name, hosts }` to readiness.config.yaml');
    const resolver = new Resolver({ timeout: options.timeoutMs ?? 3000, tries: 2 });
    if (options.servers) resolver.setServers(options.servers);
    const onAbort = () => resolver.cancel();
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const records = await Promise.all(domainHosts(context.config).map(({ host, role }) => lookupHost(resolver, host, role)));
      return { apex: domain.name, records };
    } finally {
      context.signal.removeEventListener('abort', onAbort);
    }
  });
}

export const dnsRecordsCollector = createDnsCollector();
