import { defineCheck, type Finding } from '../../src/model.js';
import { cognitoIdentityPools } from '../../src/facts/aws-account.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_POOLS = noneFound('Cognito identity pool', 'cognito');

export default defineCheck({
  meta: {
    id: 'aws.cognito.unauthenticated-identities',
    title: 'Identity pools admit only signed-in users',
    failureTitle: 'Identity pools hand AWS credentials to anonymous users',
    description: 'An identity pool that allows unauthenticated identities gives AWS credentials to anyone on the internet (e.g. to upload to S3); with PHI behind them that is an access-control gap. So does one that lets Google, Facebook, Amazon, Apple or Twitter accounts sign in: anyone can make one. Pools trusting OIDC or SAML providers are unverified: who can sign in there is not visible.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Turn off unauthenticated identities (and remove the unauthenticated role); let uploads go through signed-in users or pre-signed URLs',
      command: 'aws cognito-identity update-identity-pool --identity-pool-id {{resource}} --identity-pool-name {{poolName}} --no-allow-unauthenticated-identities --region {{region}}',
      effortMinutes: 60,
    },
    messages: {
      'authenticated-only': 'Identity pool {{name}} admits only authenticated identities',
      'unauthenticated-allowed': 'Identity pool {{name}} allows UNAUTHENTICATED identities',
      'public-providers': 'Identity pool {{name}} lets anyone with an account of {{providers}} sign in and get its authenticated role’s AWS credentials',
      'federated-providers': 'Identity pool {{name}} trusts {{federated}}: who can sign in there (and get its authenticated role’s AWS credentials) is not visible to this check',
      'providers-not-collected': 'Identity pool {{name}} admits only authenticated identities, but its sign-in providers were not collected (a snapshot from an older version): collect again',
      missing: 'Configured identity pool {{resource}} was not found',
      'no-identity-pools': NO_POOLS.message,
    },
  },
  facts: { pools: cognitoIdentityPools },
  evaluate({ pools }) {
    if (pools.length === 0) return [{ resource: 'cognito', status: 'not_applicable', code: 'no-identity-pools' }];
    return pools.map((pool): Finding => {
      const args = { name: pool.name, poolName: shellQuote(pool.name), region: pool.region };
      if (pool.missing) return { resource: pool.id, status: 'fail', code: 'missing', args };
      const evidence = { AllowUnauthenticatedIdentities: pool.allowUnauthenticated, region: pool.region };
      if (pool.allowUnauthenticated) return { resource: pool.id, status: 'fail', code: 'unauthenticated-allowed', args, evidence };
      // Without guests, a pool is only as closed as its sign-in: Google, Facebook and the like take anyone's account.
      // These findings carry no poolName: the update-identity-pool fix turns guests off, it does not remove providers.
      const { loginProviders, openIdConnectProviders, samlProviders } = pool;
      const named = { name: pool.name, region: pool.region };
      if (loginProviders === undefined || openIdConnectProviders === undefined || samlProviders === undefined) {
        return { resource: pool.id, status: 'unverified', code: 'providers-not-collected', args: named, evidence };
      }
      const withProviders = { ...evidence, SupportedLoginProviders: loginProviders, OpenIdConnectProviderARNs: openIdConnectProviders, SamlProviderARNs: samlProviders };
      // SupportedLoginProviders only takes the public social providers (accounts.google.com, graph.facebook.com, www.amazon.com, appleid.apple.com, api.twitter.com).
      if (loginProviders.length > 0) return { resource: pool.id, status: 'fail', code: 'public-providers', args: { ...named, providers: loginProviders.join(', ') }, evidence: withProviders };
      if (openIdConnectProviders > 0 || samlProviders > 0) {
        const federated = [openIdConnectProviders && `${openIdConnectProviders} OIDC provider(s)`, samlProviders && `${samlProviders} SAML provider(s)`].filter(Boolean).join(' and ');
        return { resource: pool.id, status: 'unverified', code: 'federated-providers', args: { ...named, federated }, evidence: withProviders };
      }
      return { resource: pool.id, status: 'pass', code: 'authenticated-only', args, evidence: withProviders };
    });
  },
});
