import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, GetDistributionConfigCommand, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import httpsOnly from '../../checks/aws/aws.cloudfront.https-only.js';
import { acmCertificates, awsIdentity, cloudfrontDistributions, s3AccountPublicAccessBlock } from '../../src/facts/aws.js';
import { collectAws } from '../support/aws-collect.js';
import { sdkError, useSdkMocks } from '../support/sdk-mocks.js';

// What moto cannot produce: denied calls, and more than one page of ListDistributions /
// ListCertificates (moto returns everything in one page). Nothing listens on port 9: a call
// the mocks do not cover fails fast instead of reaching AWS.
const { nowhere, mock } = useSdkMocks();
const distributionConfig = (policy: string) => ({
  DistributionConfig: {
    CallerReference: 'x', Comment: '', Enabled: true, Origins: { Quantity: 1, Items: [{ Id: 'o', DomainName: 'frontend.s3.us-east-1.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
    DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: policy },
    ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: 'TLSv1' },
  },
});

describe('CloudFront', () => {
  it('AccessDenied on GetDistributionConfig makes the checks unverified, never pass', async () => {
    const cloudfront = mock(CloudFrontClient);
    cloudfront.on(ListDistributionsCommand).resolves({ DistributionList: { Marker: '', MaxItems: 100, IsTruncated: false, Quantity: 1, Items: [{ Id: 'E1', ARN: 'arn:aws:cloudfront::1:distribution/E1', DomainName: 'd1.cloudfront.net' } as never] } });
    cloudfront.on(GetDistributionConfigCommand).rejects(sdkError('AccessDenied', 403));
    const run = await collectAws(nowhere, [cloudfrontDistributions]);
    expect(run.outcomes.get(cloudfrontDistributions.id)).toMatchObject({ ok: false, failure: { kind: 'AccessDenied', fix: expect.stringContaining('cloudfront:GetDistributionConfig') } });
    expect(run.results(httpsOnly)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('follows NextMarker through every page of ListDistributions', async () => {
    const cloudfront = mock(CloudFrontClient);
    const item = (id: string) => ({ Id: id, ARN: `arn:aws:cloudfront::1:distribution/${id}`, DomainName: `${id}.cloudfront.net` }) as never;
    cloudfront
      .on(ListDistributionsCommand)
      .resolvesOnce({ DistributionList: { Marker: '', NextMarker: 'page2', MaxItems: 1, IsTruncated: true, Quantity: 1, Items: [item('E1')] } })
      .resolvesOnce({ DistributionList: { Marker: 'page2', MaxItems: 1, IsTruncated: false, Quantity: 1, Items: [item('E2')] } });
    cloudfront.on(GetDistributionConfigCommand, { Id: 'E1' }).resolves(distributionConfig('redirect-to-https') as never);
    cloudfront.on(GetDistributionConfigCommand, { Id: 'E2' }).resolves(distributionConfig('allow-all') as never);
    const run = await collectAws(nowhere, [cloudfrontDistributions]);
    // The paginator reuses one input object for every page, so the recorded inputs cannot be compared call by call.
    expect(cloudfront.commandCalls(ListDistributionsCommand)).toHaveLength(2);
    expect(run.results(httpsOnly)).toEqual([['E1', 'pass', 'https-enforced'], ['E2', 'fail', 'allows-http']]);
  });
});

describe('ACM', () => {
  it('asks for every key type and follows NextToken', async () => {
    const acm = mock(ACMClient);
    acm
      .on(ListCertificatesCommand)
      .resolvesOnce({ CertificateSummaryList: [{ CertificateArn: 'arn:aws:acm:us-east-1:1:certificate/rsa' }], NextToken: 'next' })
      .resolvesOnce({ CertificateSummaryList: [{ CertificateArn: 'arn:aws:acm:us-east-1:1:certificate/ec' }] });
    acm.on(DescribeCertificateCommand).callsFake((input: { CertificateArn: string }) => ({
      Certificate: { CertificateArn: input.CertificateArn, DomainName: 'example.com', SubjectAlternativeNames: ['example.com'], Status: 'ISSUED', KeyAlgorithm: input.CertificateArn.endsWith('ec') ? 'EC_prime256v1' : 'RSA_2048', NotAfter: new Date('2027-01-01T00:00:00Z') },
    }));
    const run = await collectAws(nowhere, [acmCertificates]);
    const calls = acm.commandCalls(ListCertificatesCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.Includes?.keyTypes).toEqual(expect.arrayContaining(['RSA_2048', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1']));
    const outcome = run.outcomes.get(acmCertificates.id);
    expect(outcome?.ok && (outcome.value as { keyAlgorithm: string | null }[]).map((c) => c.keyAlgorithm)).toEqual(['RSA_2048', 'EC_prime256v1']);
  });
});

describe('S3 Control (account-level public access block)', () => {
  it('a 403 from S3 Control is AccessDenied naming s3:GetAccountPublicAccessBlock', async () => {
    mock(STSClient).on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
    const seen: { path: string | undefined; account: string | string[] | undefined; signed: boolean }[] = [];
    const server = createServer((request, response) => {
      seen.push({ path: request.url, account: request.headers['x-amz-account-id'], signed: /^AWS4-HMAC-SHA256 /.test(request.headers.authorization ?? '') });
      response.writeHead(403, { 'content-type': 'application/xml' });
      response.end('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await collectAws({ endpoint: `http://127.0.0.1:${port}` }, [awsIdentity, s3AccountPublicAccessBlock]);
      expect(run.outcomes.get(s3AccountPublicAccessBlock.id)).toMatchObject({ ok: false, failure: { kind: 'AccessDenied', fix: expect.stringContaining('s3:GetAccountPublicAccessBlock') } });
      expect(seen).toEqual([{ path: '/v20180820/configuration/publicAccessBlock', account: '123456789012', signed: true }]);
    } finally {
      server.close();
    }
  });

  // The same retry as every SDK call: three attempts, on throttling, 5xx and dropped connections.
  async function withS3Control(answers: ((response: ServerResponse) => void)[]) {
    mock(STSClient).on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
    let requests = 0;
    const server = createServer((_request, response) => answers[Math.min(requests++, answers.length - 1)]!(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await collectAws({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, [awsIdentity, s3AccountPublicAccessBlock]);
      return { outcome: run.outcomes.get(s3AccountPublicAccessBlock.id), requests };
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
  const slowDown = (response: ServerResponse) => {
    response.writeHead(503, { 'content-type': 'application/xml' });
    response.end('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
  };
  const blocked = (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end('<?xml version="1.0"?><PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>');
  };
  const reset = (response: ServerResponse) => response.socket?.resetAndDestroy();

  it('is retried after SlowDown and a dropped connection, like an SDK call', async () => {
    const { outcome, requests } = await withS3Control([slowDown, reset, blocked]);
    expect(outcome).toMatchObject({ ok: true, value: { account: '123456789012', settings: { blockPublicAcls: true, restrictPublicBuckets: true } } });
    expect(requests).toBe(3);
  });

  it('throttled on every attempt: three attempts, then Throttled (unverified)', async () => {
    const { outcome, requests } = await withS3Control([slowDown]);
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'Throttled' } });
    expect(requests).toBe(3);
  });
});
