import { describe, expect, it } from 'vitest';
import cognitoUnauthenticated from '../../../checks/aws/aws.cognito.unauthenticated-identities.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// An identity pool without guests is only as closed as the user pools it trusts: one that lets anyone sign up hands its
// authenticated role's AWS credentials to anyone on the internet.

const ID = 'us-east-1:b90f';
const USER_POOL = 'us-east-1_AbC';
const provider = (userPool = USER_POOL, region = 'us-east-1') => ({ providerName: `cognito-idp.${region}.amazonaws.com/${userPool}`, clientId: 'client' });
const pool = (over: Record<string, unknown> = {}) => ({ id: ID, name: 'staff', region: 'us-east-1', allowUnauthenticated: false, missing: false, loginProviders: [], openIdConnectProviders: 0, samlProviders: 0, cognitoProviders: [provider()], ...over });
const userPool = (selfSignUp: boolean | undefined, over: Record<string, unknown> = {}) => ({
  id: USER_POOL, name: 'staff-users', arn: null, region: 'us-east-1', mfa: 'ON', missing: false, ...(selfSignUp === undefined ? {} : { selfSignUp }), ...over,
});
const read = (...pools: unknown[]) => ({ ok: true, value: pools });

describe('aws.cognito.unauthenticated-identities: Cognito user pools that let anyone sign up', () => {
  const cases: CheckCase[] = [
    { name: 'a user pool provider that lets anyone sign up fails', facts: { pools: [pool()], userPools: read(userPool(true)) }, expected: [[ID, 'fail', 'open-sign-up']] },
    { name: 'a user pool provider where only administrators create users passes', facts: { pools: [pool()], userPools: read(userPool(false)) }, expected: [[ID, 'pass', 'authenticated-only']] },
    { name: 'one open user pool among closed ones fails', facts: { pools: [pool({ cognitoProviders: [provider('us-east-1_Closed'), provider()] })] , userPools: read(userPool(false, { id: 'us-east-1_Closed' }), userPool(true)) }, expected: [[ID, 'fail', 'open-sign-up']] },
    { name: 'an open user pool fails even beside one that was not read', facts: { pools: [pool({ cognitoProviders: [provider('eu-west-1_Other', 'eu-west-1'), provider()] })], userPools: read(userPool(true)) }, expected: [[ID, 'fail', 'open-sign-up']] },
    { name: 'a user pool not among those read (another account or region) is unverified', facts: { pools: [pool()], userPools: read(userPool(false, { id: 'us-east-1_Else' })) }, expected: [[ID, 'unverified', 'user-pool-not-read']] },
    { name: 'user pools that could not be read leave the pool unverified', facts: { pools: [pool()], userPools: { ok: false, failure: { kind: 'AccessDenied', message: 'cognito-idp:ListUserPools denied' } } }, expected: [[ID, 'unverified', 'user-pool-not-read']] },
    { name: 'a configured user pool that was not found is unverified', facts: { pools: [pool()], userPools: read({ id: USER_POOL, name: USER_POOL, arn: null, region: 'us-east-1', mfa: 'unknown', missing: true }) }, expected: [[ID, 'unverified', 'user-pool-not-read']] },
    { name: 'a user pools snapshot from before the sign-up setting was collected is unverified', facts: { pools: [pool()], userPools: read(userPool(undefined)) }, expected: [[ID, 'unverified', 'sign-up-not-collected']] },
    { name: 'an identity pools snapshot from before the user pool providers were collected is unverified', facts: { pools: [pool({ cognitoProviders: undefined })], userPools: read(userPool(false)) }, expected: [[ID, 'unverified', 'providers-not-collected']] },
    { name: 'no provider at all passes, whatever the user pools', facts: { pools: [pool({ cognitoProviders: [] })], userPools: { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } } }, expected: [[ID, 'pass', 'authenticated-only']] },
    { name: 'a public provider still fails in a snapshot without user pool providers', facts: { pools: [pool({ cognitoProviders: undefined, loginProviders: ['accounts.google.com'] })], userPools: read() }, expected: [[ID, 'fail', 'public-providers']] },
    { name: 'an open user pool beside an OIDC provider fails', facts: { pools: [pool({ openIdConnectProviders: 1 })], userPools: read(userPool(true)) }, expected: [[ID, 'fail', 'open-sign-up']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cognitoUnauthenticated, c)).toEqual(c.expected));

  it('the open-sign-up message names the user pool', () => {
    expect(renderedMessages(cognitoUnauthenticated, { pools: [pool()], userPools: [userPool(true)] })[0]).toContain(`staff-users (${USER_POOL})`);
  });
});

describe('aws.cognito.unauthenticated-identities: the fix keeps the rest of the pool', () => {
  it('reads the pool and changes only AllowUnauthenticatedIdentities (UpdateIdentityPool replaces the whole configuration)', () => {
    const [command] = renderedCommands(cognitoUnauthenticated, { pools: [pool({ allowUnauthenticated: true })], userPools: [] });
    expect(command).toContain(`aws cognito-identity describe-identity-pool --identity-pool-id ${ID} --region us-east-1 --output json`);
    expect(command).toContain('--cli-input-json');
    expect(command).toContain('.AllowUnauthenticatedIdentities = false');
    expect(command).not.toContain('--identity-pool-name');
  });

  it('prints no command where turning guests off fixes nothing (open sign-up, a missing pool)', () => {
    expect(renderedCommands(cognitoUnauthenticated, { pools: [pool()], userPools: [userPool(true)] })).toEqual([undefined]);
    expect(renderedCommands(cognitoUnauthenticated, { pools: [pool({ missing: true })], userPools: [] })).toEqual([undefined]);
  });
});
