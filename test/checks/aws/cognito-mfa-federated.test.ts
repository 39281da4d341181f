import { describe, expect, it } from 'vitest';
import cognitoMfa from '../../../checks/aws/aws.cognito.mfa.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Cognito applies a user pool's MFA to its local users only: one who signs in through a SAML, OIDC or social provider
// is authenticated by that provider, and the pool asks for no second factor.

const ID = 'us-east-1_abc';
const okta = { name: 'Okta', type: 'SAML' };
const pool = (mfa: string, identityProviders: unknown[] = []) => ({ id: ID, name: 'staff', arn: null, region: 'us-east-1', mfa, missing: false, selfSignUp: false, identityProviders });
/** A pool as snapshots from before the identity providers were collected have it. */
const oldSnapshotPool = (mfa: string) => ({ id: ID, name: 'staff', arn: null, region: 'us-east-1', mfa, missing: false, selfSignUp: false });
const patients = { aws: { cognito: { patientPools: [ID] } } };

describe('aws.cognito.mfa: users who sign in through another identity provider', () => {
  const cases: CheckCase[] = [
    { name: 'MFA ON without identity providers passes', facts: { pools: [pool('ON')] }, expected: [[ID, 'pass', 'required']] },
    { name: 'MFA ON with a SAML provider is unverified: its users skip the pool’s MFA', facts: { pools: [pool('ON', [okta])] }, expected: [[ID, 'unverified', 'federated-sign-in']] },
    { name: 'MFA ON with Google sign-in is unverified', facts: { pools: [pool('ON', [{ name: 'Google', type: 'Google' }])] }, expected: [[ID, 'unverified', 'federated-sign-in']] },
    { name: 'MFA ON in a snapshot from before the identity providers were collected is unverified', facts: { pools: [oldSnapshotPool('ON')] }, expected: [[ID, 'unverified', 'providers-not-collected']] },
    { name: 'MFA OFF with a provider still fails', facts: { pools: [pool('OFF', [okta])] }, expected: [[ID, 'fail', 'off']] },
    { name: 'MFA OPTIONAL with a provider still fails', facts: { pools: [pool('OPTIONAL', [okta])] }, expected: [[ID, 'fail', 'optional']] },
    { name: 'MFA OFF in an old snapshot still fails', facts: { pools: [oldSnapshotPool('OFF')] }, expected: [[ID, 'fail', 'off']] },
    { name: 'a patient pool with MFA OPTIONAL and a provider passes as before: patients may choose', facts: { pools: [pool('OPTIONAL', [okta])] }, config: patients, expected: [[ID, 'pass', 'optional-patients']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cognitoMfa, c)).toEqual(c.expected));

  it('the message names the providers', () => {
    expect(renderedMessages(cognitoMfa, { pools: [pool('ON', [okta, { name: 'Google', type: 'Google' }])] })[0]).toContain('Okta (SAML), Google (Google)');
  });
});
