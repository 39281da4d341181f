import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { editDistributionCommand } from '../lib/cloudfront.js';
import { noneFound } from '../lib/none-found.js';

const NO_DISTRIBUTIONS = noneFound('CloudFront distribution', 'cloudfront');

const HTTPS_POLICIES = new Set(['redirect-to-https', 'https-only']);

/** Every behaviour that does not already refuse or redirect plain HTTP redirects it. */
const REDIRECT_TO_HTTPS = '(.DefaultCacheBehavior, .CacheBehaviors.Items[]?).ViewerProtocolPolicy |= (if . == "redirect-to-https" or . == "https-only" then . else "redirect-to-https" end)';
/**
 * Every custom origin is fetched over HTTPS with TLSv1.2 only. Joined after REDIRECT_TO_HTTPS when viewers allow HTTP, so
 * turning match-viewer into https-only changes nothing viewers see.
 */
const ORIGINS_OVER_TLS12 = '(.Origins.Items[]? | .CustomOriginConfig | select(. != null)) |= (.OriginProtocolPolicy = "https-only" | .OriginSslProtocols = {Quantity: 1, Items: ["TLSv1.2"]})';
const ORIGIN_POLICIES = new Set(['http-only', 'match-viewer', 'https-only']);
const OUTDATED_TLS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1']);

