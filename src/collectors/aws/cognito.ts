import { cognitoIdentityPools, cognitoUserPools } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';
import { pages } from './pages.js';

type UserPool = FactValue<typeof cognitoUserPools>[number];
type IdentityPool = FactValue<typeof cognitoIdentityPools>[number];

/** A pool id carries its region: `us-east-1_AbC` (user pool), `us-east-1:uuid` (identity pool). */
const regionOf = (id: string, fallback: string) => /^([a-z]{2}(-[a-z]+)+-\d)[_:]/.exec(id)?.[1] ?? fallback;

export const cognitoUserPoolsCollector = defineCollector(cognitoUserPools, async (context) => {
  requireAws(context);
  const { paginateListUserPools, paginateListIdentityProviders, DescribeUserPoolCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const wanted = context.config.aws?.cognito?.userPools;
  const ids: string[] = [];
  if (wanted) ids.push(...wanted);
  else {
    for (const region of context.aws.regions) {
      const client = await context.aws.client('cognitoIdentityProvider', region);
      try {
        for await (const page of pages(paginateListUserPools, { client }, { MaxResults: 60 }, context.signal)) ids.push(...requireList(page, 'UserPools', 'cognito-idp:ListUserPools').map((p) => p.Id ?? '').filter(Boolean));
      } catch (error) {
        throw awsFactError(error, 'cognito-idp:ListUserPools');
      }
    }
  }
  const pools: UserPool[] = [];
  for (const id of ids) {
    const region = regionOf(id, context.aws.defaultRegion);
    const client = await context.aws.client('cognitoIdentityProvider', region);
    let described: UserPool;
    try {
      const pool = requireField(await client.send(new DescribeUserPoolCommand({ UserPoolId: id }), { abortSignal: context.signal }), 'UserPool', 'cognito-idp:DescribeUserPool');
      const mfa = pool?.MfaConfiguration;
      // AllowAdminCreateUserOnly defaults to false: without it, anyone can sign up.
      const selfSignUp = pool?.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;
      described = { id, name: pool?.Name ?? id, arn: pool?.Arn ?? null, region, mfa: mfa === 'ON' || mfa === 'OFF' || mfa === 'OPTIONAL' ? mfa : 'unknown', missing: false, selfSignUp };
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw awsFactError(error, 'cognito-idp:DescribeUserPool');
      pools.push({ id, name: id, arn: null, region, mfa: 'unknown', missing: true });
      continue;
    }
    // Users who sign in through these are authenticated by the provider: the pool's MFA does not reach them.
    const identityProviders: { name: string; type: string }[] = [];
    try {
      for await (const page of pages(paginateListIdentityProviders, { client }, { UserPoolId: id, MaxResults: 60 }, context.signal)) {
        identityProviders.push(...requireList(page, 'Providers', 'cognito-idp:ListIdentityProviders').map((p) => ({ name: p.ProviderName ?? '', type: p.ProviderType ?? 'unknown' })));
      }
    } catch (error) {
      throw awsFactError(error, 'cognito-idp:ListIdentityProviders');
    }
    pools.push({ ...described, identityProviders });
  }
  return pools;
});

export const cognitoIdentityPoolsCollector = defineCollector(cognitoIdentityPools, async (context) => {
  requireAws(context);
  const { paginateListIdentityPools, DescribeIdentityPoolCommand } = await import('@aws-sdk/client-cognito-identity');
  const wanted = context.config.aws?.cognito?.identityPools;
  const ids: string[] = [];
  if (wanted) ids.push(...wanted);
  else {
    for (const region of context.aws.regions) {
      const client = await context.aws.client('cognitoIdentity', region);
      try {
        for await (const page of pages(paginateListIdentityPools, { client }, { MaxResults: 60 }, context.signal)) ids.push(...requireList(page, 'IdentityPools', 'cognito-identity:ListIdentityPools').map((p) => p.IdentityPoolId ?? '').filter(Boolean));
      } catch (error) {
        throw awsFactError(error, 'cognito-identity:ListIdentityPools');
      }
    }
  }
  const pools: IdentityPool[] = [];
  for (const id of ids) {
    const region = regionOf(id, context.aws.defaultRegion);
    const client = await context.aws.client('cognitoIdentity', region);
    try {
      const pool = await client.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }), { abortSignal: context.signal });
      requireField(pool, 'IdentityPoolId', 'cognito-identity:DescribeIdentityPool');
      pools.push({
        id,
        name: pool.IdentityPoolName ?? id,
        region,
        allowUnauthenticated: pool.AllowUnauthenticatedIdentities !== false,
        missing: false,
        loginProviders: Object.keys(pool.SupportedLoginProviders ?? {}),
        openIdConnectProviders: pool.OpenIdConnectProviderARNs?.length ?? 0,
        samlProviders: pool.SamlProviderARNs?.length ?? 0,
        cognitoProviders: (pool.CognitoIdentityProviders ?? []).map((p) => ({ providerName: p.ProviderName ?? '', clientId: p.ClientId ?? null })),
      });
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') pools.push({ id, name: id, region, allowUnauthenticated: false, missing: true, loginProviders: [], openIdConnectProviders: 0, samlProviders: 0, cognitoProviders: [] });
      else throw awsFactError(error, 'cognito-identity:DescribeIdentityPool');
    }
  }
  return pools;
});
