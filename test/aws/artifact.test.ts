import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import getPort from 'get-port';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import baa from '../../checks/aws/aws.baa.js';
import { attestations } from '../../src/facts/config.js';
import { artifactAgreements } from '../../src/facts/aws-account.js';
import { collectAws } from '../support/aws-collect.js';
import { renderedMessages } from '../support/check-tester.js';

// moto does not implement AWS Artifact: a local server answers the documented REST shape of
// ListCustomerAgreements (GET /v1/customer-agreement/list) and verifies each request's SigV4 signature.
const CREDENTIALS = { accessKeyId: 'AKIDARTIFACTTEST', secretAccessKey: 'artifact-test-secret' };

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
let answers: Answer[] = [];
let requests: { url: URL; authorization: string; signatureValid: boolean }[] = [];
let server: Server;
let endpoint: string;

async function verifySignature(request: IncomingMessage, url: URL): Promise<boolean> {
  const authorization = String(request.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? '')]));
  const signer = new SignatureV4({ service: 'artifact', region: 'us-east-1', credentials: CREDENTIALS, sha256: Sha256 });
  const expected = await signer.sign(
    { method: request.method ?? 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers },
    { signingDate },
  );
  return expected.headers.authorization === authorization;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    void verifySignature(request, url).then((signatureValid) => {
      requests.push({ url, authorization: String(request.headers.authorization ?? ''), signatureValid });
      const answer = answers.shift() ?? { status: 500, body: { message: 'no answer queued' } };
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  answers = [];
  requests = [];
});

const agreement = (over: Record<string, unknown> = {}) => ({
  name: 'AWS Business Associate Addendum', arn: 'arn:aws:artifact::123456789012:customer-agreement/customer-agreement-abc', id: 'customer-agreement-abc',
  agreementArn: 'arn:aws:artifact:::agreement/agreement-baa', awsAccountId: '123456789012', effectiveStart: 1759276800, state: 'ACTIVE', type: 'DEFAULT',
  acceptanceTerms: ['terms acknowledged when the agreement was accepted'], ...over,
});
// The evidence is a local file: a URL would be fetched.
const evidenceDir = mkdtempSync(join(tmpdir(), 'readiness-artifact-'));
writeFileSync(join(evidenceDir, 'baa.pdf'), '%PDF-1.7 AWS Business Associate Addendum');
afterAll(() => rmSync(evidenceDir, { recursive: true, force: true }));
const attested = { attestations: { 'aws-baa': { signed: '2025-10-01', by: 'Jane Doe', evidence: join(evidenceDir, 'baa.pdf') } } };