type Distribution = FactValue<typeof cloudfrontDistributions>[number];
type Origin = NonNullable<Distribution['origins']>[number];

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.https-only',
    title: 'CloudFront serves viewers over HTTPS only',
    failureTitle: 'CloudFront serves viewers over plain HTTP',
    description: 'Both legs must be encrypted. Viewer to CloudFront: every cache behaviour, the default one and each path pattern, must redirect HTTP to HTTPS or refuse it (one `allow-all` behaviour is enough to serve PHI in clear text). CloudFront to the origin: every custom origin must be fetched over HTTPS (`https-only`, or `match-viewer` behind HTTPS-only viewers, never `http-only`) with TLSv1.2, not SSLv3, TLSv1 or TLSv1.1; S3 origins are always fetched over HTTPS.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    remediation: {
      text: 'Set ViewerProtocolPolicy to redirect-to-https on the listed behaviours, and OriginProtocolPolicy to https-only with OriginSslProtocols TLSv1.2 on the custom origins: the command fetches the config, edits it with jq, and updates the distribution with its ETag. The origins must then accept HTTPS with TLS 1.2 (an S3 website endpoint cannot: serve the bucket through an S3 REST origin with origin access control)',
      command: '{{fix}}',
      effortMinutes: 20,
    },
    messages: {
      'https-enforced': 'Every cache behaviour of {{resource}} ({{domain}}) requires HTTPS ({{count}} checked), and CloudFront reaches its {{originCount}} origin(s) over HTTPS',
      'allows-http': '{{resource}} ({{domain}}) serves plain HTTP on {{behaviors}}',
      'origin-http': '{{resource}} ({{domain}}) fetches from {{origins}} over plain HTTP',
      'origin-old-tls': '{{resource}} ({{domain}}) lets CloudFront reach {{origins}} with an outdated TLS version (needs TLSv1.2 only)',
      'origins-not-collected': 'The origins of {{resource}} ({{domain}}) were not collected (a snapshot from before they were read): the leg from CloudFront to the origin is unknown',
      'origin-unknown': 'How CloudFront reaches the origin of {{resource}} ({{domain}}) is unknown: {{origins}}',
      'no-distributions': NO_DISTRIBUTIONS.message,
    },
  },
  facts: { distributions: cloudfrontDistributions },
  evaluate({ distributions }) {
    if (distributions.length === 0) return [{ resource: 'cloudfront', status: 'not_applicable', code: 'no-distributions' }];
    return distributions.map((distribution): Finding => {
      const insecure = distribution.behaviors.filter((b) => !HTTPS_POLICIES.has(b.viewerProtocolPolicy));
      const origins = distribution.behaviors.every((b) => b.originIds) ? distribution.origins : undefined;
      const evidence = {
        arn: distribution.arn,
        domainName: distribution.domainName,
        behaviors: distribution.behaviors.map((b) => `${b.pathPattern}: ${b.viewerProtocolPolicy}${b.originIds ? ` -> ${b.originIds.join(', ')}` : ''}`),
        origins: origins?.map((o) => `${o.id} (${o.domainName}): ${o.kind}${o.kind === 'custom' ? ` ${o.protocolPolicy ?? 'no policy'}, ${o.sslProtocols?.join(' ') || 'no SSL protocols'}` : ''}`) ?? null,
      };
      const args = {
        domain: distribution.domainName,
        count: distribution.behaviors.length,
        originCount: origins?.length ?? 0,
        behaviors: insecure.map((b) => `${b.pathPattern === '*' ? 'the default behaviour' : b.pathPattern} (${b.viewerProtocolPolicy})`).join(', '),
      };
      const custom = (origins ?? []).filter((o) => o.kind === 'custom');
      // match-viewer speaks to the origin as the viewer spoke: plain HTTP wherever a behaviour routing there allows it.
      const plainHttp = custom.filter((o) => o.protocolPolicy === 'http-only' || (o.protocolPolicy === 'match-viewer' && insecure.some((b) => b.originIds?.includes(o.id))));
      const oldTls = custom.filter((o) => o.protocolPolicy !== 'http-only' && o.sslProtocols?.some((p) => OUTDATED_TLS.has(p)));
      const fix = editDistributionCommand(distribution.id, [...(insecure.length ? [REDIRECT_TO_HTTPS] : []), ...(plainHttp.length || oldTls.length ? [ORIGINS_OVER_TLS12] : [])].join(' | '));
      if (insecure.length > 0) return { resource: distribution.id, status: 'fail', code: 'allows-http', args: { ...args, fix }, evidence };
      if (plainHttp.length > 0) return { resource: distribution.id, status: 'fail', code: 'origin-http', args: { ...args, origins: plainHttp.map((o) => `${o.id} (${o.domainName}, ${o.protocolPolicy})`).join(', '), fix }, evidence };
      if (oldTls.length > 0) {
        const named = oldTls.map((o) => `${o.id} (${o.domainName}, ${o.sslProtocols!.filter((p) => OUTDATED_TLS.has(p)).join(', ')})`).join(', ');
        return { resource: distribution.id, status: 'fail', code: 'origin-old-tls', args: { ...args, origins: named, fix }, evidence };
      }
      // Unknown origins get the same edit: it makes every custom origin HTTPS with TLSv1.2, whatever it was.
      const enforce = editDistributionCommand(distribution.id, ORIGINS_OVER_TLS12);
      if (!origins) return { resource: distribution.id, status: 'unverified', code: 'origins-not-collected', args: { ...args, fix: enforce }, evidence };
      const unknown = [...origins.flatMap((o) => unknownReason(o) ?? []), ...unresolved(distribution, origins)];
      if (unknown.length > 0) return { resource: distribution.id, status: 'unverified', code: 'origin-unknown', args: { ...args, origins: unknown.join('; '), fix: enforce }, evidence };
      return { resource: distribution.id, status: 'pass', code: 'https-enforced', args, evidence };
    });
  },
});

/** Why the protocol CloudFront uses to reach this origin is unknown, if it is. */
function unknownReason(origin: Origin): string | undefined {
  const name = `${origin.id} (${origin.domainName})`;
  if (origin.kind === 'unknown') return `${name} has neither an S3 nor a custom origin config`;
  if (origin.kind === 'vpc') return `${name} is a VPC origin, whose protocol policy was not read`;
  if (origin.kind !== 'custom') return undefined;
  if (!ORIGIN_POLICIES.has(origin.protocolPolicy ?? '')) return `${name} has origin protocol policy ${origin.protocolPolicy ?? 'none'}`;
  if (origin.protocolPolicy !== 'http-only' && !origin.sslProtocols?.length) return `${name} lists no origin SSL protocols`;
  return undefined;
}

/** Behaviours routed to an origin id the distribution does not list. */
function unresolved(distribution: Distribution, origins: Origin[]): string[] {
  const known = new Set(origins.map((o) => o.id));
  return distribution.behaviors.flatMap((b) => (b.originIds ?? []).filter((id) => !known.has(id)).map((id) => `${b.pathPattern} is routed to ${id}, not among the origins`));
}
