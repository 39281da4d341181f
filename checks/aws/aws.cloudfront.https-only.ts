import { defineCheck, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { editDistributionCommand } from '../lib/cloudfront.js';
import { noneFound } from '../lib/none-found.js';

const NO_DISTRIBUTIONS = noneFound('CloudFront distribution', 'cloudfront');

const HTTPS_POLICIES = new Set(['redirect-to-https', 'https-only']);

/** Every behaviour that does not already refuse or redirect plain HTTP redirects it. */
const REDIRECT_TO_HTTPS = '(.DefaultCacheBehavior, .CacheBehaviors.Items[]?).ViewerProtocolPolicy |= (if . == "redirect-to-https" or . == "https-only" then . else "redirect-to-https" end)';

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.https-only',
    title: 'CloudFront serves viewers over HTTPS only',
    failureTitle: 'CloudFront serves viewers over plain HTTP',
    description: 'Every cache behaviour, the default one and each path pattern, must redirect HTTP to HTTPS or refuse it: one `allow-all` behaviour is enough to serve PHI in clear text.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    remediation: {
      text: 'Set ViewerProtocolPolicy to redirect-to-https on the listed behaviours: the command fetches the config, edits it with jq, and updates the distribution with its ETag',
      command: '{{fix}}',
      effortMinutes: 20,
    },
    messages: {
      'https-enforced': 'Every cache behaviour of {{resource}} ({{domain}}) requires HTTPS ({{count}} checked)',
      'allows-http': '{{resource}} ({{domain}}) serves plain HTTP on {{behaviors}}',
      'no-distributions': NO_DISTRIBUTIONS.message,
    },
  },
  facts: { distributions: cloudfrontDistributions },
  evaluate({ distributions }) {
    if (distributions.length === 0) return [{ resource: 'cloudfront', status: 'not_applicable', code: 'no-distributions' }];
    return distributions.map((distribution): Finding => {
      const insecure = distribution.behaviors.filter((b) => !HTTPS_POLICIES.has(b.viewerProtocolPolicy));
      const evidence = {
        arn: distribution.arn,
        domainName: distribution.domainName,
        behaviors: distribution.behaviors.map((b) => `${b.pathPattern}: ${b.viewerProtocolPolicy}`),
      };
      const args = {
        domain: distribution.domainName,
        count: distribution.behaviors.length,
        behaviors: insecure.map((b) => `${b.pathPattern === '*' ? 'the default behaviour' : b.pathPattern} (${b.viewerProtocolPolicy})`).join(', '),
      };
      if (insecure.length > 0) return { resource: distribution.id, status: 'fail', code: 'allows-http', args: { ...args, fix: editDistributionCommand(distribution.id, REDIRECT_TO_HTTPS) }, evidence };
      return { resource: distribution.id, status: 'pass', code: 'https-enforced', args, evidence };
    });
  },
});
