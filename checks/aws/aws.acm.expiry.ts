import { z } from '../../src/zod.js';
import { defineCheck, optional, type FactValue, type Finding } from '../../src/model.js';
import { acmCertificates, cloudfrontDistributions } from '../../src/facts/aws.js';
import { editDistributionCommand } from '../lib/cloudfront.js';
import { shellQuote } from '../lib/shell.js';

type Certificate = FactValue<typeof acmCertificates>[number];
type Distribution = FactValue<typeof cloudfrontDistributions>[number];

const DAY_MS = 86_400_000;
/** ACM starts managed renewal this many days before expiry: from then on, a renewal that is not running is a risk. */
const RENEWAL_WINDOW_DAYS = 60;

type FixCode = 'expiring' | 'expired' | 'not-renewable' | 'renewal-failed' | 'renewal-pending-validation' | 'email-validation';

const emailValidated = (c: Certificate) => c.validationMethods?.includes('EMAIL') ?? false;

/**
 * The fix for each failure. A requested certificate is no cure for an ineligible one that is
 * attached: ACM renews only certificates in use whose DNS validation records are still
 * published, so a new one would become just as ineligible. An email-validated one is replaced by a DNS-validated one:
 * its renewal waits every year for someone to approve a mail.
 */
function fixFor(code: FixCode, certificate: Certificate, attached: boolean, users: Distribution[]): string {
  const email = emailValidated(certificate);
  // One that cannot renew by itself (imported, email-validated) or is past renewing (expired, renewal failed) is replaced where CloudFront uses it.
  if ((certificate.type === 'IMPORTED' || email || code === 'expired' || code === 'renewal-failed') && users.length > 0) return replaceInDistributions(certificate, users);
  const request = `aws acm request-certificate --domain-name ${shellQuote(certificate.domainName)} --validation-method DNS --region ${shellQuote(certificate.region)}`;
  const validationRecords = `aws acm describe-certificate --certificate-arn ${shellQuote(certificate.arn)} --region ${shellQuote(certificate.region)} --query 'Certificate.DomainValidationOptions[].ResourceRecord'`;
  if (certificate.type === 'IMPORTED') return `${request}  # then attach it in place of the imported certificate`;
  if (email) return `${request}  # then attach it in place of this email-validated certificate`;
  if (code === 'renewal-pending-validation') return `${validationRecords}  # publish these CNAMEs in DNS again: the renewal is waiting for them`;
  if (!attached) return `${request}  # then attach it: ACM renews a certificate only while it is in use`;
  if (code === 'expired' || code === 'renewal-failed') return `${request}  # keep its validation CNAMEs in DNS so ACM can renew it`;
  return `${validationRecords}  # publish these CNAMEs in DNS again: ACM renews only while they resolve`;
}

/**
 * The certificate swapped for `<new-certificate-arn>` (requested and DNS-validated first) in every distribution that
 * uses it, each deployed before the next step, then deleted: left in ACM, an old certificate covering the domain is
 * still one to renew. Used elsewhere too (a load balancer), it is kept until moved there as well.
 */
function replaceInDistributions(certificate: Certificate, users: Distribution[]): string {
  const steps = users.flatMap((d) => [
    editDistributionCommand(d.id, '.ViewerCertificate.ACMCertificateArn = $arn', "--arg arn '<new-certificate-arn>'"),
    `aws cloudfront wait distribution-deployed --id ${shellQuote(d.id)}`,
  ]);
  const elsewhere = certificate.inUseBy.filter((arn) => !users.some((d) => d.arn === arn));
  if (elsewhere.length > 0) return `${steps.join(' && ')}  # then attach the new certificate to ${elsewhere.join(', ')} and delete this one`;
  return [...steps, `aws acm delete-certificate --certificate-arn ${shellQuote(certificate.arn)} --region ${shellQuote(certificate.region)}`].join(' && ');
}

