import { defineCheck, optional, type FactValue, type Finding } from '../../src/model.js';
import { s3Cors } from '../../src/facts/aws.js';
import { corsPreflights, FOREIGN_CORS_ORIGIN, NULL_CORS_ORIGIN } from '../../src/facts/probes.js';
import { holdsPhi } from '../lib/s3-buckets.js';
import { shellQuote } from '../lib/shell.js';

type OtherOriginPreflight = FactValue<typeof corsPreflights>['foreign'];

export default defineCheck({
  meta: {
    id: 'domain.cors.production-origin',
    title: 'CORS allows the production origins, never `*`',
    failureTitle: 'CORS does not allow the production origins, or allows any origin',
    description: 'The API preflight and the S3 CORS rules must allow each production origin by name and never `*`: a wildcard lets any site read PHI with a user\'s credentials, and a missing origin breaks the app on the real domain.',
    section: 'domain',
    severity: 'medium',
    layer: 'application',
    hipaa: [],
    phase: 3,
    remediation: {
      text: 'Allow exactly the production origins: in the API\'s CORS configuration (a fixed list, never the request\'s Origin echoed back, never `null`), and in each bucket\'s CORS rules (no `*` in any origin, no `null`, no `http://` origin for PHI)',
      command:
        'aws s3api put-bucket-cors --bucket {{bucketName}} --cors-configuration {{corsConfiguration}}',
      effortMinutes: 20,
    },
    messages: {
      'preflight-allowed': 'The API preflight from {{origin}} is allowed (Access-Control-Allow-Origin: {{allowOrigin}})',
      'preflight-wildcard': 'The API answers the preflight from {{origin}} with Access-Control-Allow-Origin: *',
      'preflight-rejected': 'The API does not allow {{origin}} (status {{status}}, Access-Control-Allow-Origin: {{allowOrigin}})',
      'preflight-unreachable': 'No preflight answer from the API for {{origin}} ({{error}})',
      'reflects-any-origin': 'The API at {{url}} lets any website read its answers: the preflight from {{origin}}, an origin no one would allow, was answered with Access-Control-Allow-Origin: {{allowOrigin}} (Access-Control-Allow-Credentials: {{allowCredentials}})',
      'foreign-origin-refused': 'The API at {{url}} does not allow {{origin}}, an origin no one would allow (Access-Control-Allow-Origin: {{allowOrigin}})',
      'foreign-origin-unreachable': 'No preflight answer from the API at {{url}} for {{origin}} ({{error}}): whether it allows any origin is unknown',
      'foreign-origin-not-probed': 'The API at {{url}} was not asked a preflight from an origin no one would allow (facts collected by an older version): whether it allows any origin is unknown',
      'null-origin': 'The API at {{url}} lets any website read its answers through a sandboxed iframe or a data: page: the preflight from the origin `null` was answered with Access-Control-Allow-Origin: {{allowOrigin}} (Access-Control-Allow-Credentials: {{allowCredentials}})',
      'null-origin-refused': 'The API at {{url}} does not allow the origin `null` (Access-Control-Allow-Origin: {{allowOrigin}})',
      'null-origin-unreachable': 'No preflight answer from the API at {{url}} for the origin `null` ({{error}}): whether sandboxed iframes of any site can read it is unknown',
      'null-origin-not-probed': 'The API at {{url}} was not asked a preflight from the origin `null` (facts collected by an older version): whether sandboxed iframes of any site can read it is unknown',
      'no-api-host': 'No `domain.hosts.api`: the API preflight was not probed',
      'no-production-origins': 'No `domain.productionOrigins` to check CORS against',
      'bucket-allowed': 'Bucket {{bucket}} allows the production origins and no `*`',
      'bucket-wildcard': 'Bucket {{bucket}} allows origins by wildcard, so sites nobody vetted: {{wildcards}}',
      'bucket-null-origin': 'Bucket {{bucket}} allows the origin `null`, which a sandboxed iframe or a data: or file: page of any site has: {{nulls}}',
      'bucket-insecure-origin': 'Bucket {{bucket}} holds PHI and allows plain-HTTP origins, whose pages anyone on the network path can replace: {{insecure}}',
      'bucket-missing-origin': 'Bucket {{bucket}} CORS does not allow {{missing}}',
      'bucket-cors-unverified': 'S3 CORS rules could not be read: {{reason}}',
    },
  },
  facts: { cors: corsPreflights, buckets: optional(s3Cors) },
  evaluate({ cors, buckets }, { config }) {
    const origins = config.domain?.productionOrigins ?? [];
    const originsArg = origins.join('","');
    if (origins.length === 0) return [{ resource: 'domain.productionOrigins', status: 'unverified', code: 'no-production-origins', args: { bucket: '<bucket>', origins: '' } }];
    const findings: Finding[] = [];
    return withCorsFix(evaluateAll(), origins);
    function evaluateAll(): Finding[] {
    if (cors.url === null) findings.push({ resource: 'api', status: 'not_applicable', code: 'no-api-host', args: { bucket: '<bucket>', origins: originsArg } });
    for (const preflight of cors.preflights) {
      const args = { origin: preflight.origin, allowOrigin: preflight.allowOrigin ?? 'none', status: preflight.status ?? 'none', error: preflight.error ?? '', bucket: '<bucket>', origins: originsArg };
      const evidence = { url: cors.url, origin: preflight.origin, status: preflight.status, allowOrigin: preflight.allowOrigin, allowMethods: preflight.allowMethods, error: preflight.error };
      const resource = `${cors.url ?? 'api'} ← ${preflight.origin}`;
      if (!preflight.connected) findings.push({ resource, status: 'unverified', code: 'preflight-unreachable', args, evidence });
      else if (preflight.allowOrigin?.trim() === '*') findings.push({ resource, status: 'fail', code: 'preflight-wildcard', args, evidence });
      else if (preflight.allowOrigin?.trim() === preflight.origin && preflight.status !== null && preflight.status < 400) findings.push({ resource, status: 'pass', code: 'preflight-allowed', args, evidence });
      else findings.push({ resource, status: 'fail', code: 'preflight-rejected', args, evidence });
    }
    if (cors.url !== null) findings.push(foreignFinding(cors.url, cors.foreign, originsArg), nullOriginFinding(cors.url, cors.nullOrigin, originsArg));
    if (!buckets.ok) {
      if (buckets.failure.kind !== 'NotConfigured') {
        findings.push({ resource: 's3', status: 'unverified', code: 'bucket-cors-unverified', args: { reason: buckets.failure.message, bucket: '<bucket>', origins: originsArg }, evidence: { failure: buckets.failure.kind, ...(buckets.failure.fix ? { fix: buckets.failure.fix } : {}) } });
      }
      return findings;
    }
    // A bucket without CORS rules is not read cross-origin by the browser: nothing to allow, nothing to leak.
    for (const bucket of buckets.value.filter((b) => b.rules.length > 0)) {
      const allowed = bucket.rules.flatMap((rule) => rule.allowedOrigins);
      const missing = origins.filter((origin) => !allowed.includes(origin));
      // S3 treats one `*` anywhere as a wildcard: `https://*` and `http://*.example.com` admit sites nobody vetted.
      const wildcards = bucket.rules.flatMap((rule, i) => rule.allowedOrigins.filter((origin) => origin.includes('*')).map((origin) => `${origin} (rule ${i + 1})`));
      // `null` is the origin of any site's sandboxed iframe, data: or file: page: allowing it allows them all.
      const nulls = bucket.rules.flatMap((rule, i) => rule.allowedOrigins.filter((origin) => origin.trim().toLowerCase() === NULL_CORS_ORIGIN).map((origin) => `${origin} (rule ${i + 1})`));
      // A plain-HTTP page can be rewritten by anyone on the path, who then reads PHI as that origin.
      const insecure = holdsPhi(config, bucket.bucket) ? allowed.filter((origin) => origin.trim().toLowerCase().startsWith('http://')) : [];
      const args = { bucket: bucket.bucket, missing: missing.join(', '), wildcards: wildcards.join(', '), nulls: nulls.join(', '), insecure: insecure.join(', '), origins: originsArg };
      const evidence = { allowedOrigins: allowed };
      if (wildcards.length > 0) findings.push({ resource: bucket.bucket, status: 'fail', code: 'bucket-wildcard', args, evidence });
      else if (nulls.length > 0) findings.push({ resource: bucket.bucket, status: 'fail', code: 'bucket-null-origin', args, evidence });
      else if (insecure.length > 0) findings.push({ resource: bucket.bucket, status: 'fail', code: 'bucket-insecure-origin', args, evidence });
      else if (missing.length > 0) findings.push({ resource: bucket.bucket, status: 'fail', code: 'bucket-missing-origin', args, evidence });
      else findings.push({ resource: bucket.bucket, status: 'pass', code: 'bucket-allowed', args, evidence });
    }
    return findings;
    }
  },
});

