import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import acmDomainCertificate from '../../../checks/aws/aws.acm.domain-certificate.js';
import { acmCertificates } from '../../../src/facts/aws.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';
import { jsonAnswer, startRewritingProxy, type RewritingProxy } from '../../support/rewriting-proxy.js';

const aws = motoForFile();
const request = (region: string, DomainName: string, SubjectAlternativeNames?: string[]) =>
  aws.client(ACMClient, region).send(new RequestCertificateCommand({ DomainName, SubjectAlternativeNames, ValidationMethod: 'DNS' }));

describe('aws.acm.domain-certificate against moto: the hosts the config names', () => {
  const config = (hosts: Record<string, string>) => ({ domain: { name: 'example.com', hosts } });

  it('apex + wildcard does not cover a host two labels under the apex (a.b.example.com): fails, not pass', async () => {
    await request('us-east-1', 'example.com', ['*.example.com']);
    const run = await collectAws(aws.moto, [acmCertificates], config({ app: 'app.example.com', api: 'api.eu.example.com' }));
    expect(run.results(acmDomainCertificate)).toEqual([['example.com', 'fail', 'partial']]);
  });

  it('a second ISSUED us-east-1 certificate for the deeper host makes it pass', async () => {
    await request('us-east-1', 'example.com', ['*.example.com']);
    await request('us-east-1', 'api.eu.example.com');
    const run = await collectAws(aws.moto, [acmCertificates], config({ app: 'app.example.com', api: 'api.eu.example.com' }));
    expect(run.results(acmDomainCertificate)).toEqual([['example.com', 'pass', 'issued']]);
  });

  it('the deeper host covered only outside us-east-1 still fails', async () => {
    await request('us-east-1', 'example.com', ['*.example.com']);
    await request('eu-west-1', '*.eu.example.com');
    const run = await collectAws(aws.moto, [acmCertificates], { ...config({ api: 'api.eu.example.com' }), aws: { regions: ['eu-west-1'] } });
    expect(run.results(acmDomainCertificate)).toEqual([['example.com', 'fail', 'partial']]);
  });
});

describe('aws.acm.domain-certificate: host coverage', () => {
  const certificate = (subjectAlternativeNames: string[], over: Record<string, unknown> = {}) => ({
    arn: `arn:aws:acm:us-east-1:1:certificate/${subjectAlternativeNames[0]}`, region: 'us-east-1', domainName: subjectAlternativeNames[0], subjectAlternativeNames, status: 'ISSUED',
    type: 'AMAZON_ISSUED', keyAlgorithm: 'RSA_2048', notAfter: '2026-12-01T00:00:00.000Z', inUseBy: [], renewalEligibility: 'ELIGIBLE', ...over,
  });
  const full = certificate(['example.com', '*.example.com']);
  const domain = (hosts: Record<string, string>) => ({ domain: { name: 'example.com', hosts } });
  const cases: CheckCase[] = [
    { name: 'one-label hosts are covered by the wildcard', facts: { certificates: [full] }, config: domain({ app: 'app.example.com', api: 'API.example.com' }), expected: [['example.com', 'pass', 'issued']] },
    { name: 'a two-label host is not covered by *.example.com', facts: { certificates: [full] }, config: domain({ app: 'a.b.example.com' }), expected: [['example.com', 'fail', 'partial']] },
    { name: 'a two-label host named exactly on the certificate is covered', facts: { certificates: [certificate(['example.com', '*.example.com', 'a.b.example.com'])] }, config: domain({ app: 'a.b.example.com' }), expected: [['example.com', 'pass', 'issued']] },
    { name: 'a two-label host under *.b.example.com is covered', facts: { certificates: [full, certificate(['*.b.example.com'])] }, config: domain({ app: 'a.b.example.com' }), expected: [['example.com', 'pass', 'issued']] },
    { name: 'the certificate for the deeper host is only pending: fails', facts: { certificates: [full, certificate(['a.b.example.com'], { status: 'PENDING_VALIDATION' })] }, config: domain({ app: 'a.b.example.com' }), expected: [['example.com', 'fail', 'partial']] },
    { name: 'a host of another domain is not this check\'s to judge', facts: { certificates: [full] }, config: domain({ api: 'abcdefghijklmnopqrst.supabase.co' }), expected: [['example.com', 'pass', 'issued']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(acmDomainCertificate, c)).toEqual(c.expected));

  it('the fix command also requests the uncovered host', () => {
    const [command] = renderedCommands(acmDomainCertificate, { certificates: [full] }, domain({ app: 'a.b.example.com' }));
    expect(command).toBe("aws acm request-certificate --domain-name example.com --subject-alternative-names '*.example.com' a.b.example.com --validation-method DNS --region us-east-1");
  });
});

/**
 * moto ignores MaxItems and Includes: it answers every certificate on one page. This proxy answers as AWS does: one
 * certificate per page with a NextToken, and without Includes.keyTypes only RSA_2048 certificates (the EC one is dropped).
 */
describe('aws.acm.certificates collector: pages and key types as AWS answers them', () => {
  let proxy: RewritingProxy;
  let ecArn = '';
  beforeAll(async () => {
    proxy = await startRewritingProxy(aws.moto.endpoint, {
      'acm:ListCertificates': {
        answer: (answer, sent) => {
          const input = JSON.parse(sent || '{}') as { NextToken?: string; Includes?: { keyTypes?: string[] } };
          const all = (JSON.parse(answer.body) as { CertificateSummaryList: { CertificateArn: string }[] }).CertificateSummaryList;
          const wanted = all.filter((c) => c.CertificateArn !== ecArn || (input.Includes?.keyTypes ?? ['RSA_2048']).includes('EC_prime256v1'));
          const at = Number(input.NextToken ?? 0);
          const next = at + 1 < wanted.length ? { NextToken: String(at + 1) } : {};
          return jsonAnswer(200, { CertificateSummaryList: wanted.slice(at, at + 1), ...next });
        },
      },
    });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('follows NextToken and asks for every key type: the EC certificate on the last page is the one that passes', async () => {
    await request('us-east-1', 'example.com');
    await request('us-east-1', 'other.example.net');
    ecArn = (await request('us-east-1', 'example.com', ['*.example.com'])).CertificateArn!;
    const run = await collectAws(proxy, [acmCertificates], { domain: { name: 'example.com', hosts: { app: 'app.example.com' } } });
    const fact = run.outcomes.get(acmCertificates.id);
    expect(fact?.ok && (fact.value as unknown[]).length).toBe(3);
    expect(run.results(acmDomainCertificate)).toEqual([['example.com', 'pass', 'issued']]);
  });
});
