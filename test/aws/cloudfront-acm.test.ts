import { ACMClient, ImportCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, CreateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import acmDomainCertificate from '../../checks/aws/aws.acm.domain-certificate.js';
import acmExpiry from '../../checks/aws/aws.acm.expiry.js';
import frontendDistribution from '../../checks/aws/aws.cloudfront.frontend-distribution.js';
import httpsOnly from '../../checks/aws/aws.cloudfront.https-only.js';
import cloudfrontLogging from '../../checks/aws/aws.cloudfront.logging.js';
import tlsVersion from '../../checks/aws/aws.cloudfront.tls-version.js';
import waf from '../../checks/aws/aws.cloudfront.waf.js';
import { acmCertificates, cloudfrontDistributions } from '../../src/facts/aws.js';
import { s3AccountBuckets } from '../../src/facts/aws-network.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { makeConfig } from '../support/check-tester.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
import { selfSigned } from '../support/certificates.js';
import { startMoto, type Moto } from '../support/moto.js';

// Where moto differs from AWS (each also noted at the assertion it affects):
// - ListDistributions summaries carry no behaviours, aliases or certificate: the collector reads GetDistributionConfig.
// - ViewerCertificate says CloudFrontDefaultCertificate=true next to an ACMCertificateArn (AWS: one or the other).
// - ACM: every certificate is RenewalEligibility INELIGIBLE; requested certificates report KeyAlgorithm RSA_2048
//   whatever was asked (EC key types are covered with aws-sdk-client-mock in edge-failures.test.ts); InUseBy stays
//   empty when a distribution uses a certificate, so aws.acm.expiry also counts certificates that distributions reference.
let moto: Moto;
let cloudfront: CloudFrontClient;
const acm = new Map<string, ACMClient>();
const acmIn = (region: string) => acm.get(region) ?? acm.set(region, new ACMClient({ region, endpoint: moto.endpoint })).get(region)!;

beforeAll(async () => {
  // startMoto sets MOTO_ACM_VALIDATION_WAIT=0: requested certificates are ISSUED at once.
  moto = await startMoto();
  useMotoCredentials(moto);
  cloudfront = new CloudFrontClient({ region: 'us-east-1', endpoint: moto.endpoint });
});
afterAll(async () => {
  cloudfront?.destroy();
  for (const client of acm.values()) client.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const config = { domain: { name: 'example.com', hosts: { app: 'app.example.com' } } };
const FACTS = [cloudfrontDistributions, acmCertificates, s3AccountBuckets];

function behavior(viewerProtocolPolicy: 'allow-all' | 'redirect-to-https' | 'https-only') {
  return { TargetOriginId: 'origin', ViewerProtocolPolicy: viewerProtocolPolicy, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' as const } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } };
}

async function createDistribution(reference: string, over: Partial<DistributionConfig>): Promise<string> {
  const answer = await cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: reference,
        Comment: reference,
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: 'origin', DomainName: 'frontend.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
        DefaultCacheBehavior: behavior('redirect-to-https'),
        ...over,
      },
    }),
  );
  return answer.Distribution!.Id!;
}


describe('CloudFront checks against moto (behaviours from GetDistributionConfig)', () => {
  it('the app distribution passes all but https-only (one extra behaviour allows HTTP); the bare one fails the rest', async () => {
    const { CertificateArn } = await acmIn('us-east-1').send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS' }));
    const app = await createDistribution('app', {
      Aliases: { Quantity: 1, Items: ['app.example.com'] },
      CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: '/api/*', ...behavior('allow-all') }] },
      ViewerCertificate: { ACMCertificateArn: CertificateArn, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
      Logging: { Enabled: true, IncludeCookies: false, Bucket: 'logs.s3.amazonaws.com', Prefix: 'cloudfront/' },
      WebACLId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/app/1',
    });
    // moto's GetDistributionConfig drops S3OriginConfig (the origin's kind is then unknown): bare uses a custom origin.
    const httpsOrigin = { Id: 'origin', DomainName: 'origin.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' as const, OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2' as const] } } };
    const bare = await createDistribution('bare', { Origins: { Quantity: 1, Items: [httpsOrigin] }, DefaultCacheBehavior: behavior('https-only'), ViewerCertificate: { CloudFrontDefaultCertificate: true } });
    const run = await collectAws(moto, FACTS, config);
    // moto's ListDistributions summaries carry no behaviours: the /api/* one is only seen through GetDistributionConfig.
    expect(run.results(httpsOnly)).toEqual([[app, 'fail', 'allows-http'], [bare, 'pass', 'https-enforced']]);
    // moto reports CloudFrontDefaultCertificate=true next to the ACM ARN (AWS: false); the collector trusts the ARN.
    expect(run.results(tlsVersion)).toEqual([[app, 'pass', 'modern'], [bare, 'fail', 'default-certificate']]);
    expect(run.results(frontendDistribution)).toEqual([['app.example.com', 'pass', 'serving']]);
    // No bucket `logs` in this account: it may be another account's, or gone (logging-target-missing.test.ts has one that passes).
    expect(run.results(cloudfrontLogging)).toEqual([[app, 'unverified', 'log-bucket-elsewhere'], [bare, 'fail', 'disabled']]);
    // moto accepts a WebACLId naming no ACL: what it blocks cannot be read (cloudfront-waf.test.ts creates real ones).
    expect(run.results(waf)).toEqual([[app, 'unverified', 'acl-unread'], [bare, 'fail', 'none']]);
  });

  it('no distribution for the app host fails frontend-distribution', async () => {
    await createDistribution('videos', { ViewerCertificate: { CloudFrontDefaultCertificate: true } });
    const run = await collectAws(moto, FACTS, config);
    expect(run.results(frontendDistribution)).toEqual([['app.example.com', 'fail', 'no-distribution']]);
  });
});

