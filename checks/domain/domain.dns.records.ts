import { defineCheck, type Finding } from '../../src/model.js';
import { dnsRecords } from '../../src/facts/probes.js';
import { API_GATEWAY_TARGET, CLOUDFRONT_TARGET, NOT_RESOLVING } from '../lib/domain.js';
import { shellQuote } from '../lib/shell.js';

/** CloudFront's fixed hosted zone id, for Route 53 alias records (an apex cannot be a CNAME). */
const CLOUDFRONT_ZONE_ID = 'Z2FDTNDATAQYW2';

function changeBatch(host: string, role: string, target: string): string {
  const recordSet =
    role === 'api'
      ? { Name: host, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: target }] }
      : { Name: host, Type: 'A', AliasTarget: { HostedZoneId: CLOUDFRONT_ZONE_ID, DNSName: target, EvaluateTargetHealth: false } };
  return shellQuote(JSON.stringify({ Changes: [{ Action: 'UPSERT', ResourceRecordSet: recordSet }] }));
}

const CLOUDFRONT = { pattern: CLOUDFRONT_TARGET, service: 'CloudFront', target: '<distribution>.cloudfront.net', pass: 'points-to-cloudfront', fail: 'not-cloudfront' };
const EXPECTED: Record<string, { pattern: RegExp; service: string; target: string; pass: string; fail: string }> = {
  app: CLOUDFRONT,
  cdn: CLOUDFRONT,
  api: { pattern: API_GATEWAY_TARGET, service: 'API Gateway', target: '<d-xxxx>.execute-api.<region>.amazonaws.com', pass: 'points-to-api-gateway', fail: 'not-api-gateway' },
};

export default defineCheck({
  meta: {
    id: 'domain.dns.records',
    title: 'Domain and hosts resolve to CloudFront / API Gateway',
    failureTitle: 'Domain or hosts do not resolve where they should',
    description: 'The apex and every configured host must resolve; the app and CDN hosts must point at CloudFront (CNAME or Route 53 alias) and the API host at API Gateway, or users reach nothing, or the wrong thing.',
    section: 'domain',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: [],
    phase: 3,
    remediation: {
      text: 'Point DNS at CloudFront (Route 53 alias for the apex, CNAME for subdomains) and the API host at the API Gateway custom domain, after the ACM certificate for the apex and wildcard is issued',
      command: "aws route53 change-resource-record-sets --hosted-zone-id <ZONE_ID> --change-batch {{changeBatch}}",
      effortMinutes: 30,
    },
    messages: {
      resolves: '{{resource}} resolves ({{addresses}})',
      'points-to-cloudfront': '{{resource}} points at CloudFront ({{via}})',
      'points-to-api-gateway': '{{resource}} points at API Gateway ({{via}})',
      'not-cloudfront': '{{resource}} resolves but not to CloudFront ({{via}})',
      'not-api-gateway': '{{resource}} resolves but not to API Gateway ({{via}})',
      'not-resolving': '{{resource}} does not resolve ({{error}}): DNS is not configured',
      'dns-error': 'Could not resolve {{resource}}: the resolver answered {{error}}',
      'target-undetermined': '{{resource}} resolves to {{addresses}} with no CNAME and no reverse name: cannot tell whether it is a {{expectedService}} alias',
    },
  },
  facts: { dns: dnsRecords },
  evaluate({ dns }, { config }) {
    const overrides = config.domain?.resolve ?? {};
    return dns.records.map((record): Finding => {
      const expected = EXPECTED[record.role];
      const override = overrides[record.host];
      const target = override && !/^[\d.:[\]]+$/.test(override) ? override : (expected?.target ?? '<distribution>.cloudfront.net');
      const args = { changeBatch: changeBatch(record.host, record.role, target), role: record.role, target, error: record.error ?? '', addresses: record.addresses.join(', '), via: [...record.cnames, ...record.reverse].join(' → ') || record.addresses.join(', ') };
      const evidence = { role: record.role, cnames: record.cnames, addresses: record.addresses, reverse: record.reverse, error: record.error };
      if (!record.resolved) {
        const status = record.error === null || NOT_RESOLVING.has(record.error) ? 'fail' : 'unverified';
        return { resource: record.host, status, code: status === 'fail' ? 'not-resolving' : 'dns-error', args, evidence };
      }
      if (!expected) return { resource: record.host, status: 'pass', code: 'resolves', args, evidence };
      const names = [...record.cnames, ...record.reverse];
      // A Route 53 alias shows only addresses; without a name to match, say so rather than guess.
      if (names.length === 0) return { resource: record.host, status: 'unverified', code: 'target-undetermined', args: { ...args, expectedService: expected.service }, evidence };
      const matches = names.some((name) => expected.pattern.test(name));
      return { resource: record.host, status: matches ? 'pass' : 'fail', code: matches ? expected.pass : expected.fail, args, evidence };
    });
  },
});
