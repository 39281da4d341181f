import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import acmDomainCertificate from '../../../checks/aws/aws.acm.domain-certificate.js';
import acmExpiry from '../../../checks/aws/aws.acm.expiry.js';
import frontendDistribution from '../../../checks/aws/aws.cloudfront.frontend-distribution.js';
import httpsOnly from '../../../checks/aws/aws.cloudfront.https-only.js';
import cloudfrontLogging from '../../../checks/aws/aws.cloudfront.logging.js';
import tlsVersion from '../../../checks/aws/aws.cloudfront.tls-version.js';
import waf from '../../../checks/aws/aws.cloudfront.waf.js';
import { placeholdersIn } from '../../../src/command-review.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const CERT = 'arn:aws:acm:us-east-1:1:certificate/abc';
const distribution = (over: Record<string, unknown> = {}) => ({
  id: 'E1', arn: 'arn:aws:cloudfront::1:distribution/E1', domainName: 'd1.cloudfront.net', enabled: true, aliases: ['app.example.com'],
  behaviors: [{ pathPattern: '*', viewerProtocolPolicy: 'redirect-to-https', targetOriginId: 's3', originIds: ['s3'] }],
  origins: [{ id: 's3', domainName: 'frontend.s3.us-east-1.amazonaws.com', kind: 's3', protocolPolicy: null, sslProtocols: null }],
  certificate: { source: 'acm', acmCertificateArn: CERT, minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
  logging: { enabled: true, bucket: 'logs.s3.amazonaws.com', prefix: 'cf/' }, webAclId: 'arn:aws:wafv2:us-east-1:1:global/webacl/x/1', ...over,
});
const defaultCertificate = { source: 'cloudfront', acmCertificateArn: null, minimumProtocolVersion: 'TLSv1', sslSupportMethod: null };
const domain = { domain: { name: 'example.com', hosts: { app: 'app.example.com' } } };

describe('aws.cloudfront.https-only', () => {
  const routed = (pathPattern: string, viewerProtocolPolicy: string) => ({ pathPattern, viewerProtocolPolicy, targetOriginId: 's3', originIds: ['s3'] });
  const cases: CheckCase[] = [
    { name: 'redirecting default behaviour passes', facts: { distributions: [distribution()] }, expected: [['E1', 'pass', 'https-enforced']] },
    { name: 'default redirects but /api/* allows HTTP: fails', facts: { distributions: [distribution({ behaviors: [routed('*', 'redirect-to-https'), routed('/api/*', 'allow-all')] })] }, expected: [['E1', 'fail', 'allows-http']] },
    { name: 'allow-all default fails', facts: { distributions: [distribution({ behaviors: [routed('*', 'allow-all')] })] }, expected: [['E1', 'fail', 'allows-http']] },
    { name: 'https-only passes', facts: { distributions: [distribution({ behaviors: [routed('*', 'https-only')] })] }, expected: [['E1', 'pass', 'https-enforced']] },
    { name: 'no distribution: not applicable', facts: { distributions: [] }, expected: [['cloudfront', 'not_applicable', 'no-distributions']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(httpsOnly, c)).toEqual(c.expected));
});

describe('aws.cloudfront.tls-version', () => {
  const withPolicy = (minimumProtocolVersion: string | null) => distribution({ certificate: { source: 'acm', acmCertificateArn: CERT, minimumProtocolVersion, sslSupportMethod: 'sni-only' } });
  const cases: CheckCase[] = [
    { name: 'TLSv1.2_2021 passes', facts: { distributions: [withPolicy('TLSv1.2_2021')] }, expected: [['E1', 'pass', 'modern']] },
    { name: 'TLSv1.3_2025 passes', facts: { distributions: [withPolicy('TLSv1.3_2025')] }, expected: [['E1', 'pass', 'modern']] },
    { name: 'TLSv1.2_2019 fails', facts: { distributions: [withPolicy('TLSv1.2_2019')] }, expected: [['E1', 'fail', 'outdated']] },
    { name: 'default CloudFront certificate fails', facts: { distributions: [distribution({ certificate: defaultCertificate })] }, expected: [['E1', 'fail', 'default-certificate']] },
    { name: 'unknown policy is unverified', facts: { distributions: [withPolicy('TLSv9_2099')] }, expected: [['E1', 'unverified', 'unknown-policy']] },
    { name: 'missing policy is unverified, not pass', facts: { distributions: [withPolicy(null)] }, expected: [['E1', 'unverified', 'unknown-policy']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(tlsVersion, c)).toEqual(c.expected));
});

describe('aws.cloudfront.frontend-distribution', () => {
  const cases: CheckCase[] = [
    { name: 'alias with ACM certificate passes', facts: { distributions: [distribution()] }, config: domain, expected: [['app.example.com', 'pass', 'serving']] },
    { name: 'wildcard alias covers the host', facts: { distributions: [distribution({ aliases: ['*.example.com'] })] }, config: domain, expected: [['app.example.com', 'pass', 'serving']] },
    { name: 'no alias for the host fails', facts: { distributions: [distribution({ aliases: [] })] }, config: domain, expected: [['app.example.com', 'fail', 'no-distribution']] },
    { name: 'alias on the default certificate fails', facts: { distributions: [distribution({ certificate: defaultCertificate })] }, config: domain, expected: [['app.example.com', 'fail', 'no-acm-certificate']] },
    { name: 'disabled distribution fails', facts: { distributions: [distribution({ enabled: false })] }, config: domain, expected: [['app.example.com', 'fail', 'disabled']] },
    { name: 'no distributions at all fails', facts: { distributions: [] }, config: domain, expected: [['app.example.com', 'fail', 'no-distributions']] },
    { name: 'no app host configured: not applicable', facts: { distributions: [distribution()] }, expected: [['domain.hosts.app', 'not_applicable', 'no-app-host']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(frontendDistribution, c)).toEqual(c.expected));
});

describe('aws.cloudfront.logging and aws.cloudfront.waf', () => {
  it.each<CheckCase>([
    { name: 'logging on passes', facts: { distributions: [distribution()], accountBuckets: { ok: true, value: ['logs'] } }, expected: [['E1', 'pass', 'enabled']] },
    { name: 'logging off fails', facts: { distributions: [distribution({ logging: { enabled: false, bucket: null, prefix: null } })], accountBuckets: { ok: true, value: ['logs'] } }, expected: [['E1', 'fail', 'disabled']] },
  ])('$name', (c) => expect(runCase(cloudfrontLogging, c)).toEqual(c.expected));
  it.each<CheckCase>([
    { name: 'web ACL attached that blocks passes', facts: { distributions: [distribution({ webAcl: { read: true, name: 'x', defaultAction: 'allow', rules: [{ name: 'common', action: 'group' }] } })] }, expected: [['E1', 'pass', 'attached']] },
    { name: 'no web ACL fails', facts: { distributions: [distribution({ webAclId: null })] }, expected: [['E1', 'fail', 'none']] },
  ])('$name', (c) => expect(runCase(waf, c)).toEqual(c.expected));
});

const NOW = '2026-01-01T00:00:00Z';
const certificate = (over: Record<string, unknown> = {}) => ({
  arn: CERT, region: 'us-east-1', domainName: 'example.com', subjectAlternativeNames: ['example.com', '*.example.com'], status: 'ISSUED',
  type: 'AMAZON_ISSUED', keyAlgorithm: 'EC_prime256v1', notAfter: '2026-12-01T00:00:00.000Z', inUseBy: [], renewalEligibility: 'ELIGIBLE', ...over,
});

describe('aws.acm.domain-certificate', () => {
  const cases: CheckCase[] = [
    { name: 'ISSUED in us-east-1 covering apex and wildcard passes', facts: { certificates: [certificate()] }, config: domain, expected: [['example.com', 'pass', 'issued']] },
    { name: 'apex only fails', facts: { certificates: [certificate({ subjectAlternativeNames: ['example.com'] })] }, config: domain, expected: [['example.com', 'fail', 'partial']] },
    { name: 'pending validation fails', facts: { certificates: [certificate({ status: 'PENDING_VALIDATION' })] }, config: domain, expected: [['example.com', 'fail', 'not-issued']] },
    { name: 'only in eu-west-1 fails', facts: { certificates: [certificate({ region: 'eu-west-1' })] }, config: domain, expected: [['example.com', 'fail', 'wrong-region']] },
    { name: 'no certificate fails', facts: { certificates: [] }, config: domain, expected: [['example.com', 'fail', 'no-certificate']] },
    { name: 'another domain does not count', facts: { certificates: [certificate({ domainName: 'other.com', subjectAlternativeNames: ['other.com', '*.other.com'] })] }, config: domain, expected: [['example.com', 'fail', 'no-certificate']] },
    { name: 'no domain configured: not applicable', facts: { certificates: [certificate()] }, expected: [['domain.name', 'not_applicable', 'no-domain']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(acmDomainCertificate, c)).toEqual(c.expected));
});

describe('aws.acm.expiry', () => {
  const noDistributions = { ok: true, value: [] };
  const cases: CheckCase[] = [
    { name: 'eligible, 334 days left passes', facts: { certificates: [certificate()], distributions: noDistributions }, config: domain, now: NOW, expected: [[CERT, 'pass', 'valid']] },
    { name: 'expiring in 10 days fails', facts: { certificates: [certificate({ notAfter: '2026-01-11T00:00:00.000Z' })], distributions: noDistributions }, config: domain, now: NOW, expected: [[CERT, 'fail', 'expiring']] },
    { name: 'expired fails', facts: { certificates: [certificate({ notAfter: '2025-12-01T00:00:00.000Z', status: 'EXPIRED', inUseBy: ['arn:x'] })], distributions: noDistributions }, config: domain, now: NOW, expected: [[CERT, 'fail', 'expired']] },
    { name: 'imported (ineligible) and attached fails though far from expiry', facts: { certificates: [certificate({ type: 'IMPORTED', renewalEligibility: 'INELIGIBLE', inUseBy: ['arn:x'] })], distributions: noDistributions }, config: domain, now: NOW, expected: [[CERT, 'fail', 'not-renewable']] },
    { name: 'not attached yet: ineligible by design, passes', facts: { certificates: [certificate({ renewalEligibility: 'INELIGIBLE' })], distributions: noDistributions }, config: domain, now: NOW, expected: [[CERT, 'pass', 'not-attached']] },
    { name: 'amazon-issued, attached and ineligible fails', facts: { certificates: [certificate({ renewalEligibility: 'INELIGIBLE', inUseBy: ['arn:x'] })], distributions: noDistributions }, config: domain, now: NOW, expected: [[CERT, 'fail', 'not-renewable']] },
    { name: '20 days left passes the 14-day default', facts: { certificates: [certificate({ notAfter: '2026-01-21T00:00:00.000Z', renewalStatus: 'PENDING_AUTO_RENEWAL', renewalStatusReason: null, validationMethods: ['DNS'] })], distributions: noDistributions }, config: domain, now: NOW, expected: [[CERT, 'pass', 'valid']] },
    { name: '20 days left fails with minDaysLeft 30', facts: { certificates: [certificate({ notAfter: '2026-01-21T00:00:00.000Z' })], distributions: noDistributions }, config: domain, now: NOW, options: { minDaysLeft: 30 }, expected: [[CERT, 'fail', 'expiring']] },
    { name: 'referenced by a distribution counts as in use', facts: { certificates: [certificate({ domainName: 'other.com', subjectAlternativeNames: ['other.com'], notAfter: '2026-01-05T00:00:00.000Z' })], distributions: { ok: true, value: [distribution()] } }, now: NOW, expected: [[CERT, 'fail', 'expiring']] },
    { name: 'attached (InUseBy) counts as in use', facts: { certificates: [certificate({ domainName: 'other.com', subjectAlternativeNames: [], inUseBy: ['arn:aws:elasticloadbalancing:x'] })], distributions: noDistributions }, now: NOW, expected: [[CERT, 'pass', 'valid']] },
    { name: 'no expiry date is unverified', facts: { certificates: [certificate({ notAfter: null, inUseBy: ['arn:x'] })], distributions: noDistributions }, now: NOW, expected: [[CERT, 'unverified', 'no-expiry']] },
    {
      name: 'distributions not read: a certificate only they would reference is not dropped as unused',
      facts: { certificates: [certificate({ domainName: 'other.com', subjectAlternativeNames: ['other.com'], notAfter: '2026-01-05T00:00:00.000Z' })], distributions: { ok: false, failure: { kind: 'MalformedResponse', message: 'cloudfront:ListDistributions answered without DistributionList' } } },
      now: NOW,
      expected: [['cloudfront', 'unverified', 'distributions-not-read']],
    },
    { name: 'unused certificates of other domains: not applicable', facts: { certificates: [certificate({ domainName: 'other.com', subjectAlternativeNames: ['other.com'] })], distributions: noDistributions }, config: domain, now: NOW, expected: [['acm', 'not_applicable', 'none-in-use']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(acmExpiry, c)).toEqual(c.expected));

  it('never suggests requesting a certificate that would be just as ineligible', () => {
    const attachedIneligible = certificate({ renewalEligibility: 'INELIGIBLE', inUseBy: ['arn:x'] });
    const [command] = renderedCommands(acmExpiry, { certificates: [attachedIneligible], distributions: [] }, domain);
    expect(command).toContain('aws acm describe-certificate');
    expect(command).not.toContain('request-certificate');
    const imported = certificate({ type: 'IMPORTED', renewalEligibility: 'INELIGIBLE', inUseBy: ['arn:x'], domainName: '*.example.com' });
    const [replace] = renderedCommands(acmExpiry, { certificates: [imported], distributions: [] }, domain);
    expect(replace).toContain("request-certificate --domain-name '*.example.com'");
  });

  it('an imported certificate on distributions is swapped for <new-certificate-arn> in each, then deleted once nothing uses it', () => {
    const imported = certificate({ type: 'IMPORTED', renewalEligibility: 'INELIGIBLE', notAfter: '2026-01-05T00:00:00.000Z' });
    const second = distribution({ id: 'E2', arn: 'arn:aws:cloudfront::1:distribution/E2' });
    const [command] = renderedCommands(acmExpiry, { certificates: [imported], distributions: [distribution(), second] }, domain);
    expect(placeholdersIn(command!)).toEqual(['<new-certificate-arn>']);
    const steps = command!.split(' && ').map((step) => step.split(' ').slice(0, 3).join(' '));
    expect(steps).toEqual([
      'distribution=$(aws cloudfront get-distribution-config', 'aws cloudfront update-distribution', 'aws cloudfront wait',
      'distribution=$(aws cloudfront get-distribution-config', 'aws cloudfront update-distribution', 'aws cloudfront wait',
      'aws acm delete-certificate',
    ]);
    expect(command).toContain(`aws acm delete-certificate --certificate-arn ${CERT} --region us-east-1`);
    // Also on a load balancer: the old one stays until moved there too.
    const shared = certificate({ type: 'IMPORTED', renewalEligibility: 'INELIGIBLE', inUseBy: ['arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1'] });
    const [kept] = renderedCommands(acmExpiry, { certificates: [shared], distributions: [distribution()] }, domain);
    expect(kept).not.toContain('delete-certificate');
    expect(kept).toMatch(/ {2}# then attach the new certificate to arn:aws:elasticloadbalancing:\S+ and delete this one$/);
  });

  it('passes a hostile certificate name and ARN to the CLI as one argument each, running nothing', () => {
    const name = `x'$(touch pwned) "y"`;
    const hostile = certificate({ type: 'IMPORTED', renewalEligibility: 'INELIGIBLE', inUseBy: ['arn:x'], domainName: name });
    const eligible = certificate({ renewalEligibility: 'INELIGIBLE', inUseBy: ['arn:x'], arn: `${CERT}' ; touch pwned`, domainName: 'other.com', subjectAlternativeNames: [] });
    const [request, describeCertificate] = renderedCommands(acmExpiry, { certificates: [hostile, eligible], distributions: [] }, domain);
    expect(argv(request!)).toEqual(['acm', 'request-certificate', '--domain-name', name, '--validation-method', 'DNS', '--region', 'us-east-1']);
    expect(argv(describeCertificate!).slice(0, 4)).toEqual(['acm', 'describe-certificate', '--certificate-arn', `${CERT}' ; touch pwned`]);
  });
});

/** The arguments bash passes to `aws` in a command (a function stands in for it; nothing else may run). */
function argv(command: string): string[] {
  const cwd = mkdtempSync(join(tmpdir(), 'readiness-argv-'));
  try {
    const out = execFileSync('bash', ['-c', `aws() { printf '%s\\0' "$@"; }; ${command}`], { cwd, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect(readdirSync(cwd)).toEqual([]);
    return out.split('\0').slice(0, -1);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
