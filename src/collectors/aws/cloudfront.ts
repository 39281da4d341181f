import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import type { FirewallManagerRuleGroup, Rule, RuleAction as WafAction, WAFV2Client } from '@aws-sdk/client-wafv2';
import { cloudfrontDistributions } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';
import { pages } from './pages.js';

type Distribution = FactValue<typeof cloudfrontDistributions>[number];
type WebAcl = NonNullable<Distribution['webAcl']>;
type RuleAction = Extract<WebAcl, { read: true }>['rules'][number]['action'];
/** A rule group's rules with their own actions (undefined: an action it does not know); undefined: the group could not be read. */
type GroupRules = { name: string; action: RuleAction | undefined }[] | undefined;

/**
 * Behaviours, aliases and certificates are read from GetDistributionConfig, not from the
 * ListDistributions summaries: moto's summaries lack them, and missing data must never look
 * like "nothing wrong".
 */
export const cloudfrontDistributionsCollector = defineCollector(cloudfrontDistributions, async (context) => {
  requireAws(context);
  const { paginateListDistributions, GetDistributionConfigCommand } = await import('@aws-sdk/client-cloudfront');
  const client = await context.aws.client('cloudfront', 'us-east-1');
  const summaries: { id: string; arn: string; domainName: string }[] = [];
  try {
    for await (const page of pages(paginateListDistributions, { client, pageSize: 100 }, {}, context.signal)) {
      const list = requireField(page, 'DistributionList', 'cloudfront:ListDistributions');
      // CloudFront leaves Items out of an empty page; Quantity says whether it is empty.
      const items = requireField(list, 'Quantity', 'cloudfront:ListDistributions') === 0 ? [] : requireList(list, 'Items', 'cloudfront:ListDistributions');
      for (const item of items) summaries.push({ id: item.Id ?? '', arn: item.ARN ?? '', domainName: item.DomainName ?? '' });
    }
  } catch (error) {
    throw awsFactError(error, 'cloudfront:ListDistributions');
  }
  const distributions: Distribution[] = [];
  // Many distributions share one web ACL, many ACLs one rule group: each is read once.
  const webAcls = new Map<string, Promise<WebAcl>>();
  const groups = new Map<string, Promise<GroupRules>>();
  for (const summary of summaries) {
    let config: DistributionConfig | undefined;
    try {
      config = (await client.send(new GetDistributionConfigCommand({ Id: summary.id }), { abortSignal: context.signal })).DistributionConfig;
    } catch (error) {
      throw awsFactError(error, 'cloudfront:GetDistributionConfig');
    }
    if (!config?.DefaultCacheBehavior) throw new FactError('MalformedResponse', `distribution ${summary.id} has no default cache behaviour in its config`);
    const distribution = toDistribution(summary, config);
    if (distribution.webAclId) {
      const id = distribution.webAclId;
      if (!webAcls.has(id)) webAcls.set(id, readWebAcl(context, id, groups));
      distribution.webAcl = await webAcls.get(id)!;
    }
    distributions.push(distribution);
  }
  return distributions;
});

const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):\d*:global\/webacl\/([^/]+)\/([^/]+)$/;

/**
 * What the web ACL blocks. Its failure is recorded on the distributions, not thrown: the other CloudFront checks
 * do not need it, and the WAF check says unverified with the reason.
 */
async function readWebAcl(context: CollectContext, webAclId: string, groups: Map<string, Promise<GroupRules>>): Promise<WebAcl> {
  const arn = WEB_ACL_ARN.exec(webAclId);
  if (!arn) {
    const reason = webAclId.startsWith('arn:') ? `${webAclId} is not a CLOUDFRONT-scope wafv2 web ACL ARN` : `WAF Classic web ACL ${webAclId} is not readable through wafv2`;
    return { read: false, reason };
  }
  const [, region, name, id] = arn as unknown as [string, string, string, string];
  const operation = 'wafv2:GetWebACL';
  try {
    const { GetWebACLCommand } = await import('@aws-sdk/client-wafv2');
    const client = await context.aws.client('wafv2', region);
    const answer = await client.send(new GetWebACLCommand({ Scope: 'CLOUDFRONT', Name: name, Id: id }), { abortSignal: context.signal });
    const acl = requireField(answer, 'WebACL', operation);
    const defaultAction = requireField(acl, 'DefaultAction', operation);
    // Firewall Manager's rule groups run before and after the ACL's own rules.
    const rules = [...(acl.PreProcessFirewallManagerRuleGroups ?? []), ...requireList(acl, 'Rules', operation), ...(acl.PostProcessFirewallManagerRuleGroups ?? [])];
    return {
      read: true,
      name: acl.Name ?? name,
      defaultAction: defaultAction.Block ? 'block' : defaultAction.Allow ? 'allow' : malformed(`${operation} answered a default action that is neither Allow nor Block`),
      rules: await Promise.all(rules.map(async (rule) => ({ name: rule.Name ?? '', action: await ruleAction(rule, operation, (statement) => groupRules(context, client, statement, groups)) }))),
    };
  } catch (error) {
    return { read: false, reason: awsFactError(error, operation).message };
  }
}

