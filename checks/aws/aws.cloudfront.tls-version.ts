import { defineCheck, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { editDistributionCommand } from '../lib/cloudfront.js';
import { noneFound } from '../lib/none-found.js';

const NO_DISTRIBUTIONS = noneFound('CloudFront distribution', 'cloudfront');

/** CloudFront security policies, oldest first (AWS "Supported protocols and ciphers between viewers and CloudFront"). */
const POLICIES = ['SSLv3', 'TLSv1', 'TLSv1_2016', 'TLSv1.1_2016', 'TLSv1.2_2018', 'TLSv1.2_2019', 'TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];
const MINIMUM = 'TLSv1.2_2021';
const ALIAS_ARGUMENT = "--arg alias '<alternate-domain-name>'";

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.tls-version',
    title: 'CloudFront requires TLS 1.2 or newer',
    failureTitle: 'CloudFront accepts outdated TLS versions',
    description: `The viewer security policy must be ${MINIMUM} or newer. The default *.cloudfront.net certificate always accepts TLSv1: a distribution needs its own (ACM) certificate to raise the minimum.`,
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(2)(ii)'],
    phase: 3,
    remediation: {
      text: `Set MinimumProtocolVersion to ${MINIMUM}; a distribution on the default certificate first needs its own ACM certificate (us-east-1, covering its aliases) with SNI, named in \`<acm-certificate-arn>\`, and one without an alternate domain name needs one the certificate covers, named in \`<alternate-domain-name>\` (viewers then use it, not the *.cloudfront.net name). The command fetches the config, edits ViewerCertificate with jq, and updates the distribution with its ETag`,
      command: '{{fix}}',
      effortMinutes: 30,
    },
    messages: {
      modern: '{{resource}} requires {{policy}}',
      outdated: `{{resource}} allows {{policy}} (needs ${MINIMUM} or newer)`,
      'default-certificate': '{{resource}} uses the default *.cloudfront.net certificate, which accepts TLSv1',
      'no-aliases': '{{resource}} has no alternate domain name: viewers reach it only as {{domain}}, on the default *.cloudfront.net certificate, which accepts TLSv1 ({{policy}} applies to alternate domain names only)',
      'unknown-policy': '{{resource}} has security policy {{policy}}, which this tool does not know',
      'no-distributions': NO_DISTRIBUTIONS.message,
    },
  },
  facts: { distributions: cloudfrontDistributions },
  evaluate({ distributions }) {
    if (distributions.length === 0) return [{ resource: 'cloudfront', status: 'not_applicable', code: 'no-distributions' }];
    return distributions.map((distribution): Finding => {
      const { certificate } = distribution;
      const policy = certificate.minimumProtocolVersion ?? 'none';
      const evidence = { arn: distribution.arn, domainName: distribution.domainName, aliases: distribution.aliases, certificateSource: certificate.source, minimumProtocolVersion: certificate.minimumProtocolVersion };
      // The security policy governs the alternate domain names only: without one, viewers reach the *.cloudfront.net name.
      const addAlias = distribution.aliases.length ? '' : ' | .Aliases = {Quantity: 1, Items: [$alias]}';
      if (certificate.source === 'cloudfront') {
        const fix = editDistributionCommand(distribution.id, `.ViewerCertificate = {ACMCertificateArn: $arn, SSLSupportMethod: "sni-only", MinimumProtocolVersion: "${MINIMUM}"}${addAlias}`, `--arg arn '<acm-certificate-arn>'${addAlias ? ` ${ALIAS_ARGUMENT}` : ''}`);
        return { resource: distribution.id, status: 'fail', code: 'default-certificate', args: { policy: 'TLSv1', fix }, evidence };
      }
      if (addAlias) {
        const fix = editDistributionCommand(distribution.id, `.ViewerCertificate.MinimumProtocolVersion = "${MINIMUM}"${addAlias}`, ALIAS_ARGUMENT);
        return { resource: distribution.id, status: 'fail', code: 'no-aliases', args: { policy, domain: distribution.domainName, fix }, evidence };
      }
      const rank = POLICIES.indexOf(policy);
      if (rank === -1) return { resource: distribution.id, status: 'unverified', code: 'unknown-policy', args: { policy }, evidence };
      const ok = rank >= POLICIES.indexOf(MINIMUM);
      const fix = editDistributionCommand(distribution.id, `.ViewerCertificate.MinimumProtocolVersion = "${MINIMUM}"`);
      return { resource: distribution.id, status: ok ? 'pass' : 'fail', code: ok ? 'modern' : 'outdated', args: { policy, fix }, evidence };
    });
  },
});
