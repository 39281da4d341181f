import { CloudFrontClient, CreateDistributionCommand, type DistributionConfig, type Origin } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import httpsOnly from '../../checks/aws/aws.cloudfront.https-only.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';

// The origin leg of aws.cloudfront.https-only, against moto. Where moto differs from AWS:
// - GetDistributionConfig returns S3 origins without S3OriginConfig or OriginAccessControlId (AWS returns one of them):
//   the collector cannot tell them from a VPC or unknown origin, so the check stays unverified on them here.
// - OriginSslProtocols left out of CreateDistribution comes back as an empty list (AWS requires at least one).
const aws = motoForFile();

function behavior(target: string, viewerProtocolPolicy: 'allow-all' | 'redirect-to-https' | 'https-only') {
  return { TargetOriginId: target, ViewerProtocolPolicy: viewerProtocolPolicy, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' as const } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } };
}

function custom(id: string, policy: 'http-only' | 'match-viewer' | 'https-only', protocols: ('SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2')[] = ['TLSv1.2']): Origin {
  return {
    Id: id,
    DomainName: `${id}.example.com`,
    CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: policy, ...(protocols.length ? { OriginSslProtocols: { Quantity: protocols.length, Items: protocols } } : {}) },
  };
}

async function create(reference: string, origins: Origin[], over: Partial<DistributionConfig> = {}): Promise<string> {
  const cloudfront = aws.client(CloudFrontClient);
  const answer = await cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: reference,
        Comment: reference,
        Enabled: true,
        Origins: { Quantity: origins.length, Items: origins },
        DefaultCacheBehavior: behavior(origins[0]!.Id!, 'redirect-to-https'),
        ...over,
      },
    }),
  );
  return answer.Distribution!.Id!;
}

describe('aws.cloudfront.https-only: the leg from CloudFront to the origin', () => {
  it('viewers redirected to HTTPS but an http-only custom origin fails origin-http', async () => {
    const id = await create('http-origin', [custom('api', 'http-only')]);
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(httpsOnly)).toEqual([[id, 'fail', 'origin-http']]);
  });

  it('a custom origin allowing TLSv1 fails origin-old-tls; TLSv1.2 only with https-only or match-viewer passes', async () => {
    const old = await create('old-tls', [custom('api', 'https-only', ['TLSv1', 'TLSv1.1', 'TLSv1.2'])]);
    const modern = await create('modern', [custom('api', 'https-only')]);
    const matching = await create('match-viewer', [custom('web', 'match-viewer')], { DefaultCacheBehavior: behavior('web', 'https-only') });
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(httpsOnly)).toEqual([[old, 'fail', 'origin-old-tls'], [modern, 'pass', 'https-enforced'], [matching, 'pass', 'https-enforced']]);
  });

  it('an origin group is resolved to its members: an http-only member behind /api/* fails', async () => {
    const id = await create('group', [custom('web', 'https-only'), custom('primary', 'https-only'), custom('fallback', 'http-only')], {
      OriginGroups: {
        Quantity: 1,
        Items: [{ Id: 'api-group', FailoverCriteria: { StatusCodes: { Quantity: 1, Items: [500] } }, Members: { Quantity: 2, Items: [{ OriginId: 'primary' }, { OriginId: 'fallback' }] } }],
      },
      DefaultCacheBehavior: behavior('web', 'redirect-to-https'),
      CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: '/api/*', ...behavior('api-group', 'https-only') }] },
    });
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    const fact = run.outcomes.get(cloudfrontDistributions.id);
    expect(fact?.ok && fact.value).toEqual([
      expect.objectContaining({
        behaviors: [
          { pathPattern: '*', viewerProtocolPolicy: 'redirect-to-https', targetOriginId: 'web', originIds: ['web'] },
          { pathPattern: '/api/*', viewerProtocolPolicy: 'https-only', targetOriginId: 'api-group', originIds: ['primary', 'fallback'] },
        ],
        origins: [
          { id: 'web', domainName: 'web.example.com', kind: 'custom', protocolPolicy: 'https-only', sslProtocols: ['TLSv1.2'] },
          { id: 'primary', domainName: 'primary.example.com', kind: 'custom', protocolPolicy: 'https-only', sslProtocols: ['TLSv1.2'] },
          { id: 'fallback', domainName: 'fallback.example.com', kind: 'custom', protocolPolicy: 'http-only', sslProtocols: ['TLSv1.2'] },
        ],
      }),
    ]);
    expect(run.results(httpsOnly)).toEqual([[id, 'fail', 'origin-http']]);
  });

  it('match-viewer behind a behaviour that allows HTTP is plain HTTP to the origin too: fails, and the fix covers both legs', async () => {
    const id = await create('match-viewer-http', [custom('web', 'match-viewer')], { DefaultCacheBehavior: behavior('web', 'allow-all') });
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(httpsOnly)).toEqual([[id, 'fail', 'allows-http']]);
  });

  it('moto quirks: an S3 origin comes back without S3OriginConfig, an unset OriginSslProtocols as empty: both unverified, never pass', async () => {
    const s3 = await create('s3', [{ Id: 's3', DomainName: 'frontend.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }]);
    const noProtocols = await create('no-protocols', [custom('api', 'https-only', [])]);
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(httpsOnly)).toEqual([[s3, 'unverified', 'origin-unknown'], [noProtocols, 'unverified', 'origin-unknown']]);
  });
});
