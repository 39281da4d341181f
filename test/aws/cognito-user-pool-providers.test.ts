import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CognitoIdentityClient, CreateIdentityPoolCommand, DescribeIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cognitoUnauthenticated from '../../checks/aws/aws.cognito.unauthenticated-identities.js';
import { factOf, type FactRef } from '../../src/model.js';
import { cognitoIdentityPools, cognitoUserPools } from '../../src/facts/aws-account.js';
import { collectAws, motoForFile, sentActions, type AwsRun } from '../support/aws-collect.js';
import { renderedCommands } from '../support/check-tester.js';
import { unsafeActions } from '../support/iam-actions.js';
import { motoEnv } from '../support/moto.js';
import { startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy.js';

const aws = motoForFile();
const FACTS = [cognitoIdentityPools, cognitoUserPools];

/**
 * UpdateIdentityPool replaces the pool's whole configuration on AWS: a provider list left out of the request is
 * emptied. moto 5.2 keeps what the request leaves out, so a fix that drops the providers would look harmless on it.
 * This proxy in front of moto plays AWS's part: it sends moto the empty lists a request without them means.
 */
let proxy: RewritingProxy;
beforeAll(async () => {
  proxy = await startRewritingProxy(aws.moto.endpoint, {
    'cognito-identity:UpdateIdentityPool': {
      request: (body) => JSON.stringify({ SupportedLoginProviders: {}, CognitoIdentityProviders: [], OpenIdConnectProviderARNs: [], SamlProviderARNs: [], ...(JSON.parse(body) as object) }),
    },
  });
});
afterAll(async () => {
  await proxy?.close();
});

/** A user pool with an app client, and its provider entry for an identity pool. */
async function userPool(name: string, adminCreateUserOnly?: boolean) {
  const idp = aws.client(CognitoIdentityProviderClient);
  const created = await idp.send(new CreateUserPoolCommand({ PoolName: name, ...(adminCreateUserOnly === undefined ? {} : { AdminCreateUserConfig: { AllowAdminCreateUserOnly: adminCreateUserOnly } }) }));
  const id = created.UserPool!.Id!;
  const client = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'web' }));
  return { id, provider: { ProviderName: `cognito-idp.us-east-1.amazonaws.com/${id}`, ClientId: client.UserPoolClient!.ClientId!, ServerSideTokenCheck: false } };
}

function factsOf(run: AwsRun): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cognitoUnauthenticated.facts as Record<string, FactRef>).map(([name, ref]) => [name, (run.outcomes.get(factOf(ref).id) as { value: unknown }).value]));
}

describe('aws.cognito.unauthenticated-identities against moto: user pools that let anyone sign up', () => {
  it('an identity pool whose only provider is a user pool open to sign-up fails; one where only admins create users passes', async () => {
    const open = await userPool('patients'); // AllowAdminCreateUserOnly false: the API's default
    const closed = await userPool('staff', true);
    const identity = aws.client(CognitoIdentityClient);
    const create = (name: string, provider: typeof open.provider) => identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [provider] }));
    const openPool = await create('patient-uploads', open.provider);
    const closedPool = await create('staff-uploads', closed.provider);
    const run = await collectAws(aws.moto, FACTS);
    expect(run.results(cognitoUnauthenticated).sort()).toEqual(
      [
        [openPool.IdentityPoolId!, 'fail', 'open-sign-up'],
        [closedPool.IdentityPoolId!, 'pass', 'authenticated-only'],
      ].sort(),
    );
    expect(run.outcomes.get(cognitoUserPools.id)).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: open.id, selfSignUp: true }), expect.objectContaining({ id: closed.id, selfSignUp: false })]) });
    expect(run.outcomes.get(cognitoIdentityPools.id)).toMatchObject({
      ok: true,
      value: expect.arrayContaining([expect.objectContaining({ id: openPool.IdentityPoolId, cognitoProviders: [{ providerName: open.provider.ProviderName, clientId: open.provider.ClientId }] })]),
    });
  });

  it('a user pool that was not read (another account or region) is unverified', async () => {
    const pool = await aws.client(CognitoIdentityClient).send(
      new CreateIdentityPoolCommand({ IdentityPoolName: 'partner', AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [{ ProviderName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Partner', ClientId: 'client' }] }),
    );
    expect((await collectAws(aws.moto, FACTS)).results(cognitoUnauthenticated)).toEqual([[pool.IdentityPoolId!, 'unverified', 'user-pool-not-read']]);
  });

  it('every command the collectors sent is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});

describe('aws.cognito.unauthenticated-identities against moto: the printed fix, run with the AWS CLI', () => {
  it('turns guests off and keeps the pool’s sign-in providers (UpdateIdentityPool replaces the whole configuration)', async () => {
    const staff = await userPool('staff', true);
    const identity = new CognitoIdentityClient({ region: 'us-east-1', endpoint: proxy.endpoint });
    const pool = await identity.send(
      new CreateIdentityPoolCommand({ IdentityPoolName: 'uploads', AllowUnauthenticatedIdentities: true, CognitoIdentityProviders: [staff.provider], IdentityPoolTags: { team: 'ehr' } }),
    );
    const before = await collectAws(proxy, FACTS);
    expect(before.results(cognitoUnauthenticated)).toEqual([[pool.IdentityPoolId!, 'fail', 'unauthenticated-allowed']]);
    const [fix] = renderedCommands(cognitoUnauthenticated, factsOf(before));
    await promisify(execFile)('sh', ['-c', fix!], { env: { ...process.env, ...motoEnv(aws.moto), AWS_ENDPOINT_URL: proxy.endpoint } });
    const after = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: pool.IdentityPoolId }));
    expect(after).toMatchObject({ IdentityPoolName: 'uploads', AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [staff.provider], IdentityPoolTags: { team: 'ehr' } });
    expect((await collectAws(proxy, FACTS)).results(cognitoUnauthenticated)).toEqual([[pool.IdentityPoolId!, 'pass', 'authenticated-only']]);
    identity.destroy();
  });
});
