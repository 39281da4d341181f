import { defineCheck, type Finding } from '../../src/model.js';
import { healthProbes } from '../../src/facts/probes.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'domain.probes.health',
    title: 'Health probes answer as expected',
    failureTitle: 'A health probe does not answer as expected',
    description:
      "Every configured probe must answer its expected status within its timeout, and its `expectBody` when given; one that times out or cannot connect is unverified, never healthy. A 200 with an HTML page proves nothing on its own: a single-page app's fallback (CloudFront's 404 → 200 /index.html) answers it for every path, so without `expectBody` it is unverified.",
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
      healthy: '{{resource}} answered {{status}} in {{durationMs}} ms{{bodyNote}}',
      'unexpected-status': '{{resource}} answered {{status}}, expected {{expectStatus}}',
      'unexpected-body': '{{resource}} answered {{status}}, but the first 64 KiB of its answer do not contain the expected {{expectBody}} ({{contentType}})',
      'html-page': "{{resource}} answered {{status}} with an HTML page: a single-page app's fallback answers that for every path, so it does not show the service is up; set the probe's `expectBody` to what the health endpoint returns",
      'body-not-collected': '{{resource}} answered {{status}}, but this snapshot does not say what it answered (taken before answers were read): collect again',
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
        expectBody: JSON.stringify(probe.expectBody ?? ''),
        contentType: probe.contentType ?? 'no content type',
        bodyNote: probe.expectBody ? `, containing ${JSON.stringify(probe.expectBody)}` : '',
      };
      const evidence = {
        url: probe.url,
        target: `${probe.target.address}:${probe.target.port}`,
        status: probe.status,
        expectStatus: probe.expectStatus,
        durationMs: probe.durationMs,
        outcome: probe.outcome,
        error: probe.error,
        expectBody: probe.expectBody ?? null,
        bodyMatched: probe.bodyMatched ?? null,
        contentType: probe.contentType ?? null,
        htmlDocument: probe.htmlDocument ?? null,
      };
      const finding = (status: Finding['status'], code: string): Finding => ({ resource: probe.id, status, code, args, evidence });
      if (probe.outcome === 'timeout') return finding('unverified', 'timeout');
      if (probe.outcome === 'unreachable') return finding('unverified', 'unreachable');
      if (probe.status !== probe.expectStatus) return finding('fail', 'unexpected-status');
      if (probe.expectBody) {
        if (probe.bodyMatched === true) return finding('pass', 'healthy');
        return probe.bodyMatched === false ? finding('fail', 'unexpected-body') : finding('unverified', 'body-not-collected');
      }
      if (probe.htmlDocument === undefined || probe.htmlDocument === null) return finding('unverified', 'body-not-collected');
      return probe.htmlDocument ? finding('unverified', 'html-page') : finding('pass', 'healthy');
    });
  },
});