/**
 * Whether the API lets an origin no one would allow read its answers: that origin echoed back, `null`
 * (the origin of any site's sandboxed iframe), or `*` with credentials. Not asked or not answered: unknown.
 */
function foreignFinding(url: string, foreign: OtherOriginPreflight, originsArg: string): Finding {
  const origin = foreign?.origin ?? FOREIGN_CORS_ORIGIN;
  const resource = `${url} ← ${origin}`;
  const args = { url, origin, allowOrigin: foreign?.allowOrigin ?? 'none', allowCredentials: foreign?.allowCredentials ?? 'none', status: foreign?.status ?? 'none', error: foreign?.error ?? '', bucket: '<bucket>', origins: originsArg };
  if (!foreign) return { resource, status: 'unverified', code: 'foreign-origin-not-probed', args, evidence: { url } };
  const evidence = { url, origin, status: foreign.status, allowOrigin: foreign.allowOrigin, allowCredentials: foreign.allowCredentials, error: foreign.error };
  if (!foreign.connected) return { resource, status: 'unverified', code: 'foreign-origin-unreachable', args, evidence };
  // Read as loosely as any browser might: a repeated header, another case, spaces.
  const allowedOrigins = (foreign.allowOrigin ?? '').split(',').map((value) => value.trim().toLowerCase());
  const credentials = foreign.allowCredentials?.trim().toLowerCase() === 'true';
  if (allowedOrigins.includes(origin.toLowerCase()) || allowedOrigins.includes('null') || (allowedOrigins.includes('*') && credentials)) return { resource, status: 'fail', code: 'reflects-any-origin', args, evidence };
  if (allowedOrigins.includes('*')) return { resource, status: 'fail', code: 'preflight-wildcard', args, evidence };
  return { resource, status: 'pass', code: 'foreign-origin-refused', args, evidence };
}