export default defineCheck({
  meta: {
    id: 'aws.acm.expiry',
    title: 'Certificates in use are far from expiry and renew automatically',
    failureTitle: 'A certificate in use expires soon or will not renew',
    description:
      'Every ACM certificate attached to a resource (or referenced by a CloudFront distribution) must expire in more than `minDaysLeft` days (14 by default, like AWS Config\'s acm-certificate-expiration-check) and be eligible for managed renewal; imported certificates never renew by themselves. Its managed renewal must not have failed or be stuck waiting for domain validation (ACM renews from 60 days before expiry), and it must not be email-validated: each renewal of an email-validated certificate waits for someone to approve a mail. A certificate covering the configured domain but not attached yet is checked for expiry only: ACM makes a certificate eligible for renewal once it is in use, so its ineligibility is by design.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    options: () => z.object({
      minDaysLeft: z.number().int().min(1).default(14).describe('A certificate expiring within this many days fails.'),
    }),
    remediation: {
      text: 'Imported, email-validated, expired or whose renewal failed: replace it with a DNS-validated ACM certificate for the same names (`aws acm request-certificate --domain-name <name> --validation-method DNS --region us-east-1`, then publish its validation CNAMEs); once it is ISSUED, name it as `<new-certificate-arn>`: the command puts it on every CloudFront distribution using the old one and deletes the old one. Amazon-issued and attached, or renewal pending validation: publish its validation CNAMEs again so managed renewal can run. Not attached: attach it (it renews from then) or request a fresh one when you attach',
      command: '{{steps}}',
      effortMinutes: 60,
    },
    messages: {
      valid: '{{domain}} ({{resource}}) expires in {{days}} days and is renewal-eligible',
      'not-attached': '{{domain}} ({{resource}}) expires in {{days}} days; not attached to any resource yet, so not yet eligible for managed renewal (by design)',
      expiring: '{{domain}} ({{resource}}) expires in {{days}} days ({{notAfter}}), within {{minDaysLeft}} days',
      expired: '{{domain}} ({{resource}}) expired on {{notAfter}}',
      'not-renewable': '{{domain}} ({{resource}}, {{type}}) is attached but {{eligibility}} for managed renewal',
      'renewal-failed': '{{domain}} ({{resource}}) expires in {{days}} days ({{notAfter}}) and its managed renewal failed ({{reason}})',
      'renewal-pending-validation': '{{domain}} ({{resource}}) expires in {{days}} days ({{notAfter}}) and its managed renewal is stuck waiting for domain validation: {{why}}',
      'email-validation': '{{domain}} ({{resource}}) is email-validated: each renewal waits for someone to approve a mail, so it does not renew by itself',
      'validation-unknown': '{{domain}} ({{resource}}) is eligible for renewal, but DescribeCertificate did not say how its names are validated: whether renewal needs someone to approve a mail is unknown',
      'renewal-not-collected': '{{domain}} ({{resource}}) expires in {{days}} days, within the {{window}} days in which ACM renews, and the state of its renewal was not collected (a snapshot from an older version)',
      'no-expiry': '{{domain}} ({{resource}}) has no expiry date ({{status}})',
      'none-in-use': 'No ACM certificate is attached, referenced by CloudFront or covering the configured domain',
      'distributions-not-read': 'CloudFront distributions could not be read, so a certificate only they use may be missing here: {{reason}}',
      'attachment-unknown': '{{domain}} ({{resource}}) expires in {{days}} days and is {{eligibility}} for managed renewal; whether CloudFront uses it is unknown (its distributions could not be read)',
    },
  },
  facts: { certificates: acmCertificates, distributions: optional(cloudfrontDistributions) },
  evaluate({ certificates, distributions }, { config, now, options }) {
    const { minDaysLeft } = options;
    // The distributions using each certificate, in their order.
    const distributionsByCertificate = new Map<string, Distribution[]>();
    for (const d of distributions.ok ? distributions.value : []) {
      const arn = d.certificate.acmCertificateArn;
      if (arn === null) continue;
      const users = distributionsByCertificate.get(arn);
      if (users) users.push(d);
      else distributionsByCertificate.set(arn, [d]);
    }
    const usersOf = (c: Certificate) => distributionsByCertificate.get(c.arn) ?? [];
    const apex = config.domain?.name.toLowerCase();
    const coversDomain = (name: string) => apex !== undefined && (name.toLowerCase() === apex || name.toLowerCase().endsWith(`.${apex}`));
    const isAttached = (c: Certificate) => c.inUseBy.length > 0 || distributionsByCertificate.has(c.arn);
    // "Not attached yet" is a claim about CloudFront too: unread distributions leave it unknown, never a pass.
    const attachmentKnown = distributions.ok || distributions.failure.kind === 'NotConfigured';
    const inScope = certificates.filter((c) => isAttached(c) || (c.status === 'ISSUED' && [c.domainName, ...c.subjectAlternativeNames].some(coversDomain)));
    const findings = inScope.map((c): Finding => {
      const attached = isAttached(c);
      const args = { domain: c.domainName, region: c.region, status: c.status, type: c.type ?? 'unknown', eligibility: c.renewalEligibility ?? 'unknown', minDaysLeft };
      // Absent from the evidence when not collected, as in an older snapshot.
      const evidence = {
        domainName: c.domainName, notAfter: c.notAfter, type: c.type, renewalEligibility: c.renewalEligibility,
        ...(c.renewalStatus !== undefined ? { renewalStatus: c.renewalStatus, renewalStatusReason: c.renewalStatusReason ?? null } : {}),
        ...(c.validationMethods ? { validationMethods: c.validationMethods } : {}),
        inUseBy: c.inUseBy, attached, minDaysLeft,
      };
      if (!c.notAfter) return { resource: c.arn, status: 'unverified', code: 'no-expiry', args, evidence };
      const days = Math.floor((Date.parse(c.notAfter) - now.getTime()) / DAY_MS);
      const dated = { ...args, days, notAfter: c.notAfter.slice(0, 10) };
      const withDays = { ...evidence, daysLeft: days };
      if (days < 0) return { resource: c.arn, status: 'fail', code: 'expired', args: { ...dated, steps: fixFor('expired', c, attached, usersOf(c)) }, evidence: withDays };
      if (days <= minDaysLeft) return { resource: c.arn, status: 'fail', code: 'expiring', args: { ...dated, steps: fixFor('expiring', c, attached, usersOf(c)) }, evidence: withDays };
      const failing = (code: FixCode, extra: Record<string, string> = {}): Finding => ({ resource: c.arn, status: 'fail', code, args: { ...dated, ...extra, steps: fixFor(code, c, attached, usersOf(c)) }, evidence: withDays });
      // Eligible says ACM will try, not that it will succeed: a renewal that failed or waits on validation ends in expiry.
      if (c.renewalStatus === 'FAILED') return failing('renewal-failed', { reason: c.renewalStatusReason ?? 'no reason given' });
      if (c.renewalStatus === 'PENDING_VALIDATION') {
        return failing('renewal-pending-validation', { why: emailValidated(c) ? 'nobody has approved its validation mail' : 'its validation CNAMEs are missing from DNS or do not resolve' });
      }
      // A fail, not a doubt: renewal that needs a human every year is not the automatic renewal this check requires.
      if ((attached || c.renewalEligibility === 'ELIGIBLE') && emailValidated(c)) return failing('email-validation');
      if (c.renewalEligibility === 'ELIGIBLE') {
        // Within the renewal window, eligibility alone cannot tell a running renewal from a stuck one.
        if (c.renewalStatus === undefined && days <= RENEWAL_WINDOW_DAYS) return { resource: c.arn, status: 'unverified', code: 'renewal-not-collected', args: { ...dated, window: RENEWAL_WINDOW_DAYS }, evidence: withDays };
        // Collected, yet no validation method: the answer left them out, so an email-validated certificate cannot be ruled out.
        if (c.renewalStatus !== undefined && c.validationMethods === undefined) return { resource: c.arn, status: 'unverified', code: 'validation-unknown', args: dated, evidence: withDays };
        return { resource: c.arn, status: 'pass', code: 'valid', args: dated, evidence: withDays };
      }
      if (!attached && !attachmentKnown) return { resource: c.arn, status: 'unverified', code: 'attachment-unknown', args: dated, evidence: withDays };
      if (!attached) return { resource: c.arn, status: 'pass', code: 'not-attached', args: dated, evidence: withDays };
      return { resource: c.arn, status: 'fail', code: 'not-renewable', args: { ...dated, steps: fixFor('not-renewable', c, attached, usersOf(c)) }, evidence: withDays };
    });
    // Fail closed: a certificate referenced only by an unread distribution would otherwise drop out as unused.
    if (!distributions.ok && distributions.failure.kind !== 'NotConfigured') {
      const { kind, message, fix } = distributions.failure;
      findings.push({ resource: 'cloudfront', status: 'unverified', code: 'distributions-not-read', args: { reason: message }, evidence: { failure: kind, ...(fix ? { fix } : {}) } });
    }
    return findings.length > 0 ? findings : [{ resource: 'acm', status: 'not_applicable', code: 'none-in-use' }];
  },
});
