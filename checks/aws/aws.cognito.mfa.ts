import { defineCheck, type Finding } from '../../src/model.js';
import { cognitoUserPools } from '../../src/facts/aws-account.js';
import { noneFound } from '../lib/none-found.js';

const NO_POOLS = noneFound('Cognito user pool', 'cognito');

export default defineCheck({
  meta: {
    id: 'aws.cognito.mfa',
    title: 'Cognito user pools require MFA',
    failureTitle: 'Cognito user pools do not require MFA',
    description: 'Staff who reach PHI must authenticate with a second factor. `OPTIONAL` lets any user skip it, so only `ON` passes — except on pools listed in `aws.cognito.patientPools`, where patients may choose.',
    section: 'aws',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text: 'Require MFA on the user pool (TOTP software tokens)',
      command: 'aws cognito-idp set-user-pool-mfa-config --user-pool-id {{resource}} --software-token-mfa-configuration Enabled=true --mfa-configuration ON --region {{region}}',
      effortMinutes: 30,
    },
    messages: {
      required: 'User pool {{name}} requires MFA',
      optional: 'User pool {{name}} has MFA OPTIONAL: users can skip it',
      'optional-patients': 'Patient user pool {{name}} offers MFA (OPTIONAL), as allowed for patients',
      off: 'User pool {{name}} has MFA OFF',
      unknown: 'User pool {{name}} did not report its MFA setting',
      'federated-sign-in': 'User pool {{name}} requires MFA of its own users, but those who sign in through {{providers}} get no second factor from Cognito: whether that provider requires MFA is not visible',
      'providers-not-collected': 'User pool {{name}} requires MFA, but its identity providers were not collected (a snapshot from an older version): collect again',
      missing: 'Configured user pool {{resource}} was not found',
      'no-user-pools': NO_POOLS.message,
    },
  },
  facts: { pools: cognitoUserPools },
  evaluate({ pools }, { config }) {
    const patientPools = config.aws?.cognito?.patientPools ?? [];
    if (pools.length === 0) return [{ resource: 'cognito', status: 'not_applicable', code: 'no-user-pools' }];
    return pools.map((pool): Finding => {
      const args = { name: pool.name, region: pool.region };
      if (pool.missing) return { resource: pool.id, status: 'fail', code: 'missing', args };
      const evidence = { arn: pool.arn, MfaConfiguration: pool.mfa };
      switch (pool.mfa) {
        case 'ON': {
          // Cognito leaves federated users' authentication to their provider and asks them for no second factor.
          const providers = pool.identityProviders;
          if (providers === undefined) return { resource: pool.id, status: 'unverified', code: 'providers-not-collected', args, evidence };
          const withProviders = { ...evidence, identityProviders: providers.map((p) => `${p.name} (${p.type})`) };
          if (providers.length > 0) return { resource: pool.id, status: 'unverified', code: 'federated-sign-in', args: { ...args, providers: withProviders.identityProviders.join(', ') }, evidence: withProviders };
          return { resource: pool.id, status: 'pass', code: 'required', args, evidence: withProviders };
        }
        case 'OPTIONAL':
          return patientPools.includes(pool.id)
            ? { resource: pool.id, status: 'pass', code: 'optional-patients', args, evidence }
            : { resource: pool.id, status: 'fail', code: 'optional', args, evidence };
        case 'OFF':
          return { resource: pool.id, status: 'fail', code: 'off', args, evidence };
        default:
          return { resource: pool.id, status: 'unverified', code: 'unknown', args, evidence };
      }
    });
  },
});
