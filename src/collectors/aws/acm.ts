import type { KeyAlgorithm } from '@aws-sdk/client-acm';
import { acmCertificates } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';
import { pages } from './pages.js';

/** ListCertificates returns only RSA_2048 certificates unless asked for every key type. */
const KEY_TYPES: KeyAlgorithm[] = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];

export const acmCertificatesCollector = defineCollector(acmCertificates, async (context) => {
  requireAws(context);
  const { paginateListCertificates, DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
  // CloudFront only uses certificates from us-east-1, whatever region the rest lives in.
  const regions = [...new Set(['us-east-1', ...context.aws.regions])];
  const certificates: FactValue<typeof acmCertificates> = [];
  for (const region of regions) {
    const client = await context.aws.client('acm', region);
    const arns: string[] = [];
    try {
      for await (const page of pages(paginateListCertificates, { client, pageSize: 100 }, { Includes: { keyTypes: KEY_TYPES } }, context.signal)) {
        arns.push(...requireList(page, 'CertificateSummaryList', 'acm:ListCertificates').map((c) => c.CertificateArn ?? '').filter(Boolean));
      }
    } catch (error) {
      throw awsFactError(error, 'acm:ListCertificates');
    }
    for (const arn of arns) {
      try {
        const c = requireField(await client.send(new DescribeCertificateCommand({ CertificateArn: arn }), { abortSignal: context.signal }), 'Certificate', 'acm:DescribeCertificate');
        certificates.push({
          arn,
          region,
          domainName: c?.DomainName ?? '',
          subjectAlternativeNames: c?.SubjectAlternativeNames ?? [],
          status: c?.Status ?? 'UNKNOWN',
          type: c?.Type ?? null,
          keyAlgorithm: c?.KeyAlgorithm ?? null,
          notAfter: c?.NotAfter ? c.NotAfter.toISOString() : null,
          inUseBy: c?.InUseBy ?? [],
          renewalEligibility: c?.RenewalEligibility ?? null,
          renewalStatus: c?.RenewalSummary?.RenewalStatus ?? null,
          renewalStatusReason: c?.RenewalSummary?.RenewalStatusReason ?? null,
          // The methods only: the validation records themselves are not needed to judge renewal. An Amazon-issued
          // certificate always has validation options: an answer without them says nothing, so none are recorded.
          ...(c?.Type === 'AMAZON_ISSUED' && !c.DomainValidationOptions
            ? {}
            : { validationMethods: [...new Set([...(c?.DomainValidationOptions ?? []), ...(c?.RenewalSummary?.DomainValidationOptions ?? [])].flatMap((o) => o.ValidationMethod ?? []))] }),
        });
      } catch (error) {
        throw awsFactError(error, 'acm:DescribeCertificate');
      }
    }
  }
  return certificates;
});
