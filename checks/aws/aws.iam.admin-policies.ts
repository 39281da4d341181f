import { defineCheck, type Finding } from '../../src/model.js';
import { iamCustomerPolicies } from '../../src/facts/aws-identity.js';
import { shellQuote } from '../lib/shell.js';

const ANY_ACTION = new Set(['*', '*:*']);

export default defineCheck({
  meta: {
    id: 'aws.iam.admin-policies',
    title: 'No customer-managed policy grants full administrator access',
    failureTitle: 'A customer-managed policy grants every action (or all but a few) on `*`',
    description:
      'A policy that allows every action on every resource gives whoever holds it the PHI, its keys and its audit trail, and so does one that allows every action but a few (`NotAction` on `*`); access should be limited to what each role needs (minimum necessary). AWS’s own AdministratorAccess is outside this check: grant it to few, behind MFA.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(4)(ii)(B)'],
    phase: 1,
    remediation: {
      text:
        'Find who holds the policy (`aws iam list-entities-for-policy --policy-arn <arn>`) and what they use (IAM Access Analyzer or last-accessed data), write a document granting only those actions on those resources (`<scoped-policy-file>`), and make it the default version (a policy keeps at most 5 versions: delete an old one first if it has 5); detach it from whoever needs none of it',
      command: 'aws iam create-policy-version --policy-arn {{policyArn}} --policy-document file://<scoped-policy-file> --set-as-default',
      effortMinutes: 60,
    },
    messages: {
      scoped: 'Policy {{name}} grants no `*` action on `*`',
      'full-admin': 'Policy {{name}} allows every action on every resource (attached {{attachments}} time(s))',
      'all-but': 'Policy {{name}} allows every action except {{excepted}} on every resource (attached {{attachments}} time(s))',
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
      const onEverything = policy.statements.filter((s) => s.effect === 'Allow' && s.resources.includes('*'));
      const admin = onEverything.find((s) => s.actions.some((a) => ANY_ACTION.has(a)));
      // `NotAction` with Allow grants everything it does not name: the PHI, its keys and CloudTrail with it.
      const allBut = onEverything.find((s) => s.notActions.length > 0);
      const evidence = { attachments: policy.attachments, statements: policy.statements.length };
      if (admin) return { resource: policy.arn, status: 'fail', code: 'full-admin', args, evidence };
      if (allBut) return { resource: policy.arn, status: 'fail', code: 'all-but', args: { ...args, excepted: allBut.notActions.join(', ') }, evidence };
      return { resource: policy.arn, status: 'pass', code: 'scoped', args, evidence };
    });
  },
});
