import { defineCheck, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';

const NO_DISTRIBUTIONS = noneFound('CloudFront distribution', 'cloudfront');

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.waf',
    title: 'A WAF web ACL protects each distribution',
    failureTitle: 'A distribution has no WAF web ACL',
    failureTitles: { 'blocks-nothing': 'A distribution\'s WAF web ACL blocks nothing' },
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
      attached: '{{resource}} ({{domain}}) is protected by {{webAcl}}, which {{blocks}}',
      none: '{{resource}} ({{domain}}) has no WAF web ACL',
      'blocks-nothing': '{{resource}} ({{domain}}) has web ACL {{webAcl}}, but it blocks nothing: its default action is Allow and every rule only counts or allows',
      'acl-unread': '{{resource}} ({{domain}}) has web ACL {{webAcl}}, but what it blocks is unknown: {{reason}}',
      'no-distributions': NO_DISTRIBUTIONS.message,
    },
  },
  facts: { distributions: cloudfrontDistributions },
  evaluate({ distributions }) {
    if (distributions.length === 0) return [{ resource: 'cloudfront', status: 'not_applicable', code: 'no-distributions' }];
    return distributions.map((distribution): Finding => {
      const { webAclId, webAcl } = distribution;
      const evidence = {
        arn: distribution.arn,
        domainName: distribution.domainName,
        aliases: distribution.aliases,
        webAclId,
        ...(webAcl?.read ? { webAclName: webAcl.name, defaultAction: webAcl.defaultAction, rules: webAcl.rules.map(ruleLabel) } : {}),
      };
      const args = { domain: distribution.domainName, webAcl: webAcl?.read ? webAcl.name : (webAclId ?? '') };
      const finding = { resource: distribution.id, evidence };
      if (!webAclId) return { ...finding, status: 'fail', code: 'none', args };
      // Attached is not protected: an ACL whose default is Allow and whose rules only count lets every request through.
      if (!webAcl) return { ...finding, status: 'unverified', code: 'acl-unread', args: { ...args, reason: 'web ACL content not collected' } };
      if (!webAcl.read) return { ...finding, status: 'unverified', code: 'acl-unread', args: { ...args, reason: webAcl.reason } };
      const blocking = webAcl.rules.filter((rule) => BLOCKING.has(rule.action)).map(ruleLabel);
      if (webAcl.defaultAction === 'block') return { ...finding, status: 'pass', code: 'attached', args: { ...args, blocks: 'blocks by default' } };
      if (blocking.length) return { ...finding, status: 'pass', code: 'attached', args: { ...args, blocks: `blocks with ${blocking.join(', ')}` } };
      // A rule group whose rules could not be read may block or may be overridden to count: neither pass nor fail.
      const unknown = webAcl.rules.filter((rule) => rule.action === 'group-unknown').map((rule) => rule.name);
      if (unknown.length) return { ...finding, status: 'unverified', code: 'acl-unread', args: { ...args, reason: `the rules of rule group ${unknown.join(', ')} could not be read (wafv2:DescribeManagedRuleGroup, wafv2:GetRuleGroup)` } };
      return { ...finding, status: 'fail', code: 'blocks-nothing', args };
    });
  },
});

/** Rule actions that can stop a request; `group`: a rule group applied with its own rules' actions. */
const BLOCKING = new Set(['block', 'challenge', 'captcha', 'group']);
const ruleLabel = (rule: { name: string; action: string }) => `${rule.name} (${rule.action})`;
