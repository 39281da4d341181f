import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import cognitoUnauthenticated from '../../checks/aws/aws.cognito.unauthenticated-identities.js';
import { cognitoIdentityPools, cognitoUserPools } from '../../src/facts/aws-account.js';
import { collectAws, motoForFile, sentActions } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';

const aws = motoForFile();

describe('aws.cognito.unauthenticated-identities against moto: sign-in providers', () => {
  it('a pool without guests but with Google or Facebook sign-in fails; OIDC or SAML is unverified; a Cognito user pool only admins add users to passes', async () => {
    const identity = aws.client(CognitoIdentityClient);
    const create = (name: string, more: Record<string, unknown> = {}) => identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: false, ...more }));
    const social = await create('social', { SupportedLoginProviders: { 'accounts.google.com': '123.apps.googleusercontent.com', 'graph.facebook.com': '7346241598935552' } });
    const oidc = await create('oidc', { OpenIdConnectProviderARNs: ['arn:aws:iam::123456789012:oidc-provider/login.example.com'] });
    const saml = await create('saml', { SamlProviderARNs: ['arn:aws:iam::123456789012:saml-provider/okta'] });
    const staffUsers = (await aws.client(CognitoIdentityProviderClient).send(new CreateUserPoolCommand({ PoolName: 'staff', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } }))).UserPool!.Id!;
    const staff = await create('staff', { CognitoIdentityProviders: [{ ProviderName: `cognito-idp.us-east-1.amazonaws.com/${staffUsers}`, ClientId: 'client' }] });
    const run = await collectAws(aws.moto, [cognitoIdentityPools, cognitoUserPools]);
    expect(run.outcomes.get(cognitoIdentityPools.id)).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: social.IdentityPoolId, loginProviders: ['accounts.google.com', 'graph.facebook.com'], openIdConnectProviders: 0, samlProviders: 0 })]) });
    expect(run.results(cognitoUnauthenticated).sort()).toEqual(
      [
        [social.IdentityPoolId!, 'fail', 'public-providers'],
        [oidc.IdentityPoolId!, 'unverified', 'federated-providers'],
        [saml.IdentityPoolId!, 'unverified', 'federated-providers'],
        [staff.IdentityPoolId!, 'pass', 'authenticated-only'],
      ].sort(),
    );
  });

  it('every command the collector sent is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
