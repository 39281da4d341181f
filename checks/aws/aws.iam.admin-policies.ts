import { defineCheck, type Finding } from '../../src/model.js';
import { iamCustomerPolicies } from '../../src/facts/aws-identity.js';
import { shellQuote } from '../lib/shell.js';

const ANY_ACTION = new Set(['*', '*:*']);

export default defineCheck({
  meta: {
    id: 'aws.iam.admin-policies',
    title: 'No customer-managed policy grants full administrator access',
    failureTitle: 'A customer-managed policy grants `*` on `*`',
    description:
      'A policy that allows every action on every resource gives whoever holds it the PHI, its keys and its audit trail; access should be limited to what each role needs (minimum necessary). AWS’s own AdministratorAccess is outside this check: grant it to few, behind MFA.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(4)(ii)(B)'],
    phase: 1,
    remediation: {
      text: 'Find who holds the policy, replace its `"Action": "*"` statement with the actions they need, and detach it from everyone else',
      command: 'aws iam list-entities-for-policy --policy-arn {{policyArn}}',
      effortMinutes: 60,
    },
    messages: {
      scoped: 'Policy {{name}} grants no `*` action on `*`',
      'full-admin': 'Policy {{name}} allows every action on every resource (attached {{attachments}} time(s))',
      'not-read': 'The document of policy {{name}} could not be read',
      'no-policies': 'No customer-managed IAM policy',
    },
  },
  facts: { policies: iamCustomerPolicies },
  evaluate({ policies }) {
    if (policies.length === 0) return [{ resource: 'iam', status: 'pass', code: 'no-policies' }];
    return policies.map((policy): Finding => {
      const args = { name: policy.name, arn: policy.arn, policyArn: shellQuote(policy.arn), attachments: policy.attachments };
      if (!policy.statements) return { resource: policy.arn, status: 'unverified', code: 'not-read', args };
      const admin = policy.statements.find((s) => s.effect === 'Allow' && s.actions.some((a) => ANY_ACTION.has(a)) && s.resources.includes('*'));
      const evidence = { attachments: policy.attachments, statements: policy.statements.length };
      if (admin) return { resource: policy.arn, status: 'fail', code: 'full-admin', args, evidence };
      return { resource: policy.arn, status: 'pass', code: 'scoped', args, evidence };
    });
  },
});
