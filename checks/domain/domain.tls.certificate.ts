import { defineCheck, type Finding } from '../../src/model.js';
import { tlsEndpoints } from '../../src/facts/probes.js';
import { apexOf, certificateNames, isDnsError, REQUEST_CERTIFICATE } from '../lib/domain.js';

const DAY_MS = 86_400_000;
const MIN_DAYS_LEFT = 30;
const NAME_ERRORS = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match certificate\'s altnames']);

export default defineCheck({
  meta: {
    id: 'domain.tls.certificate',
    title: 'TLS certificate is valid for every host',
    failureTitle: 'TLS certificate is missing, invalid or expiring',
    description: 'Each host must complete a TLS handshake with a chain trusted for its name, valid for more than 30 days: PHI in transit must be encrypted with a certificate browsers accept.',
    section: 'domain',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    remediation: {
      text: 'Request an ACM certificate in us-east-1 for the apex and wildcard, validate it through DNS, and associate it with the CloudFront distribution and the API Gateway custom domain',
      command: REQUEST_CERTIFICATE,
      effortMinutes: 30,
    },
    messages: {
      valid: '{{resource}} presents a valid certificate for {{subject}} from {{issuer}}, {{daysLeft}} days left',
      unreachable: 'No TLS handshake with {{resource}} ({{error}}){{dnsHint}}',
      'handshake-refused': '{{resource}} refused a TLS 1.2+ handshake ({{error}})',
      'name-mismatch': 'The certificate of {{resource}} is not valid for that name (SANs: {{sans}})',
      untrusted: 'The certificate of {{resource}} is not trusted: {{authorizationError}}',
      expired: 'The certificate of {{resource}} expired on {{notAfter}}',
      'expiring-soon': 'The certificate of {{resource}} expires on {{notAfter}}, in {{daysLeft}} days (< 30)',
    },
  },
  facts: { tls: tlsEndpoints },
  evaluate({ tls }, { config, now }) {
    const apex = apexOf(config);
    return tls.map((endpoint): Finding => {
      const resource = endpoint.host;
      if (!endpoint.connected || endpoint.error) {
        const dnsHint = isDnsError(endpoint.error) ? ': the name does not resolve, configure DNS first' : '';
        const status = endpoint.connected ? 'fail' : 'unverified';
        return { resource, status, code: status === 'fail' ? 'handshake-refused' : 'unreachable', args: { apex, ...certificateNames(apex), error: endpoint.error ?? 'unknown', dnsHint }, evidence: { target: `${endpoint.target.address}:${endpoint.target.port}`, error: endpoint.error } };
      }
      const daysLeft = endpoint.notAfter ? Math.floor((Date.parse(endpoint.notAfter) - now.getTime()) / DAY_MS) : -1;
      const args = {
        apex,
        ...certificateNames(apex),
        subject: endpoint.subject ?? '',
        issuer: endpoint.issuer ?? '',
        sans: endpoint.subjectAltNames.join(', '),
        notAfter: endpoint.notAfter ?? 'unknown',
        daysLeft,
        authorizationError: endpoint.authorizationError ?? '',
      };
      const evidence = {
        subject: endpoint.subject,
        issuer: endpoint.issuer,
        subjectAltNames: endpoint.subjectAltNames,
        notAfter: endpoint.notAfter,
        protocol: endpoint.protocol,
        authorized: endpoint.authorized,
        authorizationError: endpoint.authorizationError,
        daysLeft,
      };
      const problem = (code: string): Finding => ({ resource, status: 'fail', code, args, evidence });
      if (endpoint.authorizationError && NAME_ERRORS.has(endpoint.authorizationError)) return problem('name-mismatch');
      if (!endpoint.authorized && endpoint.authorizationError !== 'CERT_HAS_EXPIRED') return problem('untrusted');
      if (daysLeft < 0 || endpoint.authorizationError === 'CERT_HAS_EXPIRED') return problem('expired');
      if (daysLeft < MIN_DAYS_LEFT) return problem('expiring-soon');
      return { resource, status: 'pass', code: 'valid', args, evidence };
    });
  },
});
