import { defineCheck, type Finding } from '../../src/model.js';
import { httpEndpoints } from '../../src/facts/probes.js';
import { isDnsError } from '../lib/domain.js';

const MIN_HSTS_SECONDS = 31_536_000;

function hstsMaxAge(value: string | null): number | null {
  const match = value ? /max-age\s*=\s*"?(\d+)"?/i.exec(value) : null;
  return match ? Number(match[1]) : null;
}

export default defineCheck({
  meta: {
    id: 'domain.http.security-headers',
    title: 'HSTS is on and plain HTTP redirects to HTTPS',
    failureTitle: 'HSTS missing or plain HTTP served',
    description: 'Every HTTPS answer must carry Strict-Transport-Security with max-age ≥ 1 year, and http:// must only redirect to https://, so no browser ever sends PHI or session cookies in clear text.',
    section: 'domain',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    remediation: {
      text: 'Attach a CloudFront response headers policy with HSTS (max-age 31536000, includeSubDomains) and set the viewer protocol policy to redirect-to-https',
      command:
        'aws cloudfront create-response-headers-policy --response-headers-policy-config \'{"Name":"hsts-1y","SecurityHeadersConfig":{"StrictTransportSecurity":{"Override":true,"AccessControlMaxAgeSec":31536000,"IncludeSubdomains":true,"Preload":true}}}\'',
      effortMinutes: 20,
    },
    messages: {
      secure: '{{resource}} sends HSTS max-age={{maxAge}} and {{httpOutcome}}',
      unreachable: 'No HTTPS answer from {{resource}} ({{error}}){{dnsHint}}',
      'hsts-missing': '{{resource}} sends no Strict-Transport-Security header',
      'hsts-too-short': '{{resource}} sends HSTS max-age={{maxAge}} (< 31536000)',
      'plain-http-served': 'http://{{resource}}/ answers {{httpStatus}} without redirecting to https://',
      'http-undetermined': 'Could not tell whether http://{{resource}}/ redirects ({{httpError}})',
    },
  },
  facts: { http: httpEndpoints },
  evaluate({ http }) {
    return http.map((endpoint): Finding => {
      const maxAge = hstsMaxAge(endpoint.https.hsts);
      const redirects = endpoint.http.connected && endpoint.http.status !== null && endpoint.http.status >= 300 && endpoint.http.status < 400 && /^https:\/\//i.test(endpoint.http.location ?? '');
      const httpClosed = !endpoint.http.connected && endpoint.http.error === 'ECONNREFUSED';
      const args = {
        maxAge: maxAge ?? 'none',
        error: endpoint.https.error ?? '',
        dnsHint: isDnsError(endpoint.https.error) ? ': the name does not resolve, configure DNS first' : '',
        httpStatus: endpoint.http.status ?? 'no answer',
        httpError: endpoint.http.error ?? '',
        httpOutcome: httpClosed ? 'does not listen on plain HTTP' : `redirects http:// to ${endpoint.http.location ?? ''}`,
      };
      const evidence = { hsts: endpoint.https.hsts, httpsStatus: endpoint.https.status, httpStatus: endpoint.http.status, httpLocation: endpoint.http.location, httpError: endpoint.http.error };
      const resource = endpoint.host;
      if (!endpoint.https.connected) return { resource, status: 'unverified', code: 'unreachable', args, evidence };
      if (maxAge === null) return { resource, status: 'fail', code: 'hsts-missing', args, evidence };
      if (maxAge < MIN_HSTS_SECONDS) return { resource, status: 'fail', code: 'hsts-too-short', args, evidence };
      if (endpoint.http.connected && !redirects) return { resource, status: 'fail', code: 'plain-http-served', args, evidence };
      if (!endpoint.http.connected && !httpClosed) return { resource, status: 'unverified', code: 'http-undetermined', args, evidence };
      return { resource, status: 'pass', code: 'secure', args, evidence };
    });
  },
});
