import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRuleGroupCommand, CreateWebACLCommand, WAFV2Client, type ManagedRuleGroupStatement, type Rule } from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import waf from '../../checks/aws/aws.cloudfront.waf.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import type { FactValue } from '../../src/model.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { jsonAnswer, startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy.js';

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

/**
 * moto 5.2 has no DescribeManagedRuleGroup. This proxy in front of it plays AWS's part for the managed groups in
 * `catalogue` (each rule's name and action, as AWS lists them; the common rule set is abbreviated), answers
 * `denied` groups with AccessDeniedException, and records every DescribeManagedRuleGroup request it answered.
 */
const COMMON_RULES = ['NoUserAgent_HEADER', 'SizeRestrictions_BODY', 'GenericLFI_URIPATH', 'GenericRFI_QUERYARGUMENTS', 'CrossSiteScripting_BODY'];
const catalogue: Record<string, { Name: string; Action: Record<string, object> }[]> = {
  AWSManagedRulesCommonRuleSet: COMMON_RULES.map((Name) => ({ Name, Action: { Block: {} } })),
};
const described: Record<string, unknown>[] = [];
const denied = new Set<string>();
let proxy: RewritingProxy;
beforeAll(async () => {
  proxy = await startRewritingProxy(aws.moto.endpoint, {
    'wafv2:DescribeManagedRuleGroup': {
      reply: (body) => {
        const sent = JSON.parse(body) as { Name: string };
        described.push(sent);
        const rules = catalogue[sent.Name];
        if (denied.has(sent.Name)) return jsonAnswer(400, { __type: 'AccessDeniedException', message: 'not authorized to perform wafv2:DescribeManagedRuleGroup' });
        return rules ? jsonAnswer(200, { VersionName: 'Version_1.0', Capacity: 700, Rules: rules }) : jsonAnswer(400, { __type: 'WAFNonexistentItemException', message: 'no such managed rule group' });
      },
    },
  });
});
afterAll(async () => {
  await proxy?.close();
});

const commonRuleSet = (statement: Partial<ManagedRuleGroupStatement> = {}, name = 'common'): Rule => ({
  Name: name,
  Priority: 1,
  Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet', ...statement } },
  OverrideAction: { None: {} },
  VisibilityConfig: visibility(name),
});
const overrides = (names: string[], action: 'Count' | 'Allow' | 'Block' = 'Count') => names.map((Name) => ({ Name, ActionToUse: { [action]: {} } }));

describe('aws.cloudfront.waf: a rule group neutralised inside the rule (RuleActionOverrides, ExcludedRules)', () => {
  beforeEach(() => {
    described.length = 0;
  });

  it('the common rule set with every rule overridden to Count blocks nothing: fails, read with DescribeManagedRuleGroup', async () => {
    const id = await distribution('overridden', await webAcl('overridden', 'allow', [commonRuleSet({ Version: 'Version_1.0', RuleActionOverrides: overrides(COMMON_RULES) })]));
    const run = await collectAws(proxy, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[id, 'fail', 'blocks-nothing']]);
    expect(distributionsOf(run)[0]?.webAcl).toEqual({ read: true, name: 'overridden', defaultAction: 'allow', rules: [{ name: 'common', action: 'count' }] });
    expect(described).toEqual([{ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet', VersionName: 'Version_1.0', Scope: 'CLOUDFRONT' }]);
  });

  it('every rule listed in ExcludedRules (the older way, which counts them) blocks nothing: fails', async () => {
    const id = await distribution('excluded', await webAcl('excluded', 'allow', [commonRuleSet({ ExcludedRules: COMMON_RULES.map((Name) => ({ Name })) })]));
    const run = await collectAws(proxy, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[id, 'fail', 'blocks-nothing']]);
  });

  it('overrides to Count and Allow that leave one rule blocking, or an override to Block, keep the group blocking: passes', async () => {
    const partial = await distribution('partial', await webAcl('partial', 'allow', [commonRuleSet({ RuleActionOverrides: [...overrides(COMMON_RULES.slice(0, 2)), ...overrides(COMMON_RULES.slice(2, 4), 'Allow')] })]));
    const reblocked = await distribution('reblocked', await webAcl('reblocked', 'allow', [commonRuleSet({ RuleActionOverrides: [...overrides(COMMON_RULES.slice(1)), ...overrides(COMMON_RULES.slice(0, 1), 'Block')] })]));
    const run = await collectAws(proxy, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[partial, 'pass', 'attached'], [reblocked, 'pass', 'attached']]);
    expect(distributionsOf(run).map((d) => d.webAcl?.read && d.webAcl.rules)).toEqual([[{ name: 'common', action: 'group' }], [{ name: 'common', action: 'group' }]]);
    // One read per group and version, however many ACLs use it.
    expect(described).toHaveLength(1);
  });

  it('a group whose rules cannot be read is unverified alone, and passes next to a rule that blocks', async () => {
    denied.add('AWSManagedRulesCommonRuleSet');
    try {
      const alone = await distribution('alone', await webAcl('alone', 'allow', [commonRuleSet({ RuleActionOverrides: overrides(COMMON_RULES.slice(0, 1)) })]));
      const blocked = await distribution('blocked', await webAcl('blocked', 'allow', [commonRuleSet({ ExcludedRules: [{ Name: 'NoUserAgent_HEADER' }] }), { ...countingRule, Action: { Block: {} } }]));
      const run = await collectAws(proxy, [cloudfrontDistributions]);
      expect(run.results(waf)).toEqual([[alone, 'unverified', 'acl-unread'], [blocked, 'pass', 'attached']]);
      expect(distributionsOf(run)[0]?.webAcl).toEqual({ read: true, name: 'alone', defaultAction: 'allow', rules: [{ name: 'common', action: 'group-unknown' }] });
    } finally {
      denied.clear();
    }
  });

  it('a customer rule group (GetRuleGroup): its rules overridden to Count, or rules that only count, block nothing; a rule left blocking passes', async () => {
    const wafv2 = aws.client(WAFV2Client);
    const group = async (name: string, actions: ('Block' | 'Count')[]) =>
      (
        await wafv2.send(
          new CreateRuleGroupCommand({
            Name: name,
            Scope: 'CLOUDFRONT',
            Capacity: 10,
            VisibilityConfig: visibility(name),
            Rules: actions.map((action, priority) => ({ ...countingRule, Name: `rule-${priority}`, Priority: priority, Action: { [action]: {} }, VisibilityConfig: visibility(`rule-${priority}`) })),
          }),
        )
      ).Summary!.ARN!;
    const blocking = await group('blocking', ['Block', 'Block']);
    const counting = await group('counting-only', ['Count']);
    const reference = (ARN: string, statement: Record<string, unknown> = {}): Rule => ({ Name: 'own', Priority: 1, Statement: { RuleGroupReferenceStatement: { ARN, ...statement } }, OverrideAction: { None: {} }, VisibilityConfig: visibility('own') });
    const overridden = await distribution('own-overridden', await webAcl('own-overridden', 'allow', [reference(blocking, { RuleActionOverrides: overrides(['rule-0']), ExcludedRules: [{ Name: 'rule-1' }] })]));
    const countOnly = await distribution('own-counting', await webAcl('own-counting', 'allow', [reference(counting)]));
    const kept = await distribution('own-kept', await webAcl('own-kept', 'allow', [reference(blocking, { RuleActionOverrides: overrides(['rule-0']) })]));
    const run = await collectAws(proxy, [cloudfrontDistributions]);
    expect(run.results(waf)).toEqual([[overridden, 'fail', 'blocks-nothing'], [countOnly, 'fail', 'blocks-nothing'], [kept, 'pass', 'attached']]);
  });
});
