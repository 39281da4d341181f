import { defineCheck, type Finding } from '../../src/model.js';
import { healthProbes } from '../../src/facts/probes.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'domain.probes.health',
    title: 'Health probes answer as expected',
    failureTitle: 'A health probe does not answer as expected',
    description: 'Every configured probe must answer its expected status within its timeout; one that times out or cannot connect is unverified, never healthy.',
    section: 'domain',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Check the endpoint behind the probe (API Gateway stage, Lambda/Edge Function logs) and its network path',
      command: 'curl -sS -o /dev/null -w "%{http_code} %{time_total}s\\n" --max-time {{timeoutSeconds}} {{urlWord}}',
      effortMinutes: 30,
    },
    messages: {
      healthy: '{{resource}} answered {{status}} in {{durationMs}} ms',
      'unexpected-status': '{{resource}} answered {{status}}, expected {{expectStatus}}',
      timeout: '{{resource}} did not answer within {{timeoutMs}} ms',
      unreachable: 'Could not reach {{resource}} at {{url}} ({{error}})',
    },
  },
  facts: { probes: healthProbes },
  evaluate({ probes }) {
    return probes.map((probe): Finding => {
      const args = {
        url: probe.url,
        urlWord: shellQuote(probe.url),
        status: probe.status ?? 'none',
        expectStatus: probe.expectStatus,
        durationMs: probe.durationMs,
        timeoutMs: probe.timeoutMs,
        timeoutSeconds: Math.ceil(probe.timeoutMs / 1000),
        error: probe.error ?? '',
      };
      const evidence = { url: probe.url, target: `${probe.target.address}:${probe.target.port}`, status: probe.status, expectStatus: probe.expectStatus, durationMs: probe.durationMs, outcome: probe.outcome, error: probe.error };
      if (probe.outcome === 'timeout') return { resource: probe.id, status: 'unverified', code: 'timeout', args, evidence };
      if (probe.outcome === 'unreachable') return { resource: probe.id, status: 'unverified', code: 'unreachable', args, evidence };
      const healthy = probe.status === probe.expectStatus;
      return { resource: probe.id, status: healthy ? 'pass' : 'fail', code: healthy ? 'healthy' : 'unexpected-status', args, evidence };
    });
  },
});
