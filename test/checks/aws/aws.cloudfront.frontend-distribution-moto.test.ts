import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, CreateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import frontendDistribution from '../../../checks/aws/aws.cloudfront.frontend-distribution.js';
import { cloudfrontDistributions } from '../../../src/facts/aws.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const aws = motoForFile();
const config = { domain: { name: 'example.com', hosts: { app: 'app.example.com' } } };

async function createDistribution(reference: string, over: Partial<DistributionConfig>): Promise<string> {
  const behavior = { TargetOriginId: 'origin', ViewerProtocolPolicy: 'redirect-to-https' as const, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' as const } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } };
  const answer = await aws.client(CloudFrontClient).send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: reference,
        Comment: reference,
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: 'origin', DomainName: 'frontend.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
        DefaultCacheBehavior: behavior,
        ...over,
      },
    }),
  );
  return answer.Distribution!.Id!;
}

describe('aws.cloudfront.frontend-distribution against moto: the distribution CloudFront routes the host to', () => {
  it('the host named exactly on a disabled distribution is not served by another one\'s wildcard: fails, not pass', async () => {
    // CloudFront sends a request to the distribution with the most specific alias, wherever DNS points.
    const { CertificateArn } = await aws.client(ACMClient).send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS' }));
    const viewer = { ACMCertificateArn: CertificateArn, SSLSupportMethod: 'sni-only' as const, MinimumProtocolVersion: 'TLSv1.2_2021' as const };
    await createDistribution('wildcard', { Aliases: { Quantity: 1, Items: ['*.example.com'] }, ViewerCertificate: viewer });
    await createDistribution('app', { Enabled: false, Aliases: { Quantity: 1, Items: ['app.example.com'] }, ViewerCertificate: viewer });
    const run = await collectAws(aws.moto, [cloudfrontDistributions], config);
    expect(run.results(frontendDistribution)).toEqual([['app.example.com', 'fail', 'disabled']]);
  });
});

describe('aws.cloudfront.frontend-distribution: exact alias before wildcard', () => {
  const CERT = 'arn:aws:acm:us-east-1:1:certificate/abc';
  const distribution = (id: string, over: Record<string, unknown> = {}) => ({
    id, arn: `arn:aws:cloudfront::1:distribution/${id}`, domainName: `${id.toLowerCase()}.cloudfront.net`, enabled: true, aliases: ['app.example.com'],
    behaviors: [{ pathPattern: '*', viewerProtocolPolicy: 'redirect-to-https', targetOriginId: 's3', originIds: ['s3'] }],
    origins: [{ id: 's3', domainName: 'frontend.s3.us-east-1.amazonaws.com', kind: 's3', protocolPolicy: null, sslProtocols: null }],
    certificate: { source: 'acm', acmCertificateArn: CERT, minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
    logging: { enabled: false, bucket: null, prefix: null }, webAclId: null, ...over,
  });
  const wildcard = distribution('EWILD', { aliases: ['*.example.com'] });
  const iam = { source: 'iam', acmCertificateArn: null, minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' };
  const cases: CheckCase[] = [
    { name: 'exact alias on an IAM-certificate distribution wins over an ACM wildcard one: fails', facts: { distributions: [wildcard, distribution('EAPP', { certificate: iam })] }, config, expected: [['app.example.com', 'fail', 'no-acm-certificate']] },
    { name: 'exact alias on an enabled ACM distribution passes beside a wildcard one', facts: { distributions: [wildcard, distribution('EAPP')] }, config, expected: [['app.example.com', 'pass', 'serving']] },
    { name: 'alias matching is case-insensitive for the exact name too', facts: { distributions: [wildcard, distribution('EAPP', { enabled: false, aliases: ['App.Example.com'] })] }, config, expected: [['app.example.com', 'fail', 'disabled']] },
    { name: 'the wildcard alone serves the host', facts: { distributions: [wildcard] }, config, expected: [['app.example.com', 'pass', 'serving']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(frontendDistribution, c)).toEqual(c.expected));
});
