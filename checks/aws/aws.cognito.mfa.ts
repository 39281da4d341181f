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
        case 'ON':
          return { resource: pool.id, status: 'pass', code: 'required', args, evidence };
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
