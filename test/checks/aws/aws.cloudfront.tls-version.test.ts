import { spawnSync } from 'node:child_process';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, CreateDistributionCommand, type ViewerCertificate } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import tlsVersion from '../../../checks/aws/aws.cloudfront.tls-version.js';
import { placeholdersIn } from '../../../src/command-review.js';
import { cloudfrontDistributions } from '../../../src/facts/aws.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

// The security policy governs the alternate domain names only: a distribution without one is reached as
// dxxxx.cloudfront.net, on the default certificate, which accepts TLSv1 whatever MinimumProtocolVersion says.
const aws = motoForFile();

async function create(reference: string, viewer: ViewerCertificate, aliases: string[]): Promise<string> {
  const behavior = { TargetOriginId: 'origin', ViewerProtocolPolicy: 'https-only' as const, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' as const } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } };
  const origin = { Id: 'origin', DomainName: 'origin.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' as const, OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2' as const] } } };
  const answer = await aws.client(CloudFrontClient).send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: reference, Comment: reference, Enabled: true, Origins: { Quantity: 1, Items: [origin] }, DefaultCacheBehavior: behavior,
        ...(aliases.length ? { Aliases: { Quantity: aliases.length, Items: aliases } } : {}), ViewerCertificate: viewer,
      },
    }),
  );
  return answer.Distribution!.Id!;
}

describe('aws.cloudfront.tls-version against moto: the policy protects only the alternate domain names', () => {
  it('an ACM certificate with TLSv1.2_2021 but no alias fails (viewers only reach *.cloudfront.net, TLSv1); with its alias it passes', async () => {
    const { CertificateArn } = await aws.client(ACMClient).send(new RequestCertificateCommand({ DomainName: 'app.example.com', ValidationMethod: 'DNS' }));
    const viewer = { ACMCertificateArn: CertificateArn, SSLSupportMethod: 'sni-only' as const, MinimumProtocolVersion: 'TLSv1.2_2021' as const };
    const bare = await create('no-alias', viewer, []);
    const app = await create('app', viewer, ['app.example.com']);
    const run = await collectAws(aws.moto, [cloudfrontDistributions]);
    expect(run.results(tlsVersion)).toEqual([[bare, 'fail', 'no-aliases'], [app, 'pass', 'modern']]);
  });
});

describe('aws.cloudfront.tls-version: distributions without an alternate domain name', () => {
  const CERT = 'arn:aws:acm:us-east-1:1:certificate/abc';
  const distribution = (aliases: string[], certificate: Record<string, unknown>) => ({
    id: 'E1', arn: 'arn:aws:cloudfront::1:distribution/E1', domainName: 'd1.cloudfront.net', enabled: true, aliases,
    behaviors: [{ pathPattern: '*', viewerProtocolPolicy: 'redirect-to-https', targetOriginId: 's3', originIds: ['s3'] }],
    certificate, logging: { enabled: false, bucket: null, prefix: null }, webAclId: null,
  });
  const acm = { source: 'acm', acmCertificateArn: CERT, minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' };
  const iam = { source: 'iam', acmCertificateArn: null, minimumProtocolVersion: 'TLSv1.3_2025', sslSupportMethod: 'vip' };
  const cloudfront = { source: 'cloudfront', acmCertificateArn: null, minimumProtocolVersion: 'TLSv1', sslSupportMethod: 'vip' };
  const cases: CheckCase[] = [
    { name: 'ACM certificate, TLSv1.2_2021, no alias: fails', facts: { distributions: [distribution([], acm)] }, expected: [['E1', 'fail', 'no-aliases']] },
    { name: 'IAM certificate, TLSv1.3_2025 on vip, no alias: fails', facts: { distributions: [distribution([], iam)] }, expected: [['E1', 'fail', 'no-aliases']] },
    { name: 'IAM certificate, TLSv1.3_2025 on vip, with an alias: passes', facts: { distributions: [distribution(['app.example.com'], iam)] }, expected: [['E1', 'pass', 'modern']] },
    { name: 'the default certificate without alias is still default-certificate', facts: { distributions: [distribution([], cloudfront)] }, expected: [['E1', 'fail', 'default-certificate']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(tlsVersion, c)).toEqual(c.expected));

  /** The config update-distribution is given by the command, run with a stand-in `aws` on `config`. */
  function applied(command: string, config: Record<string, unknown>): Record<string, unknown> {
    const cli = 'aws() { case "$2" in get-distribution-config) printf %s "$CONFIG";; update-distribution) printf %s "$8" >&2;; esac; }';
    const run = spawnSync('sh', ['-c', `${cli}; ${command}`], { encoding: 'utf8', env: { PATH: process.env.PATH, CONFIG: JSON.stringify({ ETag: 'X', DistributionConfig: config }) } });
    expect(run.status).toBe(0);
    return JSON.parse(run.stderr) as Record<string, unknown>;
  }

  it('the fix adds the alternate domain name, keeping the certificate; on the default certificate it asks for both', () => {
    const [own] = renderedCommands(tlsVersion, { distributions: [distribution([], acm)] });
    expect(placeholdersIn(own!)).toEqual(['<alternate-domain-name>']);
    const filled = own!.replaceAll('<alternate-domain-name>', 'app.example.com');
    expect(applied(filled, { Aliases: { Quantity: 0 }, ViewerCertificate: { ACMCertificateArn: CERT, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1' } })).toEqual({
      Aliases: { Quantity: 1, Items: ['app.example.com'] },
      ViewerCertificate: { ACMCertificateArn: CERT, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
    });
    const [bare] = renderedCommands(tlsVersion, { distributions: [distribution([], cloudfront)] });
    expect(placeholdersIn(bare!)).toEqual(['<acm-certificate-arn>', '<alternate-domain-name>']);
    const both = bare!.replaceAll('<acm-certificate-arn>', CERT).replaceAll('<alternate-domain-name>', 'app.example.com');
    expect(applied(both, { Aliases: { Quantity: 0 }, ViewerCertificate: { CloudFrontDefaultCertificate: true } })).toEqual({
      Aliases: { Quantity: 1, Items: ['app.example.com'] },
      ViewerCertificate: { ACMCertificateArn: CERT, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
    });
  });
});
