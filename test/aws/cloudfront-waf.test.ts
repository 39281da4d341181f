import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateWebACLCommand, WAFV2Client, type Rule } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import waf from '../../checks/aws/aws.cloudfront.waf.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import type { FactValue } from '../../src/model.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';

// aws.cloudfront.waf judges what the attached web ACL does (wafv2 GetWebACL), not only that one is attached.
// moto accepts any WebACLId on a distribution and does not check that the ACL exists.
const aws = motoForFile();
const distributionsOf = (run: Awaited<ReturnType<typeof collectAws>>) => {
  const fact = run.outcomes.get(cloudfrontDistributions.id);
  return (fact?.ok ? fact.value : []) as FactValue<typeof cloudfrontDistributions>;
};
const visibility = (name: string) => ({ SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: name });

async function webAcl(name: string, defaultAction: 'allow' | 'block', rules: Rule[]): Promise<string> {
  const answer = await aws.client(WAFV2Client).send(
    new CreateWebACLCommand({
      Name: name,
      Scope: 'CLOUDFRONT',
      DefaultAction: defaultAction === 'allow' ? { Allow: {} } : { Block: {} },
      Rules: rules,
      VisibilityConfig: visibility(name),
    }),
  );
  return answer.Summary!.ARN!;
}

async function distribution(reference: string, webAclId: string): Promise<string> {
  const answer = await aws.client(CloudFrontClient).send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: reference,
        Comment: reference,
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: 'api', DomainName: 'api.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
        DefaultCacheBehavior: { TargetOriginId: 'api', ViewerProtocolPolicy: 'https-only', ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } },
        WebACLId: webAclId,
      },
    }),
  );
  return answer.Distribution!.Id!;
}

const countingRule: Rule = {
  Name: 'rate-limit',
  Priority: 0,
  Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
  Action: { Count: {} },
  VisibilityConfig: visibility('rate-limit'),
};

const managed = (override: 'None' | 'Count'): Rule => ({
  Name: 'common',
  Priority: 1,
  Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
  OverrideAction: override === 'None' ? { None: {} } : { Count: {} },
  VisibilityConfig: visibility('common'),
});

describe('aws.cloudfront.waf against moto (wafv2 GetWebACL)', () => {
  it('an ACL that allows by default and only counts blocks nothing: fails blocks-nothing', async () => {
    const id = await distribution('counting', await webAcl('counting', 'allow', [countingRule]));
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[id, 'fail', 'blocks-nothing']]);
    expect(distributionsOf(run)[0]?.webAcl).toEqual({ read: true, name: 'counting', defaultAction: 'allow', rules: [{ name: 'rate-limit', action: 'count' }] });
  });

  it('default Allow with no rules, and a managed rule group overridden to Count, block nothing: both fail', async () => {
    const empty = await distribution('empty', await webAcl('empty', 'allow', []));
    const counted = await distribution('counted', await webAcl('counted', 'allow', [managed('Count')]));
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[empty, 'fail', 'blocks-nothing'], [counted, 'fail', 'blocks-nothing']]);
  });

  it('a managed rule group applied with its own actions, or a default action of Block, passes', async () => {
    const grouped = await distribution('grouped', await webAcl('grouped', 'allow', [managed('None')]));
    const closed = await distribution('closed', await webAcl('closed', 'block', [countingRule]));
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[grouped, 'pass', 'attached'], [closed, 'pass', 'attached']]);
    expect(distributionsOf(run).map((d) => d.webAcl)).toEqual([
      { read: true, name: 'grouped', defaultAction: 'allow', rules: [{ name: 'common', action: 'group' }] },
      { read: true, name: 'closed', defaultAction: 'block', rules: [{ name: 'rate-limit', action: 'count' }] },
    ]);
  });

  it('an ACL with a blocking rule passes, on every distribution that shares it', async () => {
    const arn = await webAcl('blocking', 'allow', [{ ...countingRule, Action: { Block: {} } }]);
    const first = await distribution('first', arn);
    const second = await distribution('second', arn);
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[first, 'pass', 'attached'], [second, 'pass', 'attached']]);
  });

  it('an ACL that does not exist, or a WAF Classic id, is unverified with the reason, and the fact still serves the other checks', async () => {
    const missing = await distribution('missing', 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/gone/a1b2c3d4-0000-0000-0000-000000000000');
    const classic = await distribution('classic', 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111');
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[missing, 'unverified', 'acl-unread'], [classic, 'unverified', 'acl-unread']]);
    expect(distributionsOf(run).map((d) => d.webAcl)).toEqual([{ read: false, reason: expect.stringContaining('wafv2:GetWebACL') }, { read: false, reason: expect.stringContaining('WAF Classic') }]);
  });
});