/** Whether the API lets the origin `null` read its answers: `null` allowed, or `*`. Not asked or not answered: unknown. */
function nullOriginFinding(url: string, answer: OtherOriginPreflight, originsArg: string): Finding {
  const origin = NULL_CORS_ORIGIN;
  const resource = `${url} ← ${origin}`;
  const args = { url, origin, allowOrigin: answer?.allowOrigin ?? 'none', allowCredentials: answer?.allowCredentials ?? 'none', status: answer?.status ?? 'none', error: answer?.error ?? '', bucket: '<bucket>', origins: originsArg };
  if (!answer) return { resource, status: 'unverified', code: 'null-origin-not-probed', args, evidence: { url } };
  const evidence = { url, origin, status: answer.status, allowOrigin: answer.allowOrigin, allowCredentials: answer.allowCredentials, error: answer.error };
  if (!answer.connected) return { resource, status: 'unverified', code: 'null-origin-unreachable', args, evidence };
  const allowedOrigins = (answer.allowOrigin ?? '').split(',').map((value) => value.trim().toLowerCase());
  const credentials = answer.allowCredentials?.trim().toLowerCase() === 'true';
  if (allowedOrigins.includes(NULL_CORS_ORIGIN) || (allowedOrigins.includes('*') && credentials)) return { resource, status: 'fail', code: 'null-origin', args, evidence };
  if (allowedOrigins.includes('*')) return { resource, status: 'fail', code: 'preflight-wildcard', args, evidence };
  return { resource, status: 'pass', code: 'null-origin-refused', args, evidence };
}

/** The fix's bucket and CORS rules, each one shell word: names and origins are data. */
function withCorsFix(findings: Finding[], origins: readonly string[]): Finding[] {
  const rules = { CORSRules: [{ AllowedOrigins: origins, AllowedMethods: ['GET', 'PUT', 'POST'], AllowedHeaders: ['*'], MaxAgeSeconds: 3000 }] };
  const corsConfiguration = shellQuote(JSON.stringify(rules));
  return findings.map((f) => ({ ...f, args: { ...f.args, bucketName: shellQuote(String(f.args?.bucket ?? '<bucket>')), corsConfiguration } }));
}
