import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { cloudfrontDistributions } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';
import { pages } from './pages.js';

type Distribution = FactValue<typeof cloudfrontDistributions>[number];

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
  for (const summary of summaries) {
    let config: DistributionConfig | undefined;
    try {
      config = (await client.send(new GetDistributionConfigCommand({ Id: summary.id }), { abortSignal: context.signal })).DistributionConfig;
    } catch (error) {
      throw awsFactError(error, 'cloudfront:GetDistributionConfig');
    }
    if (!config?.DefaultCacheBehavior) throw new FactError('MalformedResponse', `distribution ${summary.id} has no default cache behaviour in its config`);
    distributions.push(toDistribution(summary, config));
  }
  return distributions;
});

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
