import { healthProbes } from '../../facts/probes.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { probeRequest } from './request.js';
import { boundedSignal, probeTarget } from './target.js';
import { withoutUrlCredentials } from '../url-credentials.js';
import { readEach } from '../read-each.js';
import pLimit from 'p-limit';

type HealthProbe = FactValue<typeof healthProbes>[number];

/**
 * Each `probes:` URL, bounded by its own timeoutMs; TLS is verified as a browser would (plus `ca` when given).
 * Cut off by the run's --timeout, the probes that answered keep their verdicts and each other one is named.
 */
export function createHealthCollector(options: { ca?: string[] } = {}) {
  return defineCollector(healthProbes, async (context) => {
    if (context.config.probes.length === 0) throw new FactError('NotConfigured', 'no `probes:` in the config', 'add `probes: [{ id, url, expectStatus, timeoutMs }]`');
    const { probes } = context.config;
    return readEach(context, probes, { name: (probe) => probe.id, limit: pLimit(probes.length), counting: 'health probes' }, async (probe): Promise<HealthProbe> => {
      const url = new URL(probe.url);
      const scheme = url.protocol === 'http:' ? 'http' : 'https';
      const target = probeTarget(context.config, url.hostname, url.port ? Number(url.port) : scheme === 'https' ? 443 : 80);
      const answer = await probeRequest({ scheme, target, path: `${url.pathname}${url.search}`, hostHeader: url.host, signal: boundedSignal(context.signal, probe.timeoutMs), verifyTls: true, ca: options.ca });
      const base = { id: probe.id, url: withoutUrlCredentials(probe.url), target, expectStatus: probe.expectStatus, timeoutMs: probe.timeoutMs, durationMs: answer.durationMs };
      if (answer.ok) return { ...base, outcome: 'answered', status: answer.status, error: null };
      return { ...base, outcome: answer.timedOut ? 'timeout' : 'unreachable', status: null, error: answer.error };
    });
  });
}

export const healthProbesCollector = createHealthCollector();
