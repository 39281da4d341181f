import { describe, expect, it } from 'vitest';
import check from '../../checks/aws/aws.acm.expiry.js';
import { growth } from '../support/scans.js';

describe('aws.acm.expiry at scale', () => {
  it('the distributions using each failing certificate are looked up, not filtered per certificate', () => {
    const estate = (size: number) => {
      const ids = Array.from({ length: size }, (_, i) => i);
      const certificateArn = (i: number) => `arn:aws:acm:us-east-1:1:certificate/cert-${i}`;
      const distributionArn = (i: number) => `arn:aws:cloudfront::1:distribution/E${i}`;
      // Imported and expiring: the fix replaces it in every distribution that uses it.
      const certificates = ids.map((i) => ({
        arn: certificateArn(i), region: 'us-east-1', domainName: `app-${i}.example.com`, subjectAlternativeNames: [`app-${i}.example.com`], status: 'ISSUED',
        type: 'IMPORTED', keyAlgorithm: 'RSA_2048', notAfter: '2025-10-15T00:00:00.000Z', inUseBy: [distributionArn(i)], renewalEligibility: 'INELIGIBLE',
      }));
      const distributions = ids.map((i) => ({
        id: `E${i}`, arn: distributionArn(i), domainName: `d${i}.cloudfront.net`, enabled: true, aliases: [`app-${i}.example.com`],
        behaviors: [{ pathPattern: '*', viewerProtocolPolicy: 'redirect-to-https' }],
        certificate: { source: 'acm', acmCertificateArn: certificateArn(i), minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
        logging: { enabled: true, bucket: 'logs.s3.amazonaws.com', prefix: 'cf/' }, webAclId: null,
      }));
      return { facts: { certificates, distributions } };
    };
    const { scans, results } = growth(check, estate);
    expect(results).toBe(4);
    expect(scans).toBeLessThan(5);
  });
});
