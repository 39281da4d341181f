import { z } from '../zod-package.js';
import { withoutUrlCredentials } from '../collectors/url-credentials.js';
import { defineCheck, defineFact, type AnyCheck, type Finding } from '../model.js';
import { describeExpectation, describeMiss, meets, observationSchema } from './expect.js';
import { factIdOf, metaOf } from './meta.js';
import type { CustomCheck } from './schema.js';

export type HttpSpec = NonNullable<CustomCheck['http']>;

/** Bytes of body read for `bodyMatches` / `json`; a longer body is not judged (its end may be what fails). */
export const HTTP_BODY_LIMIT = 1024 * 1024;

const target = z.object({ host: z.string(), address: z.string(), port: z.number(), overridden: z.boolean() });

/** What one declarative HTTP request saw: the status, the named headers, and what the body held of what was asked. Never the body itself, never the request headers. */
export const httpAnswerSchema = z.object({
  url: z.string(),
  target,
  outcome: z.enum(['answered', 'timeout', 'unreachable', 'tls-untrusted']),
  error: z.string().nullable(),
  status: z.number().nullable(),
  durationMs: z.number(),
  headers: z.record(z.string(), z.string().nullable()),
  body: z
    .object({
      bytes: z.number(),
      truncated: z.boolean(),
      /** The first match of `bodyMatches` (bounded), null when none or not asked. */
      match: z.string().nullable(),
      /** null: the body is not JSON; else what each `json` path selected. */
      json: z.array(observationSchema).nullable(),
    })
    .nullable(),
  /** Request headers whose `${NAME}` was not set: the request was not made. */
  unsetHeaders: z.array(z.string()).default([]),
});
export type HttpAnswer = z.output<typeof httpAnswerSchema>;

export function httpFact(entry: CustomCheck) {
  return defineFact({ id: factIdOf('http', entry.id), description: `Answer of ${entry.http!.method} ${redactedUrl(entry.http!.url)} (${entry.id})`, permissions: [], schema: httpAnswerSchema });
}

const MESSAGES = {
  met: '{{url}} answered {{status}} and met every expectation',
  'not-tls': '{{url}} is not https:// (requireTls)',
  'tls-untrusted': '{{url}} presented a certificate this machine does not trust ({{error}})',
  timeout: '{{url}} did not answer within {{timeoutMs}} ms',
  unreachable: 'Could not reach {{url}} ({{error}})',
  'header-unset': 'Not requested: the variable of header {{header}} is not set',
  'unexpected-status': '{{url}} answered {{status}}, expected {{expected}}',
  'header-missing': '{{url}} answered without a {{header}} header',
  'header-mismatch': '{{url}}: header {{header}} is "{{value}}", which does not match /{{pattern}}/',
  'body-too-large': '{{url}}: the body is larger than {{limit}} bytes: not judged',
  'body-mismatch': '{{url}}: the body ({{bytes}} bytes) does not match /{{pattern}}/',
  'body-not-json': '{{url}}: the body ({{bytes}} bytes) is not JSON',
  'json-unmet': '{{url}}: expected {{expectation}}: {{why}}',
};

export function compileHttp(entry: CustomCheck): AnyCheck {
  const spec = entry.http!;
  const expectedStatuses = Array.isArray(spec.expectStatus) ? spec.expectStatus : [spec.expectStatus];
  return defineCheck({
    meta: metaOf(entry, `${spec.method} ${redactedUrl(spec.url)} must answer ${expectedStatuses.join(' or ')} with what is expected; an answer that cannot be had is unverified, never a pass.`, MESSAGES),
    facts: { answer: httpFact(entry) },
    evaluate({ answer }): Finding[] {
      const resource = answer.url;
      const args = { url: answer.url, status: answer.status ?? 'none', error: answer.error ?? '', timeoutMs: spec.timeoutMs, expected: expectedStatuses.join(' or ') };
      const evidence = { url: answer.url, target: `${answer.target.address}:${answer.target.port}`, outcome: answer.outcome, status: answer.status, durationMs: answer.durationMs, error: answer.error, bodyBytes: answer.body?.bytes ?? null };
      const finding = (status: Finding['status'], code: keyof typeof MESSAGES, more: Record<string, string | number> = {}): Finding[] => [{ resource, status, code, args: { ...args, ...more }, evidence }];
      if (answer.unsetHeaders.length) return finding('unverified', 'header-unset', { header: answer.unsetHeaders.join(', ') });
      if (spec.requireTls && !answer.url.startsWith('https://')) return finding('fail', 'not-tls');
      if (answer.outcome === 'tls-untrusted') return finding(spec.requireTls ? 'fail' : 'unverified', 'tls-untrusted');
      if (answer.outcome === 'timeout') return finding('unverified', 'timeout');
      if (answer.outcome === 'unreachable') return finding('unverified', 'unreachable');
      if (answer.status === null || !expectedStatuses.includes(answer.status)) return finding('fail', 'unexpected-status');
      for (const [name, pattern] of Object.entries(spec.headerMatches)) {
        const value = answer.headers[name.toLowerCase()] ?? null;
        if (value === null) return finding('fail', 'header-missing', { header: name });
        if (!new RegExp(pattern, 'u').test(value)) return finding('fail', 'header-mismatch', { header: name, value, pattern });
      }
      if (spec.bodyMatches !== undefined || spec.json.length > 0) {
        const body = answer.body;
        if (!body) return finding('unverified', 'body-too-large', { limit: HTTP_BODY_LIMIT });
        const sized = { bytes: body.bytes, limit: HTTP_BODY_LIMIT };
        if (body.truncated) return finding('unverified', 'body-too-large', sized);
        if (spec.bodyMatches !== undefined && body.match === null) return finding('fail', 'body-mismatch', { ...sized, pattern: spec.bodyMatches });
        if (spec.json.length > 0) {
          if (body.json === null) return finding('fail', 'body-not-json', sized);
          for (const expectation of spec.json) {
            const observation = body.json.find((o) => o.path === expectation.path);
            // A snapshot collected before this expectation was written holds nothing for it: not a failure, not a pass.
            if (!observation) return finding('unverified', 'json-unmet', { expectation: describeExpectation(expectation), why: 'not observed (collect again)' });
            const verdict = meets(expectation, observation);
            if (!verdict.met) return finding(verdict.why === 'truncated' ? 'unverified' : 'fail', 'json-unmet', { expectation: describeExpectation(expectation), why: describeMiss(verdict) });
          }
        }
      }
      return finding('pass', 'met');
    },
  });
}

/** A URL as shown: no user:password@, no token in its query. */
export function redactedUrl(url: string): string {
  return withoutUrlCredentials(url);
}
