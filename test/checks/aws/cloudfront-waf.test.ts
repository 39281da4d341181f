import { describe, expect, it } from 'vitest';
import waf from '../../../checks/aws/aws.cloudfront.waf.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const ACL = 'arn:aws:wafv2:us-east-1:1:global/webacl/app-acl/1';
const distribution = (over: Record<string, unknown> = {}) => ({
  id: 'E1', arn: 'arn:aws:cloudfront::1:distribution/E1', domainName: 'd1.cloudfront.net', enabled: true, aliases: [],
  behaviors: [{ pathPattern: '*', viewerProtocolPolicy: 'https-only' }],
  certificate: { source: 'cloudfront', acmCertificateArn: null, minimumProtocolVersion: 'TLSv1', sslSupportMethod: null },
  logging: { enabled: false, bucket: null, prefix: null }, webAclId: ACL, ...over,
});
const read = (defaultAction: 'allow' | 'block', ...rules: [string, string][]) => ({ read: true, name: 'app-acl', defaultAction, rules: rules.map(([name, action]) => ({ name, action })) });
const withAcl = (webAcl: unknown) => ({ distributions: [distribution({ webAcl })] });

describe('aws.cloudfront.waf: what the web ACL blocks', () => {
  const cases: CheckCase[] = [
    { name: 'default Allow, only a counting rule: fails blocks-nothing', facts: withAcl(read('allow', ['rate-limit', 'count'])), expected: [['E1', 'fail', 'blocks-nothing']] },
    { name: 'default Allow and no rules: fails blocks-nothing', facts: withAcl(read('allow')), expected: [['E1', 'fail', 'blocks-nothing']] },
    { name: 'default Allow, rules that allow or count: fails blocks-nothing', facts: withAcl(read('allow', ['office', 'allow'], ['common', 'count'])), expected: [['E1', 'fail', 'blocks-nothing']] },
    { name: 'default Block passes', facts: withAcl(read('block', ['office', 'allow'])), expected: [['E1', 'pass', 'attached']] },
    { name: 'a blocking rule passes', facts: withAcl(read('allow', ['common', 'count'], ['rate-limit', 'block'])), expected: [['E1', 'pass', 'attached']] },
    { name: 'a challenge rule passes', facts: withAcl(read('allow', ['bots', 'challenge'])), expected: [['E1', 'pass', 'attached']] },
    { name: 'a CAPTCHA rule passes', facts: withAcl(read('allow', ['login', 'captcha'])), expected: [['E1', 'pass', 'attached']] },
    { name: 'a rule group applied with its own actions passes', facts: withAcl(read('allow', ['common', 'group'])), expected: [['E1', 'pass', 'attached']] },
    { name: 'a rule group whose rules could not be read, and nothing else blocking: unverified, never pass', facts: withAcl(read('allow', ['common', 'group-unknown'], ['rate-limit', 'count'])), expected: [['E1', 'unverified', 'acl-unread']] },
    { name: 'a rule group whose rules could not be read next to a blocking rule passes', facts: withAcl(read('allow', ['common', 'group-unknown'], ['rate-limit', 'block'])), expected: [['E1', 'pass', 'attached']] },
    { name: 'a rule group whose rules could not be read behind a default Block passes', facts: withAcl(read('block', ['common', 'group-unknown'])), expected: [['E1', 'pass', 'attached']] },
    { name: 'an ACL that could not be read is unverified', facts: withAcl({ read: false, reason: 'AccessDeniedException calling wafv2:GetWebACL: denied' }), expected: [['E1', 'unverified', 'acl-unread']] },
    { name: 'a snapshot from before the ACL content was collected is unverified, never pass', facts: { distributions: [distribution()] }, expected: [['E1', 'unverified', 'acl-unread']] },
    { name: 'no web ACL still fails none', facts: { distributions: [distribution({ webAclId: null })] }, expected: [['E1', 'fail', 'none']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(waf, c)).toEqual(c.expected));

  it('messages name the ACL, what blocks, and why it is unverified', () => {
    expect(renderedMessages(waf, withAcl(read('allow', ['rate-limit', 'count'])))[0]).toContain('web ACL app-acl, but it blocks nothing');
    expect(renderedMessages(waf, withAcl(read('allow', ['rate-limit', 'block'])))[0]).toContain('protected by app-acl, which blocks with rate-limit (block)');
    expect(renderedMessages(waf, { distributions: [distribution()] })[0]).toContain(`${ACL}, but what it blocks is unknown: web ACL content not collected`);
    expect(renderedMessages(waf, withAcl(read('allow', ['common', 'group-unknown'])))[0]).toContain('app-acl, but what it blocks is unknown: the rules of rule group common could not be read');
    expect(renderedMessages(waf, withAcl({ read: false, reason: 'WAF Classic web ACL abc is not readable through wafv2' }))[0]).toContain('WAF Classic web ACL abc');
  });
});