type GroupStatement = NonNullable<Rule['Statement']>;

/** A rule group applies its own rules' actions unless its OverrideAction makes them all count. */
async function ruleAction(rule: Rule | FirewallManagerRuleGroup, operation: string, readGroup: (statement: GroupStatement) => Promise<GroupRules>): Promise<RuleAction> {
  const action = actionOf('Action' in rule ? rule.Action : undefined);
  if (action) return action;
  if (rule.OverrideAction?.None) return groupAction('Statement' in rule ? rule.Statement : rule.FirewallManagerStatement, readGroup);
  if (rule.OverrideAction?.Count) return 'count';
  return malformed(`${operation} answered rule ${rule.Name ?? '(unnamed)'} without an action it knows`);
}

function actionOf(action: WafAction | undefined): Exclude<RuleAction, 'group' | 'group-unknown'> | undefined {
  if (action?.Block) return 'block';
  if (action?.Challenge) return 'challenge';
  if (action?.Captcha) return 'captcha';
  if (action?.Allow) return 'allow';
  if (action?.Count) return 'count';
  return undefined;
}

/**
 * A group applied with its own actions can still be neutralised inside the rule: RuleActionOverrides turning its
 * rules to Count or Allow, ExcludedRules (which count). What is left is known only from the group's rule list.
 * An AWS managed group without either blocks as AWS built it; a customer group's own rules may all only count,
 * so its list is always read.
 */
async function groupAction(statement: GroupStatement | undefined, readGroup: (statement: GroupStatement) => Promise<GroupRules>): Promise<RuleAction> {
  const group = statement?.ManagedRuleGroupStatement ?? statement?.RuleGroupReferenceStatement;
  if (!statement || !group) return 'group-unknown';
  if (statement.ManagedRuleGroupStatement && !group.RuleActionOverrides?.length && !group.ExcludedRules?.length) return 'group';
  const rules = await readGroup(statement);
  if (!rules) return 'group-unknown';
  const actions = new Map(rules.map((rule) => [rule.name, rule.action]));
  for (const { Name } of group.ExcludedRules ?? []) if (Name !== undefined && actions.has(Name)) actions.set(Name, 'count');
  for (const { Name, ActionToUse } of group.RuleActionOverrides ?? []) if (Name !== undefined && actions.has(Name)) actions.set(Name, actionOf(ActionToUse));
  const left = [...actions.values()];
  if (left.some((action) => action === 'block' || action === 'challenge' || action === 'captcha')) return 'group';
  return left.includes(undefined) ? 'group-unknown' : 'count';
}

const RULE_GROUP_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d*:global\/rulegroup\/([^/]+)\/([^/]+)$/;

/**
 * The group's rules, read once per run: an AWS managed group's (at the rule's version) with DescribeManagedRuleGroup,
 * a customer group's with GetRuleGroup. Any failure is undefined: the check says unverified unless another rule blocks.
 */
