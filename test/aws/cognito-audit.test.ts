import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, CreateIdentityProviderCommand, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import cognitoMfa from '../../checks/aws/aws.cognito.mfa.js';
import cognitoUnauthenticated from '../../checks/aws/aws.cognito.unauthenticated-identities.js';
import { cognitoIdentityPools, cognitoUserPools } from '../../src/facts/aws-account.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { jsonAnswer, startRewritingProxy, type Rewrite } from '../support/rewriting-proxy.js';

const aws = motoForFile();

async function staffPool(name: string, mfa: 'ON' | 'OPTIONAL' | 'OFF' = 'ON') {
  const idp = aws.client(CognitoIdentityProviderClient);
  const id = (await idp.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
  await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, SoftwareTokenMfaConfiguration: { Enabled: true }, MfaConfiguration: mfa }));
  return id;
}

/** Collects behind a rewriting proxy in front of moto (for answers moto cannot give), then closes it. */
async function throughProxy(rewrites: Record<string, Rewrite>, facts = [cognitoUserPools, cognitoIdentityPools]) {
  const proxy = await startRewritingProxy(aws.moto.endpoint, rewrites);
  try {
    return await collectAws(proxy, facts);
  } finally {
    await proxy.close();
  }
}

const denied = (action: string): Rewrite => ({ reply: () => jsonAnswer(400, { __type: 'AccessDeniedException', message: `User is not authorized to perform: ${action}` }) });

describe('aws.cognito.mfa against moto: who the pool’s MFA reaches', () => {
  it('MFA ON with a SAML or Google identity provider is unverified: Cognito leaves federated users’ authentication to the provider', async () => {
    const federated = await staffPool('staff-sso');
    const idp = aws.client(CognitoIdentityProviderClient);
    await idp.send(new CreateIdentityProviderCommand({ UserPoolId: federated, ProviderName: 'Okta', ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://example.okta.com/app/metadata' } }));
    const social = await staffPool('staff-google');
    await idp.send(new CreateIdentityProviderCommand({ UserPoolId: social, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'x', client_secret: 'y', authorize_scopes: 'openid' } }));
    const local = await staffPool('staff-local');
    const run = await collectAws(aws.moto, [cognitoUserPools]);
    expect(run.results(cognitoMfa).sort()).toEqual(
      [
        [federated, 'unverified', 'federated-sign-in'],
        [social, 'unverified', 'federated-sign-in'],
        [local, 'pass', 'required'],
      ].sort(),
    );
  });

  it('reads user pools past the first page of ListUserPools (moto does not paginate: the proxy splits its answer as AWS does)', async () => {
    const ids = [await staffPool('pool-a'), await staffPool('pool-b'), await staffPool('pool-c', 'OFF')];
    const run = await throughProxy(
      {
        'cognito-idp:ListUserPools': {
          // moto is asked for every pool at once (it refuses a token it did not make); the client gets them one a page.
          request: (body) => JSON.stringify({ ...(JSON.parse(body) as object), NextToken: undefined }),
          answer: (answer, request) => {
            const all = (JSON.parse(answer.body) as { UserPools: { Id: string }[] }).UserPools;
            const page = Number((JSON.parse(request) as { NextToken?: string }).NextToken ?? 0);
            const rest = all.slice(page + 1);
            return jsonAnswer(200, { UserPools: all.slice(page, page + 1), ...(rest.length ? { NextToken: String(page + 1) } : {}) });
          },
        },
      },
      [cognitoUserPools],
    );
    expect(run.results(cognitoMfa).sort()).toEqual([[ids[0], 'pass', 'required'], [ids[1], 'pass', 'required'], [ids[2], 'fail', 'off']].sort());
  });

  it('a user pool whose description or identity providers are denied leaves the check unverified, never pass', async () => {
    await staffPool('staff');
    for (const action of ['cognito-idp:DescribeUserPool', 'cognito-idp:ListIdentityProviders']) {
      const run = await throughProxy({ [action]: denied(action) }, [cognitoUserPools]);
      expect(run.outcomes.get(cognitoUserPools.id), action).toMatchObject({ ok: false });
      expect(run.results(cognitoMfa).map(([, status]) => status), action).toEqual(['unverified']);
    }
  });
});

describe('aws.cognito.unauthenticated-identities against moto: every identity pool is read', () => {
  it('an identity pool on the second page of ListIdentityPools is read (moto does not paginate: the proxy splits its answer as AWS does)', async () => {
    const identity = aws.client(CognitoIdentityClient);
    const first = await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'staff', AllowUnauthenticatedIdentities: false }));
    const second = await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'uploads', AllowUnauthenticatedIdentities: true }));
    const run = await throughProxy({
      'cognito-identity:ListIdentityPools': {
        answer: (answer, request) => {
          const all = (JSON.parse(answer.body) as { IdentityPools: { IdentityPoolId: string }[] }).IdentityPools;
          const onSecond = (JSON.parse(request) as { NextToken?: string }).NextToken === 'page-2';
          return jsonAnswer(200, onSecond ? { IdentityPools: all.slice(1) } : { IdentityPools: all.slice(0, 1), NextToken: 'page-2' });
        },
      },
    });
    expect(run.results(cognitoUnauthenticated).sort()).toEqual(
      [
        [first.IdentityPoolId!, 'pass', 'authenticated-only'],
        [second.IdentityPoolId!, 'fail', 'unauthenticated-allowed'],
      ].sort(),
    );
  });

  it('an identity pool whose description is denied leaves the check unverified, never pass', async () => {
    await aws.client(CognitoIdentityClient).send(new CreateIdentityPoolCommand({ IdentityPoolName: 'staff', AllowUnauthenticatedIdentities: false }));
    const run = await throughProxy({ 'cognito-identity:DescribeIdentityPool': denied('cognito-identity:DescribeIdentityPool') });
    expect(run.outcomes.get(cognitoIdentityPools.id)).toMatchObject({ ok: false, failure: { kind: 'AccessDenied' } });
    expect(run.results(cognitoUnauthenticated).map(([, status]) => status)).toEqual(['unverified']);
  });
});
