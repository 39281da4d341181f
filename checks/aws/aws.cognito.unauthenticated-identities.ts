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
    description: 'An identity pool that allows unauthenticated identities gives AWS credentials to anyone on the internet (e.g. to upload to S3); with PHI behind them that is an access-control gap.',
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
      return pool.allowUnauthenticated
        ? { resource: pool.id, status: 'fail', code: 'unauthenticated-allowed', args, evidence }
        : { resource: pool.id, status: 'pass', code: 'authenticated-only', args, evidence };
    });
  },
});