describe('ACM checks against moto', () => {
  it('an ISSUED us-east-1 certificate for apex + wildcard passes; one for the apex only fails', async () => {
    await acmIn('us-east-1').send(new RequestCertificateCommand({ DomainName: 'example.com', ValidationMethod: 'DNS' }));
    const partial = await collectAws(moto, FACTS, config);
    expect(partial.results(acmDomainCertificate)).toEqual([['example.com', 'fail', 'partial']]);

    await acmIn('us-east-1').send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS' }));
    const full = await collectAws(moto, FACTS, config);
    expect(full.results(acmDomainCertificate)).toEqual([['example.com', 'pass', 'issued']]);
  });

  it('a certificate only in eu-west-1 is in the wrong region for CloudFront', async () => {
    await acmIn('eu-west-1').send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS' }));
    const run = await collectAws(moto, FACTS, { ...config, aws: { regions: ['eu-west-1'] } });
    expect(run.results(acmDomainCertificate)).toEqual([['example.com', 'fail', 'wrong-region']]);
  });

  it('an imported certificate expiring in 10 days fails expiry', async () => {
    // Outside the configured domain: it counts as in use only because a distribution references it.
    const { certificate, privateKey } = selfSigned('legacy.example.net', 10);
    const { CertificateArn } = await acmIn('us-east-1').send(new ImportCertificateCommand({ Certificate: Buffer.from(certificate), PrivateKey: Buffer.from(privateKey) }));
    await createDistribution('legacy', { Aliases: { Quantity: 1, Items: ['legacy.example.net'] }, ViewerCertificate: { ACMCertificateArn: CertificateArn, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' } });
    const run = await collectAws(moto, FACTS, config);
    expect(run.results(acmExpiry)).toEqual([[CertificateArn, 'fail', 'expiring']]);
    const fact = run.outcomes.get(acmCertificates.id);
    expect(fact?.ok && fact.value).toEqual([expect.objectContaining({ arn: CertificateArn, type: 'IMPORTED', subjectAlternativeNames: ['legacy.example.net'] })]);
  });

  it('a requested certificate not attached yet is ineligible by design: not a fail', async () => {
    // moto reports every certificate INELIGIBLE, which is what AWS reports for one not in use.
    const { CertificateArn } = await acmIn('us-east-1').send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS' }));
    const run = await collectAws(moto, FACTS, config);
    expect(run.results(acmExpiry)).toEqual([[CertificateArn, 'pass', 'not-attached']]);
  });

  it('once attached to a distribution, an ineligible certificate fails, and the fix is its validation records, not another certificate', async () => {
    // On AWS an in-use, DNS-validated certificate whose CNAMEs resolve is ELIGIBLE and passes; moto cannot produce that.
    const { CertificateArn } = await acmIn('us-east-1').send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS' }));
    await createDistribution('app', { Aliases: { Quantity: 1, Items: ['app.example.com'] }, ViewerCertificate: { ACMCertificateArn: CertificateArn, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' } });
    const run = await collectAws(moto, FACTS, config);
    expect(run.results(acmExpiry)).toEqual([[CertificateArn, 'fail', 'not-renewable']]);
    const result = evaluateCheck(acmExpiry, run.outcomes, { config: makeConfig({ ...config, aws: { region: 'us-east-1', endpoint: moto.endpoint } }), now: new Date() })[0]!;
    expect(result.remediation.command).toMatch(/^aws acm describe-certificate --certificate-arn arn:aws:acm:us-east-1:123456789012:certificate\/\S+ --region us-east-1 /);
    expect(result.remediation.command).not.toContain('request-certificate');
  });
});
