import { defineCheck, facts, z, type Finding } from 'hipaa-readiness/plugin';

/** A team's own rule on a fact readiness already gathers (`probes:`): collected once, shared with the built-ins. */
export default defineCheck({
  meta: {
    id: 'acme.health-latency',
    title: 'Health endpoints answer within the latency budget',
    failureTitle: 'A health endpoint answers slower than the latency budget',
    description: 'A health endpoint that answers slowly is the first sign of an API that will time out under load, and clinicians cannot reach records.',
    section: 'domain',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(C)'],
    phase: 4,
    options: z.object({ maxMs: z.number().int().positive().default(1000) }),
    remediation: {
      text: 'Find what slows the endpoint (cold starts, database connections, an upstream call) and fix it, or raise `checks.acme.health-latency.maxMs` with a reason',
      command: 'curl -sS -o /dev/null -w "%{time_total}s\\n" {{url}}',
      effortMinutes: 240,
    },
    messages: {
      'within-budget': '{{resource}} answered in {{durationMs}} ms (budget {{maxMs}} ms)',
      'over-budget': '{{resource}} answered in {{durationMs}} ms, over the budget of {{maxMs}} ms',
      'no-answer': '{{resource}} did not answer ({{outcome}}): its latency is unknown',
    },
  },
  facts: { probes: facts.healthProbes },
  evaluate({ probes }, { options }) {
    return probes.map((probe): Finding => {
      const args = { url: probe.url, durationMs: probe.durationMs, maxMs: options.maxMs, outcome: probe.outcome };
      const evidence = { url: probe.url, durationMs: probe.durationMs, outcome: probe.outcome, status: probe.status };
      if (probe.outcome !== 'answered') return { resource: probe.id, status: 'unverified', code: 'no-answer', args, evidence };
      const within = probe.durationMs <= options.maxMs;
      return { resource: probe.id, status: within ? 'pass' : 'fail', code: within ? 'within-budget' : 'over-budget', args, evidence };
    });
  },
});
