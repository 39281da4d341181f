import { ACMClient, DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import acmExpiry from '../../checks/aws/aws.acm.expiry.js';
import { placeholdersIn } from '../../src/command-review.js';
import { acmCertificates, cloudfrontDistributions } from '../../src/facts/aws.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { makeConfig } from '../support/check-tester.js';
import { jsonAnswer, startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy.js';

const aws = motoForFile();

/**
 * moto 5.2 reports every certificate INELIGIBLE, DNS-validated and without a RenewalSummary. This proxy plays AWS's
 * part for the certificates a test names: what AWS answers for one in use (ELIGIBLE) whose managed renewal is in the
 * given state, and, for EMAIL, the validation method of every domain (AWS then lists no ResourceRecord).
 */
interface AwsSays {
  renewal?: { RenewalStatus: string; RenewalStatusReason?: string; validationStatus: string };
  method?: 'EMAIL';
  /** Leave DomainValidationOptions out of the answer (a malformed one: AWS always lists them for an Amazon-issued certificate). */
  noValidationOptions?: true;
}
const says = new Map<string, AwsSays>();
let proxy: RewritingProxy;
beforeAll(async () => {
  proxy = await startRewritingProxy(aws.moto.endpoint, {
    'acm:DescribeCertificate': {
      answer: (answer, request) => {
        const seen = says.get((JSON.parse(request) as { CertificateArn?: string }).CertificateArn ?? '');
        if (!seen || answer.status !== 200) return answer;
        type Validation = { DomainName: string; ValidationMethod?: string; ValidationStatus?: string; ResourceRecord?: unknown; ValidationEmails?: string[] };
        const { Certificate } = JSON.parse(answer.body) as { Certificate: Record<string, unknown> & { DomainValidationOptions: Validation[] } };
        const validations = Certificate.DomainValidationOptions.map(({ ResourceRecord, ...v }): Validation =>
          seen.method === 'EMAIL' ? { ...v, ValidationMethod: 'EMAIL', ValidationEmails: [`admin@${v.DomainName.replace(/^\*\./, '')}`] } : { ...v, ResourceRecord },
        );
        const renewal = seen.renewal && {
          RenewalSummary: {
            RenewalStatus: seen.renewal.RenewalStatus,
            ...(seen.renewal.RenewalStatusReason ? { RenewalStatusReason: seen.renewal.RenewalStatusReason } : {}),
            DomainValidationOptions: validations.map((v) => ({ ...v, ValidationStatus: seen.renewal!.validationStatus })),
            UpdatedAt: 1_767_225_600,
          },
        };
        if (seen.noValidationOptions) {
          const { DomainValidationOptions: _left, ...rest } = Certificate;
          return jsonAnswer(200, { Certificate: { ...rest, RenewalEligibility: 'ELIGIBLE' } });
        }
        return jsonAnswer(200, { Certificate: { ...Certificate, RenewalEligibility: 'ELIGIBLE', DomainValidationOptions: validations, ...renewal } });
      },
    },
  });
});
afterAll(async () => {
  await proxy?.close();
});
beforeEach(() => says.clear());

const config = { domain: { name: 'example.com', hosts: { app: 'app.example.com' } } };
const FACTS = [cloudfrontDistributions, acmCertificates];
const DAY_MS = 86_400_000;

/** A DNS-validated certificate for app.example.com on its CloudFront distribution, and a clock `daysLeft` days before it expires. */
async function attachedCertificate(daysLeft: number): Promise<{ arn: string; now: Date }> {
  const acm = aws.client(ACMClient);
  const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS' }));
  await aws.client(CloudFrontClient).send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: 'app',
        Comment: 'app',
        Enabled: true,
        Aliases: { Quantity: 1, Items: ['app.example.com'] },
        Origins: { Quantity: 1, Items: [{ Id: 'origin', DomainName: 'frontend.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
        DefaultCacheBehavior: { TargetOriginId: 'origin', ViewerProtocolPolicy: 'redirect-to-https', ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } },
        ViewerCertificate: { ACMCertificateArn: CertificateArn, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
      },
    }),
  );
  const { Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
  return { arn: CertificateArn!, now: new Date(Certificate!.NotAfter!.getTime() - daysLeft * DAY_MS - DAY_MS / 2) };
}

describe('aws.acm.expiry against moto: managed renewal that will not happen by itself', () => {
  it('45 days out with renewal PENDING_VALIDATION (its validation CNAME was deleted) fails, and the fix is to publish the CNAMEs again', async () => {
    const { arn, now } = await attachedCertificate(45);
    says.set(arn, { renewal: { RenewalStatus: 'PENDING_VALIDATION', validationStatus: 'PENDING_VALIDATION' } });
    const run = await collectAws(proxy, FACTS, config, now);
    expect(run.results(acmExpiry)).toEqual([[arn, 'fail', 'renewal-pending-validation']]);
    const fact = run.outcomes.get(acmCertificates.id);
    expect(fact?.ok && fact.value).toEqual([expect.objectContaining({ arn, renewalEligibility: 'ELIGIBLE', renewalStatus: 'PENDING_VALIDATION', renewalStatusReason: null, validationMethods: ['DNS'] })]);
    // Only the methods are kept: no validation record (CNAME name and value) reaches the snapshot.
    expect(JSON.stringify(fact)).not.toMatch(/acm-validations\.aws|_[0-9a-f]{20,}/);
    const [result] = evaluateCheck(acmExpiry, run.outcomes, { config: makeConfig({ ...config, aws: { region: 'us-east-1', endpoint: proxy.endpoint } }), now });
    expect(result?.remediation.command).toMatch(/^aws acm describe-certificate --certificate-arn arn:aws:acm:us-east-1:123456789012:certificate\/\S+ --region us-east-1 /);
  });

  it('a FAILED renewal fails, naming the reason', async () => {
    const { arn, now } = await attachedCertificate(30);
    says.set(arn, { renewal: { RenewalStatus: 'FAILED', RenewalStatusReason: 'CAA_ERROR', validationStatus: 'FAILED' } });
    const run = await collectAws(proxy, FACTS, config, now);
    expect(run.results(acmExpiry)).toEqual([[arn, 'fail', 'renewal-failed']]);
    const [result] = evaluateCheck(acmExpiry, run.outcomes, { config: makeConfig({ ...config, aws: { region: 'us-east-1', endpoint: proxy.endpoint } }), now });
    expect(result?.message).toContain('CAA_ERROR');
  });

  it('an EMAIL-validated certificate in use fails though far from expiry: each renewal waits for someone to click a mail', async () => {
    const { arn, now } = await attachedCertificate(200);
    says.set(arn, { method: 'EMAIL' });
    const run = await collectAws(proxy, FACTS, config, now);
    expect(run.results(acmExpiry)).toEqual([[arn, 'fail', 'email-validation']]);
    const fact = run.outcomes.get(acmCertificates.id);
    expect(fact?.ok && fact.value).toEqual([expect.objectContaining({ renewalStatus: null, validationMethods: ['EMAIL'] })]);
    const [result] = evaluateCheck(acmExpiry, run.outcomes, { config: makeConfig({ ...config, aws: { region: 'us-east-1', endpoint: proxy.endpoint } }), now });
    // Replaced by a DNS-validated certificate (the remediation text requests it) in its distribution, then deleted.
    expect(placeholdersIn(result!.remediation.command!)).toEqual(['<new-certificate-arn>']);
    expect(result?.remediation.command).toContain(`aws acm delete-certificate --certificate-arn ${arn} --region us-east-1`);
    expect(result?.remediation.text).toContain('--validation-method DNS');
  });

  it('an answer without validation options is unverified, not read as "not email-validated"', async () => {
    const { arn, now } = await attachedCertificate(200);
    says.set(arn, { noValidationOptions: true });
    const run = await collectAws(proxy, FACTS, config, now);
    expect(run.results(acmExpiry)).toEqual([[arn, 'unverified', 'validation-unknown']]);
  });

  it('renewal PENDING_AUTO_RENEWAL 45 days out, or no renewal yet 200 days out, still passes', async () => {
    const { arn, now } = await attachedCertificate(45);
    says.set(arn, { renewal: { RenewalStatus: 'PENDING_AUTO_RENEWAL', validationStatus: 'PENDING_VALIDATION' } });
    expect((await collectAws(proxy, FACTS, config, now)).results(acmExpiry)).toEqual([[arn, 'pass', 'valid']]);
    says.set(arn, {});
    const later = new Date(now.getTime() - 155 * DAY_MS);
    expect((await collectAws(proxy, FACTS, config, later)).results(acmExpiry)).toEqual([[arn, 'pass', 'valid']]);
  });
});
