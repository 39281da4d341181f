import { defineCheck, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';

const NO_DISTRIBUTIONS = noneFound('CloudFront distribution', 'cloudfront');

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.waf',
    title: 'A WAF web ACL protects each distribution',
    failureTitle: 'A distribution has no WAF web ACL',
    description: 'A web ACL (AWS managed rule groups, rate limiting) in front of CloudFront filters common exploits and floods before they reach the application.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(1)(ii)(B)'],
    phase: 4,
    remediation: {
      text: 'Create a CLOUDFRONT-scope web ACL in us-east-1 (with the AWS managed common rule set) and set it as the distribution\'s WebACLId',
      command: 'aws wafv2 create-web-acl --name {{resource}}-acl --scope CLOUDFRONT --region us-east-1 --default-action Allow={} --visibility-config SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName={{resource}}-acl --rules file://<managed-rules-file>  # then set WebACLId on {{resource}} with get-distribution-config / update-distribution',
      effortMinutes: 60,
    },
    messages: {
      attached: '{{resource}} ({{domain}}) is protected by {{webAcl}}',
      none: '{{resource}} ({{domain}}) has no WAF web ACL',
      'no-distributions': NO_DISTRIBUTIONS.message,
    },
  },
  facts: { distributions: cloudfrontDistributions },
  evaluate({ distributions }) {
    if (distributions.length === 0) return [{ resource: 'cloudfront', status: 'not_applicable', code: 'no-distributions' }];
    return distributions.map(
      (distribution): Finding => ({
        resource: distribution.id,
        status: distribution.webAclId ? 'pass' : 'fail',
        code: distribution.webAclId ? 'attached' : 'none',
        args: { domain: distribution.domainName, webAcl: distribution.webAclId ?? '' },
        evidence: {
          arn: distribution.arn,
          domainName: distribution.domainName,
          aliases: distribution.aliases,
          webAclId: distribution.webAclId,
        },
      }),
    );
  },
});