async function groupRules(context: CollectContext, client: WAFV2Client, statement: GroupStatement, groups: Map<string, Promise<GroupRules>>): Promise<GroupRules> {
  const managed = statement.ManagedRuleGroupStatement;
  const arn = RULE_GROUP_ARN.exec(statement.RuleGroupReferenceStatement?.ARN ?? '');
  const key = managed ? `managed ${managed.VendorName}/${managed.Name}@${managed.Version ?? ''}` : arn?.[0];
  if (!key) return undefined;
  if (!groups.has(key)) {
    const read = async () => {
      const { DescribeManagedRuleGroupCommand, GetRuleGroupCommand } = await import('@aws-sdk/client-wafv2');
      if (managed) {
        const request = { VendorName: managed.VendorName, Name: managed.Name, VersionName: managed.Version, Scope: 'CLOUDFRONT' as const };
        const answer = await client.send(new DescribeManagedRuleGroupCommand(request), { abortSignal: context.signal });
        return requireList(answer, 'Rules', 'wafv2:DescribeManagedRuleGroup').map((rule) => ({ name: rule.Name ?? '', action: actionOf(rule.Action) }));
      }
      const [, name, id] = arn as unknown as [string, string, string];
      const answer = await client.send(new GetRuleGroupCommand({ Name: name, Scope: 'CLOUDFRONT', Id: id }), { abortSignal: context.signal });
      const group = requireField(answer, 'RuleGroup', 'wafv2:GetRuleGroup');
      return requireList(group, 'Rules', 'wafv2:GetRuleGroup').map((rule) => ({ name: rule.Name ?? '', action: actionOf(rule.Action) }));
    };
    groups.set(key, read().catch(() => undefined));
  }
  return groups.get(key)!;
}

function malformed(message: string): never {
  throw new FactError('MalformedResponse', message);
}

function toDistribution(summary: { id: string; arn: string; domainName: string }, config: DistributionConfig): Distribution {
  const viewer = config.ViewerCertificate ?? {};
  const acmCertificateArn = viewer.ACMCertificateArn || null;
  // moto reports CloudFrontDefaultCertificate=true next to an ACM ARN; AWS allows only one of them.
  const source = acmCertificateArn ? 'acm' : viewer.IAMCertificateId ? 'iam' : 'cloudfront';
  const groups = new Map((config.OriginGroups?.Items ?? []).map((g) => [g.Id ?? '', (g.Members?.Items ?? []).map((m) => m.OriginId ?? '')]));
  return {
    id: summary.id,
    arn: summary.arn,
    domainName: summary.domainName,
    enabled: config.Enabled === true,
    aliases: config.Aliases?.Items ?? [],
    behaviors: [
      { pathPattern: '*', ...route(config.DefaultCacheBehavior?.ViewerProtocolPolicy, config.DefaultCacheBehavior?.TargetOriginId, groups) },
      ...(config.CacheBehaviors?.Items ?? []).map((b) => ({ pathPattern: b.PathPattern ?? '', ...route(b.ViewerProtocolPolicy, b.TargetOriginId, groups) })),
    ],
    origins: (config.Origins?.Items ?? []).map(toOrigin),
    certificate: {
      source,
      acmCertificateArn,
      // The default *.cloudfront.net certificate always allows TLSv1, whatever the config says.
      minimumProtocolVersion: source === 'cloudfront' ? 'TLSv1' : (viewer.MinimumProtocolVersion ?? null),
      sslSupportMethod: viewer.SSLSupportMethod ?? null,
    },
    logging: { enabled: config.Logging?.Enabled === true, bucket: config.Logging?.Bucket || null, prefix: config.Logging?.Prefix || null },
    webAclId: config.WebACLId || null,
  };
}

/** An origin group stands for its members; an id that is neither stays as it is (the check finds no such origin). */
function route(viewerProtocolPolicy: string | undefined, target: string | undefined, groups: Map<string, string[]>) {
  const targetOriginId = target ?? '';
  return { viewerProtocolPolicy: viewerProtocolPolicy ?? 'unknown', targetOriginId, originIds: groups.get(targetOriginId) ?? [targetOriginId] };
}

/**
 * CustomOriginConfig decides the protocol when present (an origin access control also fronts Lambda URLs, which are
 * custom origins); S3OriginConfig or an origin access control alone is an S3 REST origin, always fetched over HTTPS.
 * moto leaves both out of its answer for S3 origins: they stay `unknown`, not assumed safe.
 */
function toOrigin(origin: Origin): NonNullable<Distribution['origins']>[number] {
  const custom = origin.CustomOriginConfig;
  const kind = custom ? 'custom' : origin.VpcOriginConfig ? 'vpc' : origin.S3OriginConfig || origin.OriginAccessControlId ? 's3' : 'unknown';
  return {
    id: origin.Id ?? '',
    domainName: origin.DomainName ?? '',
    kind,
    protocolPolicy: custom?.OriginProtocolPolicy ?? null,
    sslProtocols: custom ? (custom.OriginSslProtocols?.Items ?? []) : null,
  };
}
