import { healthProbes } from '../../facts/probes.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { header, probeRequest } from './request.js';
import { boundedSignal, probeTarget } from './target.js';
import { withoutUrlCredentials } from '../url-credentials.js';
import { readEach } from '../read-each.js';
import pLimit from 'p-limit';

type HealthProbe = FactValue<typeof healthProbes>[number];

/** Enough for any health answer; a longer one is judged on its start. */
const BODY_LIMIT = 64 * 1024;
const HTML_DOCUMENT = /^\uFEFF?\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html)[\s>]/i;

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
      const answer = await probeRequest({ scheme, target, path: `${url.pathname}${url.search}`, hostHeader: url.host, signal: boundedSignal(context.signal, probe.timeoutMs), verifyTls: true, ca: options.ca, bodyLimit: BODY_LIMIT });
      const expectBody = probe.expectBody ?? null;
      const base = { id: probe.id, url: withoutUrlCredentials(probe.url), target, expectStatus: probe.expectStatus, timeoutMs: probe.timeoutMs, durationMs: answer.durationMs, expectBody };
      if (!answer.ok) return { ...base, outcome: answer.timedOut ? 'timeout' : 'unreachable', status: null, error: answer.error, bodyMatched: null, contentType: null, htmlDocument: null };
      // Only these verdicts are kept, never the body: a health answer may carry versions, hosts or worse.
      const body = answer.body?.toString('utf8') ?? '';
      return {
        ...base,
        outcome: 'answered',
        status: answer.status,
        error: null,
        bodyMatched: expectBody === null ? null : body.includes(expectBody),
        contentType: header(answer.headers, 'content-type'),
        htmlDocument: HTML_DOCUMENT.test(body),
      };
    });
  });
}

export const healthProbesCollector = createHealthCollector();
