import { defineCheck, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.frontend-distribution',
    title: 'A CloudFront distribution serves the app host',
    failureTitle: 'No CloudFront distribution serves the app host',
    description: 'The frontend needs a distribution with the app host (`domain.hosts.app`) as an alias and an ACM certificate for it; a distribution reachable only as *.cloudfront.net cannot serve the product domain.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: [],
    phase: 3,
    remediation: {
      text: 'Create (or update) a distribution for the frontend with the app host as alias, the us-east-1 ACM certificate, redirect-to-https and TLSv1.2_2021',
      command: 'aws cloudfront create-distribution --distribution-config file://<distribution-config-file>  # Aliases: ["{{resource}}"], ViewerCertificate.ACMCertificateArn: the us-east-1 certificate for {{resource}}',
      effortMinutes: 60,
    },
    messages: {
      serving: '{{distribution}} ({{domain}}) serves {{resource}} with an ACM certificate',
      'no-distribution': 'No distribution has {{resource}} as an alias',
      'no-acm-certificate': '{{distribution}} has {{resource}} as alias but uses a {{source}} certificate, not ACM',
      disabled: '{{distribution}} serves {{resource}} but is disabled',
      'no-app-host': 'No app host is configured (domain.hosts.app)',
      'no-distributions': 'No CloudFront distribution exists; {{resource}} is served by none',
    },
  },
  facts: { distributions: cloudfrontDistributions },
  evaluate({ distributions }, { config }) {
    const host = config.domain?.hosts.app;
    if (!host) return [{ resource: 'domain.hosts.app', status: 'not_applicable', code: 'no-app-host' }];
    if (distributions.length === 0) return [{ resource: host, status: 'fail', code: 'no-distributions' }];
    // CloudFront routes a host to the distribution naming it exactly before one whose wildcard covers it.
    const exact = distributions.filter((d) => d.aliases.some((alias) => alias.toLowerCase() === host.toLowerCase()));
    const serving = exact.length ? exact : distributions.filter((d) => d.aliases.some((alias) => aliasMatches(alias, host)));
    const evidence = { distributions: distributions.map((d) => `${d.id} ${d.domainName} aliases=[${d.aliases.join(', ')}]`) };
    const candidate = serving.find((d) => d.enabled && d.certificate.source === 'acm') ?? serving.find((d) => d.enabled) ?? serving[0];
    if (!candidate) return [{ resource: host, status: 'fail', code: 'no-distribution', evidence }];
    const args = { distribution: candidate.id, domain: candidate.domainName, source: candidate.certificate.source };
    const found = { ...evidence, distribution: candidate.arn, aliases: candidate.aliases, certificate: candidate.certificate.acmCertificateArn };
    let finding: Finding;
    if (!candidate.enabled) finding = { resource: host, status: 'fail', code: 'disabled', args, evidence: found };
    else if (candidate.certificate.source !== 'acm') finding = { resource: host, status: 'fail', code: 'no-acm-certificate', args, evidence: found };
    else finding = { resource: host, status: 'pass', code: 'serving', args, evidence: found };
    return [finding];
  },
});

/** CloudFront aliases may be wildcards (`*.example.com`) covering one label. */
function aliasMatches(alias: string, host: string): boolean {
  const a = alias.toLowerCase();
  const h = host.toLowerCase();
  if (a === h) return true;
  return a.startsWith('*.') && h.endsWith(a.slice(1)) && !h.slice(0, -a.length + 1).includes('.');
}
