import { defineCheck, optional, type Finding } from '../../src/model.js';
import { acmCertificates, cloudfrontDistributions } from '../../src/facts/aws.js';

const DAY_MS = 86_400_000;
const MIN_DAYS = 30;

export default defineCheck({
  meta: {
    id: 'aws.acm.expiry',
    title: 'Certificates in use are far from expiry and renew automatically',
    failureTitle: 'A certificate in use expires soon or will not renew',
    description: `Every ACM certificate in use (attached to a resource, referenced by a CloudFront distribution, or covering the configured domain) must expire in more than ${MIN_DAYS} days and be eligible for managed renewal; imported certificates never renew by themselves.`,
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    remediation: {
      text: 'Replace it with a DNS-validated ACM certificate (renewed automatically while its validation CNAMEs stay in DNS), or re-import a renewed certificate before expiry',
      command: 'aws acm request-certificate --domain-name {{domain}} --validation-method DNS --region {{region}}',
      effortMinutes: 60,
    },
    messages: {
      valid: '{{domain}} ({{resource}}) expires in {{days}} days and is renewal-eligible',
      expiring: '{{domain}} ({{resource}}) expires in {{days}} days ({{notAfter}})',
      expired: '{{domain}} ({{resource}}) expired on {{notAfter}}',
      'not-renewable': '{{domain}} ({{resource}}, {{type}}) is {{eligibility}} for managed renewal',
      'no-expiry': '{{domain}} ({{resource}}) has no expiry date ({{status}})',
      'none-in-use': 'No ACM certificate is in use',
      'distributions-not-read': 'CloudFront distributions could not be read, so a certificate only they use may be missing here: {{reason}}',
    },
  },
  facts: { certificates: acmCertificates, distributions: optional(cloudfrontDistributions) },
  evaluate({ certificates, distributions }, { config, now }) {
    const referenced = new Set(distributions.ok ? distributions.value.map((d) => d.certificate.acmCertificateArn).filter((arn) => arn !== null) : []);
    const apex = config.domain?.name.toLowerCase();
    const coversDomain = (name: string) => apex !== undefined && (name.toLowerCase() === apex || name.toLowerCase().endsWith(`.${apex}`));
    const inUse = certificates.filter(
      (c) => c.inUseBy.length > 0 || referenced.has(c.arn) || (c.status === 'ISSUED' && [c.domainName, ...c.subjectAlternativeNames].some(coversDomain)),
    );
    const findings = inUse.map((c): Finding => {
      const args = { domain: c.domainName, region: c.region, status: c.status, type: c.type ?? 'unknown', eligibility: c.renewalEligibility ?? 'unknown' };
      const evidence = { domainName: c.domainName, notAfter: c.notAfter, type: c.type, renewalEligibility: c.renewalEligibility, inUseBy: c.inUseBy };
      if (!c.notAfter) return { resource: c.arn, status: 'unverified', code: 'no-expiry', args, evidence };
      const days = Math.floor((Date.parse(c.notAfter) - now.getTime()) / DAY_MS);
      const dated = { ...args, days, notAfter: c.notAfter.slice(0, 10) };
      if (days < 0) return { resource: c.arn, status: 'fail', code: 'expired', args: dated, evidence: { ...evidence, daysLeft: days } };
      if (days <= MIN_DAYS) return { resource: c.arn, status: 'fail', code: 'expiring', args: dated, evidence: { ...evidence, daysLeft: days } };
      if (c.renewalEligibility !== 'ELIGIBLE') return { resource: c.arn, status: 'fail', code: 'not-renewable', args: dated, evidence: { ...evidence, daysLeft: days } };
      return { resource: c.arn, status: 'pass', code: 'valid', args: dated, evidence: { ...evidence, daysLeft: days } };
    });
    // Fail closed: a certificate referenced only by an unread distribution would otherwise drop out as unused.
    if (!distributions.ok && distributions.failure.kind !== 'NotConfigured') {
      const { kind, message, fix } = distributions.failure;
      findings.push({ resource: 'cloudfront', status: 'unverified', code: 'distributions-not-read', args: { reason: message }, evidence: { failure: kind, ...(fix ? { fix } : {}) } });
    }
    return findings.length > 0 ? findings : [{ resource: 'acm', status: 'not_applicable', code: 'none-in-use' }];
  },
});
