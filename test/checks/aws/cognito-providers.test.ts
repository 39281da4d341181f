import { describe, expect, it } from 'vitest';
import cognitoUnauthenticated from '../../../checks/aws/aws.cognito.unauthenticated-identities.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const ID = 'us-east-1:b90f';
const pool = (over: Record<string, unknown> = {}) => ({ id: ID, name: 'staff', region: 'us-east-1', allowUnauthenticated: false, missing: false, loginProviders: [], openIdConnectProviders: 0, samlProviders: 0, cognitoProviders: [], ...over });
const oldSnapshotPool = () => ({ id: ID, name: 'staff', region: 'us-east-1', allowUnauthenticated: false, missing: false });

describe('aws.cognito.unauthenticated-identities: who can sign in', () => {
  const cases: CheckCase[] = [
    { name: 'unauthenticated off with Cognito user-pool providers only passes', facts: { pools: [pool()] }, expected: [[ID, 'pass', 'authenticated-only']] },
    { name: 'unauthenticated off but Google sign-in fails: anyone with a Google account gets AWS credentials', facts: { pools: [pool({ loginProviders: ['accounts.google.com'] })] }, expected: [[ID, 'fail', 'public-providers']] },
    ...['graph.facebook.com', 'www.amazon.com', 'appleid.apple.com', 'api.twitter.com'].map((provider): CheckCase => ({ name: `${provider} fails`, facts: { pools: [pool({ loginProviders: [provider] })] }, expected: [[ID, 'fail', 'public-providers']] })),
    { name: 'an OIDC provider is unverified: who can sign in there is not visible', facts: { pools: [pool({ openIdConnectProviders: 1 })] }, expected: [[ID, 'unverified', 'federated-providers']] },
    { name: 'a SAML provider is unverified', facts: { pools: [pool({ samlProviders: 2 })] }, expected: [[ID, 'unverified', 'federated-providers']] },
    { name: 'a public provider fails even beside an OIDC one', facts: { pools: [pool({ loginProviders: ['accounts.google.com'], openIdConnectProviders: 1 })] }, expected: [[ID, 'fail', 'public-providers']] },
    { name: 'a snapshot from before the providers were collected is unverified', facts: { pools: [oldSnapshotPool()] }, expected: [[ID, 'unverified', 'providers-not-collected']] },
    { name: 'unauthenticated identities allowed still fails', facts: { pools: [pool({ allowUnauthenticated: true, loginProviders: ['accounts.google.com'] })] }, expected: [[ID, 'fail', 'unauthenticated-allowed']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cognitoUnauthenticated, c)).toEqual(c.expected));

  it('prints no update-identity-pool command for a public provider: the unauthenticated switch does not remove it', () => {
    expect(renderedCommands(cognitoUnauthenticated, { pools: [pool({ loginProviders: ['accounts.google.com'] })] })).toEqual([undefined]);
  });
});
