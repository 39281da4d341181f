import { IAMClient, UpdateAccountPasswordPolicyCommand, type UpdateAccountPasswordPolicyCommandInput } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import passwordPolicy from '../../../checks/aws/aws.iam.password-policy.js';
import { awsIdentity } from '../../../src/facts/aws.js';
import { iamPasswordPolicy } from '../../../src/facts/aws-identity.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import type { Answer } from '../../support/fault-proxy.js';
import { startRewritingProxy } from '../../support/rewriting-proxy.js';

// The real collector against moto_server (account 123456789012). Answers moto cannot give (a denial, an answer
// without its PasswordPolicy) come from the rewriting proxy, in IAM's query-protocol XML.

const env = motoForFile();
const FACTS = [iamPasswordPolicy, awsIdentity];
const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STRONG: UpdateAccountPasswordPolicyCommandInput = {
  MinimumPasswordLength: 14, RequireNumbers: true, RequireSymbols: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, PasswordReusePrevention: 24,
};

const xml = (status: number, body: string): Answer => ({ status, headers: { 'content-type': 'text/xml' }, body: body && `<?xml version="1.0" encoding="UTF-8"?>${body}` });
const result = (inner: string) =>
  `<GetAccountPasswordPolicyResponse xmlns="${XMLNS}">${inner}<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetAccountPasswordPolicyResponse>`;
const error = (code: string, message: string) => `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;

async function collectAnswered(answer: Answer) {
  const proxy = await startRewritingProxy(env.moto.endpoint, { 'iam:GetAccountPasswordPolicy': { reply: () => answer } });
  try {
    return await collectAws({ endpoint: proxy.endpoint }, FACTS);
  } finally {
    await proxy.close();
  }
}

describe('aws.iam.password-policy against moto', () => {
  it('no policy (NoSuchEntity) fails: AWS defaults apply', async () => {
    expect((await collectAws(env.moto, FACTS)).results(passwordPolicy)).toEqual([['123456789012', 'fail', 'no-policy']]);
    const none = xml(404, error('NoSuchEntity', 'The Password Policy with domain name 123456789012 cannot be found.'));
    expect((await collectAnswered(none)).results(passwordPolicy)).toEqual([['123456789012', 'fail', 'no-policy']]);
  });

  it('AccessDenied is unverified, not "no policy"', async () => {
    const run = await collectAnswered(xml(403, error('AccessDenied', 'User is not authorized to perform: iam:GetAccountPasswordPolicy')));
    expect(run.outcomes.get(iamPasswordPolicy.id)).toMatchObject({ ok: false, failure: { kind: 'AccessDenied' } });
    expect(run.results(passwordPolicy)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('an answer without its PasswordPolicy is unverified (malformed), not "no policy"', async () => {
    for (const body of [result('<GetAccountPasswordPolicyResult/>'), result(''), '']) {
      const run = await collectAnswered(xml(200, body));
      expect(run.outcomes.get(iamPasswordPolicy.id)).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
      expect(run.results(passwordPolicy)).toEqual([['project', 'unverified', 'fact-unavailable']]);
    }
  });

  it('a policy object missing its members never passes', async () => {
    const run = await collectAnswered(xml(200, result('<GetAccountPasswordPolicyResult><PasswordPolicy><RequireSymbols>true</RequireSymbols></PasswordPolicy></GetAccountPasswordPolicyResult>')));
    expect(run.results(passwordPolicy)).toEqual([['123456789012', 'fail', 'weak']]);
  });

  it.each([
    ['length 13', { MinimumPasswordLength: 13 }],
    ['no symbols', { RequireSymbols: false }],
    ['no numbers', { RequireNumbers: false }],
    ['no upper case', { RequireUppercaseCharacters: false }],
    ['no lower case', { RequireLowercaseCharacters: false }],
    ['no reuse prevention', { PasswordReusePrevention: undefined }],
  ] as const)('a policy strong but for %s fails', async (_, change) => {
    await env.client(IAMClient).send(new UpdateAccountPasswordPolicyCommand({ ...STRONG, ...change }));
    expect((await collectAws(env.moto, FACTS)).results(passwordPolicy)).toEqual([['123456789012', 'fail', 'weak']]);
  });

  // The floor is strength and reuse (the description). Expiry is not part of it (NIST SP 800-63B advises against
  // forced rotation), and AllowUsersToChangePassword false does not stop users granted iam:ChangePassword.
  it('a strong policy without expiry or self-service change passes', async () => {
    await env.client(IAMClient).send(new UpdateAccountPasswordPolicyCommand({ ...STRONG, AllowUsersToChangePassword: false }));
    expect((await collectAws(env.moto, FACTS)).results(passwordPolicy)).toEqual([['123456789012', 'pass', 'strong']]);
  });
});
