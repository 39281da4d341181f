import { defineCheck, optional, type Finding } from '../../src/model.js';
import { cognitoIdentityPools, cognitoUserPools } from '../../src/facts/aws-account.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_POOLS = noneFound('Cognito identity pool', 'cognito');

/** The user pool id of a CognitoIdentityProviders ProviderName: `cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC`. */
const userPoolIdOf = (providerName: string) => providerName.split('/').pop() ?? providerName;

export default defineCheck({
  meta: {
    id: 'aws.cognito.unauthenticated-identities',
    title: 'Identity pools admit only signed-in users',
    failureTitle: 'Identity pools hand AWS credentials to anonymous users',
    description: 'An identity pool that allows unauthenticated identities gives AWS credentials to anyone on the internet (e.g. to upload to S3); with PHI behind them that is an access-control gap. So does one that lets Google, Facebook, Amazon, Apple or Twitter accounts sign in, or a Cognito user pool anyone can sign up to: anyone can make an account. Pools trusting OIDC or SAML providers are unverified: who can sign in there is not visible.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Turn off unauthenticated identities (and remove the unauthenticated role); let uploads go through signed-in users or pre-signed URLs. A user pool the identity pool trusts must let only administrators create users (AllowAdminCreateUserOnly)',
      // UpdateIdentityPool replaces the whole configuration: the pool is read and sent back with only the switch changed, or its providers would be dropped.
      command: `pool=$(aws cognito-identity describe-identity-pool --identity-pool-id {{poolId}} --region {{region}} --output json) && aws cognito-identity update-identity-pool --region {{region}} --cli-input-json "$(printf '%s' "$pool" | jq -c '.AllowUnauthenticatedIdentities = false')" --output json > /dev/null`,
      effortMinutes: 60,
    },
    messages: {
      'authenticated-only': 'Identity pool {{name}} admits only authenticated identities',
      'unauthenticated-allowed': 'Identity pool {{name}} allows UNAUTHENTICATED identities',
      'public-providers': 'Identity pool {{name}} lets anyone with an account of {{providers}} sign in and get its authenticated role’s AWS credentials',
      'federated-providers': 'Identity pool {{name}} trusts {{federated}}: who can sign in there (and get its authenticated role’s AWS credentials) is not visible to this check',
      'open-sign-up': 'Identity pool {{name}} trusts Cognito user pool {{userPools}}, where anyone can sign up (AllowAdminCreateUserOnly is off), sign in and get its authenticated role’s AWS credentials',
      'user-pool-not-read': 'Identity pool {{name}} trusts Cognito user pool {{userPools}}, not read ({{reason}}): whether anyone can sign up there is not known',
      'sign-up-not-collected': 'Identity pool {{name}} trusts Cognito user pool {{userPools}}, whose sign-up setting was not collected (a snapshot from an older version): collect again',
      'providers-not-collected': 'Identity pool {{name}} admits only authenticated identities, but its sign-in providers were not collected (a snapshot from an older version): collect again',
      missing: 'Configured identity pool {{resource}} was not found',
      'no-identity-pools': NO_POOLS.message,
    },
  },
  facts: { pools: cognitoIdentityPools, userPools: optional(cognitoUserPools) },
  evaluate({ pools, userPools }) {
    if (pools.length === 0) return [{ resource: 'cognito', status: 'not_applicable', code: 'no-identity-pools' }];
    return pools.map((pool): Finding => {
      const named = { name: pool.name, region: pool.region };
      if (pool.missing) return { resource: pool.id, status: 'fail', code: 'missing', args: named };
      const evidence = { AllowUnauthenticatedIdentities: pool.allowUnauthenticated, region: pool.region };
      // Only this finding carries poolId: the update-identity-pool fix turns guests off, it does not remove providers.
      if (pool.allowUnauthenticated) return { resource: pool.id, status: 'fail', code: 'unauthenticated-allowed', args: { ...named, poolId: shellQuote(pool.id) }, evidence };
      // Without guests, a pool is only as closed as its sign-in: Google, Facebook and the like take anyone's account.
      const { loginProviders, openIdConnectProviders, samlProviders, cognitoProviders } = pool;
      if (loginProviders === undefined || openIdConnectProviders === undefined || samlProviders === undefined) {
        return { resource: pool.id, status: 'unverified', code: 'providers-not-collected', args: named, evidence };
      }
      const withProviders = { ...evidence, SupportedLoginProviders: loginProviders, OpenIdConnectProviderARNs: openIdConnectProviders, SamlProviderARNs: samlProviders };
      // SupportedLoginProviders only takes the public social providers (accounts.google.com, graph.facebook.com, www.amazon.com, appleid.apple.com, api.twitter.com).
      if (loginProviders.length > 0) return { resource: pool.id, status: 'fail', code: 'public-providers', args: { ...named, providers: loginProviders.join(', ') }, evidence: withProviders };
      if (cognitoProviders === undefined) return { resource: pool.id, status: 'unverified', code: 'providers-not-collected', args: named, evidence: withProviders };
      // So does a user pool that lets anyone sign up (and then sign in): its users get the authenticated role too.
      const trusted = cognitoProviders.map(({ providerName }) => {
        const id = userPoolIdOf(providerName);
        return { id, userPool: userPools.ok ? userPools.value.find((p) => p.id === id && !p.missing) : undefined };
      });
      const listed = (entries: typeof trusted) => entries.map(({ id, userPool }) => (userPool ? `${userPool.name} (${id})` : id)).join(', ');
      const withUserPools = { ...withProviders, CognitoIdentityProviders: cognitoProviders.map((p) => p.providerName), selfSignUp: trusted.map(({ id, userPool }) => `${id}: ${userPool?.selfSignUp ?? 'unknown'}`) };
      const open = trusted.filter(({ userPool }) => userPool?.selfSignUp === true);
      if (open.length > 0) return { resource: pool.id, status: 'fail', code: 'open-sign-up', args: { ...named, userPools: listed(open) }, evidence: withUserPools };
      const unread = trusted.filter(({ userPool }) => !userPool);
      if (unread.length > 0) {
        const reason = !userPools.ok
          ? `the user pools could not be read: ${userPools.failure.message}`
          : 'not among the user pools read: another account or region, not in aws.cognito.userPools, or not found';
        return { resource: pool.id, status: 'unverified', code: 'user-pool-not-read', args: { ...named, userPools: listed(unread), reason }, evidence: withUserPools };
      }
      const uncollected = trusted.filter(({ userPool }) => userPool?.selfSignUp === undefined);
      if (uncollected.length > 0) return { resource: pool.id, status: 'unverified', code: 'sign-up-not-collected', args: { ...named, userPools: listed(uncollected) }, evidence: withUserPools };
      if (openIdConnectProviders > 0 || samlProviders > 0) {
        const federated = [openIdConnectProviders && `${openIdConnectProviders} OIDC provider(s)`, samlProviders && `${samlProviders} SAML provider(s)`].filter(Boolean).join(' and ');
        return { resource: pool.id, status: 'unverified', code: 'federated-providers', args: { ...named, federated }, evidence: withUserPools };
      }
      return { resource: pool.id, status: 'pass', code: 'authenticated-only', args: named, evidence: withUserPools };
    });
  },
});
