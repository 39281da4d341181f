import { defineCheck, type Finding } from '../../src/model.js';
import { tlsEndpoints } from '../../src/facts/probes.js';
import { isDnsError } from '../lib/domain.js';

export default defineCheck({
  meta: {
    id: 'domain.tls.protocol',
    title: 'Only TLS 1.2+ is accepted',
    failureTitle: 'Legacy TLS accepted, or TLS 1.2+ refused',
    description: 'A handshake capped at TLS 1.1 must be refused and one at TLS 1.2 or later must succeed: TLS 1.0/1.1 are deprecated (RFC 8996) and do not meet transmission-security expectations.',
    section: 'domain',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(2)(ii)'],
    phase: 3,
    remediation: {
      text: 'Set the CloudFront viewer security policy to TLSv1.2_2021 (and the API Gateway custom domain to TLS_1_2)',
      command:
        'aws cloudfront get-distribution-config --id <DISTRIBUTION_ID> > dist.json  # set ViewerCertificate.MinimumProtocolVersion to "TLSv1.2_2021", then: aws cloudfront update-distribution --id <DISTRIBUTION_ID> --if-match <ETag> --distribution-config file://dist.json',
      effortMinutes: 20,
    },
    messages: {
      'modern-only': '{{resource}} negotiates {{protocol}} and refuses TLS 1.0/1.1 ({{legacyDetail}})',
      'legacy-accepted': '{{resource}} accepts {{legacyDetail}}',
      'modern-refused': '{{resource}} refused a TLS 1.2+ handshake ({{error}})',
      'legacy-undetermined': 'Could not tell whether {{resource}} accepts TLS 1.0/1.1 ({{legacyDetail}})',
      unreachable: 'No TLS handshake with {{resource}} ({{error}}){{dnsHint}}',
    },
  },
  facts: { tls: tlsEndpoints },
  evaluate({ tls }) {
    return tls.map((endpoint): Finding => {
      const args = {
        protocol: endpoint.protocol ?? '',
        legacyDetail: endpoint.legacy.detail ?? 'no detail',
        error: endpoint.error ?? '',
        dnsHint: isDnsError(endpoint.error) ? ': the name does not resolve, configure DNS first' : '',
      };
      const evidence = { protocol: endpoint.protocol, legacyOutcome: endpoint.legacy.outcome, legacyDetail: endpoint.legacy.detail, error: endpoint.error };
      const resource = endpoint.host;
      if (!endpoint.connected) return { resource, status: 'unverified', code: 'unreachable', args, evidence };
      if (endpoint.error || !endpoint.protocol) return { resource, status: 'fail', code: 'modern-refused', args, evidence };
      if (endpoint.legacy.outcome === 'accepted') return { resource, status: 'fail', code: 'legacy-accepted', args, evidence };
      if (endpoint.legacy.outcome === 'unknown') return { resource, status: 'unverified', code: 'legacy-undetermined', args, evidence };
      return { resource, status: 'pass', code: 'modern-only', args, evidence };
    });
  },
});
