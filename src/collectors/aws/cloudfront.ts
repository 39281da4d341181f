import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import type { FirewallManagerRuleGroup, Rule } from '@aws-sdk/client-wafv2';
import { cloudfrontDistributions } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';
import { pages } from './pages.js';

type Distribution = FactValue<typeof cloudfrontDistributions>[number];
type WebAcl = NonNullable<Distribution['webAcl']>;
type RuleAction = Extract<WebAcl, { read: true }>['rules'][number]['action'];

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
  // Many distributions share one web ACL: each is read once.
  const webAcls = new Map<string, Promise<WebAcl>>();
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
      if (!webAcls.has(id)) webAcls.set(id, readWebAcl(context, id));
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
async function readWebAcl(context: CollectContext, webAclId: string): Promise<WebAcl> {
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
      rules: rules.map((rule) => ({ name: rule.Name ?? '', action: ruleAction(rule, operation) })),
    };
  } catch (error) {
    return { read: false, reason: awsFactError(error, operation).message };
  }
}

/** A rule group applies its own rules' actions unless its OverrideAction makes them all count. */
function ruleAction(rule: Rule | FirewallManagerRuleGroup, operation: string): RuleAction {
  const action = 'Action' in rule ? rule.Action : undefined;
  if (action?.Block) return 'block';
  if (action?.Challenge) return 'challenge';
  if (action?.Captcha) return 'captcha';
  if (action?.Allow) return 'allow';
  if (action?.Count) return 'count';
  if (rule.OverrideAction?.None) return 'group';
  if (rule.OverrideAction?.Count) return 'count';
  return malformed(`${operation} answered rule ${rule.Name ?? '(unnamed)'} without an action it knows`);
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