describe('aws.baa with AWS Artifact (ListCustomerAgreements over SigV4)', () => {
  it('passes on an ACTIVE BAA found on the second page; every request is signed for artifact', async () => {
    answers = [
      { status: 200, body: { customerAgreements: [agreement({ name: 'AWS Australian Notifiable Data Breach Addendum', id: 'other' })], nextToken: 'page+2/x=' } },
      { status: 200, body: { customerAgreements: [agreement()] } },
    ];
    const run = await collectAws({ endpoint }, [artifactAgreements, attestations]);
    expect(run.results(baa)).toEqual([['aws-baa', 'pass', 'artifact-active']]);
    expect(requests).toHaveLength(2);
    for (const r of requests) {
      expect(r.url.pathname).toBe('/v1/customer-agreement/list');
      expect(r.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDARTIFACTTEST\/\d{8}\/us-east-1\/artifact\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
      expect(r.signatureValid).toBe(true);
    }
    expect(requests[1]!.url.searchParams.get('nextToken')).toBe('page+2/x=');
    const value = (run.outcomes.get(artifactAgreements.id) as { ok: true; value: { effectiveStart: string }[] }).value;
    expect(value[1]!.effectiveStart).toBe('2025-10-01T00:00:00.000Z');
  });

  it('fails when Artifact answers no BAA and nothing is attested (the seed)', async () => {
    answers = [{ status: 200, body: { customerAgreements: [] } }];
    const run = await collectAws({ endpoint }, [artifactAgreements, attestations]);
    expect(run.results(baa)).toEqual([['aws-baa', 'fail', 'artifact-no-baa']]);
  });

  it('a BAA the customer or AWS terminated fails even with an attestation, naming the state and the agreement', async () => {
    for (const state of ['CUSTOMER_TERMINATED', 'AWS_TERMINATED']) {
      answers = [{ status: 200, body: { customerAgreements: [agreement({ state, effectiveEnd: 1760000000 })] } }];
      const run = await collectAws({ endpoint }, [artifactAgreements, attestations], attested);
      expect(run.results(baa)).toEqual([['aws-baa', 'fail', 'baa-terminated']]);
      const value = (fact: { id: string }) => (run.outcomes.get(fact.id) as { value: unknown }).value;
      const [message] = renderedMessages(baa, { attestations: value(attestations), agreements: value(artifactAgreements) });
      expect(message).toContain(state);
      expect(message).toContain('AWS Business Associate Addendum (customer-agreement-abc)');
    }
  });

  it('no BAA in Artifact while an attestation says one was signed: unverified, never pass', async () => {
    answers = [{ status: 200, body: { customerAgreements: [] } }];
    let run = await collectAws({ endpoint }, [artifactAgreements, attestations], attested);
    expect(run.results(baa)).toEqual([['aws-baa', 'unverified', 'artifact-contradicts-attestation']]);

    answers = [{ status: 200, body: { customerAgreements: [agreement({ name: 'AWS Australian Notifiable Data Breach Addendum', id: 'other' })] } }];
    run = await collectAws({ endpoint }, [artifactAgreements, attestations], attested);
    expect(run.results(baa)).toEqual([['aws-baa', 'unverified', 'artifact-contradicts-attestation']]);
  });

  it('403: AccessDenied naming the permission; unverified without an attestation, the attestation decides with one', async () => {
    const denied = { status: 403, body: { message: 'User is not authorized' }, headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal' } };
    answers = [denied];
    const run = await collectAws({ endpoint }, [artifactAgreements, attestations]);
    expect(run.outcomes.get(artifactAgreements.id)).toMatchObject({ ok: false, failure: { kind: 'AccessDenied', fix: expect.stringContaining('artifact:ListCustomerAgreements') } });
    expect(run.results(baa)).toEqual([['aws-baa', 'unverified', 'artifact-unreadable']]);

    answers = [denied];
    const withAttestation = await collectAws({ endpoint }, [artifactAgreements, attestations], attested);
    expect(withAttestation.results(baa)).toEqual([['aws-baa', 'pass', 'attested']]);
  });

  it('429 is Throttled and an off-shape answer is MalformedResponse: both unverified, never pass', async () => {
    answers = [{ status: 429, body: { message: 'Rate exceeded' }, headers: { 'x-amzn-errortype': 'ThrottlingException' } }];
    let run = await collectAws({ endpoint }, [artifactAgreements, attestations]);
    expect(run.outcomes.get(artifactAgreements.id)).toMatchObject({ ok: false, failure: { kind: 'Throttled' } });
    expect(run.results(baa)).toEqual([['aws-baa', 'unverified', 'artifact-unreadable']]);

    answers = [{ status: 200, body: '<html>captive portal</html>' }];
    run = await collectAws({ endpoint }, [artifactAgreements, attestations]);
    expect(run.outcomes.get(artifactAgreements.id)).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
    expect(run.results(baa)).toEqual([['aws-baa', 'unverified', 'artifact-unreadable']]);
  });

  it('an endpoint nobody listens on is Unreachable', async () => {
    const closedPort = await getPort({ host: '127.0.0.1' });
    const run = await collectAws({ endpoint: `http://127.0.0.1:${closedPort}` }, [artifactAgreements, attestations]);
    expect(run.outcomes.get(artifactAgreements.id)).toMatchObject({ ok: false, failure: { kind: 'Unreachable' } });
    expect(run.results(baa)).toEqual([['aws-baa', 'unverified', 'artifact-unreadable']]);
  });
});
