import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import accountPublicAccessBlock from '../../../checks/aws/aws.s3.account-public-access-block.js';
import { awsIdentity, s3AccountPublicAccessBlock } from '../../../src/facts/aws.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import type { Answer } from '../../support/fault-proxy.js';
import { startRewritingProxy } from '../../support/rewriting-proxy.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

// The real collector, signing its own S3 Control request, against moto_server (account 123456789012), which serves
// S3 Control at the endpoint's root when the account travels in `x-amz-account-id`. Answers moto cannot give (a
// denial, a malformed body) come from the rewriting proxy in moto's place.

const env = motoForFile();
const FACTS = [awsIdentity, s3AccountPublicAccessBlock];
const FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
const XMLNS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

const configuration = (flags: Partial<Record<(typeof FLAGS)[number], boolean>>) =>
  `<PublicAccessBlockConfiguration xmlns="${XMLNS}">${Object.entries(flags).map(([name, on]) => `<${name}>${on}</${name}>`).join('')}</PublicAccessBlockConfiguration>`;

/** S3 Control PutPublicAccessBlock, signed by hand (no S3 Control client among the dependencies). */
async function putAccountBlock(flags: Record<(typeof FLAGS)[number], boolean>): Promise<void> {
  const url = new URL('/v20180820/configuration/publicAccessBlock', env.moto.endpoint);
  const body = configuration(flags);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, sha256: Sha256 });
  const request = await signer.sign({ method: 'PUT', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'x-amz-account-id': '123456789012' }, body });
  expect((await fetch(url, { method: 'PUT', headers: request.headers, body })).status).toBe(200);
}

async function collectAnswered(answer: Answer) {
  const proxy = await startRewritingProxy(env.moto.endpoint, { 's3:GetAccountPublicAccessBlock': { reply: () => answer } });
  try {
    return await collectAws({ endpoint: proxy.endpoint }, FACTS);
  } finally {
    await proxy.close();
  }
}
const xml = (status: number, body: string): Answer => ({ status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>${body}` });

describe('aws.s3.account-public-access-block against moto', () => {
  it.each(FLAGS)('all four on but %s fails', async (off) => {
    await putAccountBlock({ ...Object.fromEntries(FLAGS.map((f) => [f, true])), [off]: false } as Record<(typeof FLAGS)[number], boolean>);
    expect((await collectAws(env.moto, FACTS)).results(accountPublicAccessBlock)).toEqual([['123456789012', 'fail', 'not-blocked']]);
  });

  it('only one of the four on fails', async () => {
    await putAccountBlock({ BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false });
    expect((await collectAws(env.moto, FACTS)).results(accountPublicAccessBlock)).toEqual([['123456789012', 'fail', 'not-blocked']]);
  });

  it('no configuration (NoSuchPublicAccessBlockConfiguration) fails, it is not unverified', async () => {
    expect((await collectAws(env.moto, FACTS)).results(accountPublicAccessBlock)).toEqual([['123456789012', 'fail', 'not-set']]);
    const none = xml(404, '<Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message></Error>');
    expect((await collectAnswered(none)).results(accountPublicAccessBlock)).toEqual([['123456789012', 'fail', 'not-set']]);
  });

  it('AccessDenied is unverified, not "none"', async () => {
    const run = await collectAnswered(xml(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'));
    expect(run.results(accountPublicAccessBlock)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('an answer without the configuration object is unverified (malformed), neither all off nor all on', async () => {
    for (const body of ['<GetPublicAccessBlockOutput/>', '<PublicAccessBlock>true</PublicAccessBlock>', '']) {
      const run = await collectAnswered(xml(200, body));
      expect(run.outcomes.get(s3AccountPublicAccessBlock.id)).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
      expect(run.results(accountPublicAccessBlock)).toEqual([['project', 'unverified', 'fact-unavailable']]);
    }
  });

  it('a configuration missing some of the four flags does not pass', async () => {
    const run = await collectAnswered(xml(200, configuration({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true })));
    expect(run.results(accountPublicAccessBlock)).toEqual([['123456789012', 'fail', 'not-blocked']]);
  });

  it('all four on passes', async () => {
    await putAccountBlock({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect((await collectAws(env.moto, FACTS)).results(accountPublicAccessBlock)).toEqual([['123456789012', 'pass', 'blocked']]);
  });
});

describe('aws.s3.account-public-access-block', () => {
  const all = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  const cases: CheckCase[] = [
    { name: 'all four on passes', facts: { account: { account: '123456789012', settings: all } }, expected: [['123456789012', 'pass', 'blocked']] },
    ...Object.keys(all).map((off): CheckCase => ({ name: `${off} off fails`, facts: { account: { account: '123456789012', settings: { ...all, [off]: false } } }, expected: [['123456789012', 'fail', 'not-blocked']] })),
    { name: 'no settings fails', facts: { account: { account: '123456789012', settings: null } }, expected: [['123456789012', 'fail', 'not-set']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(accountPublicAccessBlock, c)).toEqual(c.expected));
});
