import { defineCheck, optional, type FactValue, type Finding } from '../../src/model.js';
import { iamCustomerPolicies, iamInlinePolicies } from '../../src/facts/aws-identity.js';
import { shellQuote } from '../lib/shell.js';

type Statement = NonNullable<FactValue<typeof iamCustomerPolicies>[number]['statements']>[number];

const ANY_ACTION = new Set(['*', '*:*']);
const PARTITION = /^aws(-[a-z]+)*$/;
const WILDCARD = /^[*?/]*\*[*?/]*$/;

// `*`, or an ARN pattern whose every part after `arn` is a wildcard (or the partition): `arn:*`, `arn:aws:*:*:*:*` with any `/*`.
function coversEveryArn(resource: string): boolean {
  if (resource === '*') return true;
  const [head, ...parts] = resource.split(':');
  return head === 'arn' && parts.some((part) => WILDCARD.test(part)) && parts.every((part, i) => WILDCARD.test(part) || (i === 0 && PARTITION.test(part)));
}

/** The collector writes `NotResource` entries as `!<arn>`: all resources but a few is, for this check, all of them. */
function onEveryResource(resources: string[]): boolean {
  const excluded = resources.filter((r) => r.startsWith('!')).map((r) => r.slice(1));
  if (excluded.length > 0 && !excluded.some(coversEveryArn)) return true;
  return resources.some((r) => !r.startsWith('!') && coversEveryArn(r));
}

/** How much of everything a policy allows on every resource: all of it, all but some actions (`NotAction`), or less. */
function breadth(statements: Statement[]): { code: 'full-admin' } | { code: 'all-but'; excepted: string } | null {
  const onEverything = statements.filter((s) => s.effect === 'Allow' && onEveryResource(s.resources));
  if (onEverything.some((s) => s.actions.some((a) => ANY_ACTION.has(a)))) return { code: 'full-admin' };
  // `NotAction` with Allow grants everything it does not name: the PHI, its keys and CloudTrail with it.
  const allBut = onEverything.find((s) => s.notActions.length > 0);
  return allBut ? { code: 'all-but', excepted: allBut.notActions.join(', ') } : null;
}

/** An inline policy's document replaced by the scoped one the user writes (put-*-policy overwrites it). */
function replaceInline(policy: FactValue<typeof iamInlinePolicies>[number]): string {
  return `aws iam put-${policy.principal}-policy --${policy.principal}-name ${shellQuote(policy.principalName)} --policy-name ${shellQuote(policy.name)} --policy-document file://<scoped-policy-file>`;
}

export default defineCheck({
  meta: {
    id: 'aws.iam.admin-policies',
    title: 'No customer-managed or inline policy grants full administrator access',
    failureTitle: 'A customer-managed or inline policy grants every action (or all but a few) on `*`',
    description:
      'A policy (customer-managed, or inline in a user, group or role) that allows every action on every resource gives whoever holds it the PHI, its keys and its audit trail, and so does one that allows every action but a few (`NotAction` on `*`); access should be limited to what each role needs (minimum necessary). AWS’s own AdministratorAccess is outside this check: grant it to few, behind MFA.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(4)(ii)(B)'],
    phase: 1,
    remediation: {
      text:
        'Find who holds the policy (`aws iam list-entities-for-policy --policy-arn <arn>`) and what they use (IAM Access Analyzer or last-accessed data), write a document granting only those actions on those resources (`<scoped-policy-file>`), and make it the default version (a policy keeps at most 5 versions: delete an old one first if it has 5), or the inline policy’s document; detach it from whoever needs none of it',
      command: '{{fix}}',
      effortMinutes: 60,
    },
    messages: {
      scoped: 'Policy {{name}} grants no `*` action on `*`',
      'full-admin': 'Policy {{name}} allows every action on every resource (attached {{attachments}} time(s))',
      'all-but': 'Policy {{name}} allows every action except {{excepted}} on every resource (attached {{attachments}} time(s))',
      'not-read': 'The document of policy {{name}} could not be read',
      'inline-scoped': 'Inline policy {{name}} of {{principal}} {{principalName}} grants no `*` action on `*`',
      'inline-full-admin': 'Inline policy {{name}} of {{principal}} {{principalName}} allows every action on every resource',
      'inline-all-but': 'Inline policy {{name}} of {{principal}} {{principalName}} allows every action except {{excepted}} on every resource',
      'inline-not-read': 'The document of inline policy {{name}} of {{principal}} {{principalName}} could not be read',
      'inline-policies-not-read': 'The inline policies of IAM users, groups and roles could not be read: {{reason}}',
      'no-policies': 'No customer-managed or inline IAM policy',
    },
  },
  facts: { policies: iamCustomerPolicies, inline: optional(iamInlinePolicies) },
  evaluate({ policies, inline }) {
    const managed = policies.map((policy): Finding => {
      const args = { name: policy.name, arn: policy.arn, attachments: policy.attachments, fix: `aws iam create-policy-version --policy-arn ${shellQuote(policy.arn)} --policy-document file://<scoped-policy-file> --set-as-default` };
      if (!policy.statements) return { resource: policy.arn, status: 'unverified', code: 'not-read', args };
      const evidence = { attachments: policy.attachments, statements: policy.statements.length };
      const found = breadth(policy.statements);
      if (!found) return { resource: policy.arn, status: 'pass', code: 'scoped', args, evidence };
      return { resource: policy.arn, status: 'fail', code: found.code, args: { ...args, excepted: 'excepted' in found ? found.excepted : '' }, evidence };
    });
    // Unread inline policies are no evidence of none: unverified, beside what the managed ones showed.
    if (!inline.ok) return [...managed, { resource: 'iam-inline-policies', status: 'unverified', code: 'inline-policies-not-read', args: { reason: inline.failure.message }, evidence: { failure: inline.failure.kind, ...(inline.failure.fix ? { fix: inline.failure.fix } : {}) } }];
    const inlineFindings = inline.value.map((policy): Finding => {
      const resource = `${policy.principalArn}:inline-policy/${policy.name}`;
      const args = { name: policy.name, principal: policy.principal, principalName: policy.principalName, fix: replaceInline(policy) };
      if (!policy.statements) return { resource, status: 'unverified', code: 'inline-not-read', args };
      const evidence = { principal: policy.principalArn, statements: policy.statements.length };
      const found = breadth(policy.statements);
      if (!found) return { resource, status: 'pass', code: 'inline-scoped', args, evidence };
      return { resource, status: 'fail', code: `inline-${found.code}`, args: { ...args, excepted: 'excepted' in found ? found.excepted : '' }, evidence };
    });
    const findings = [...managed, ...inlineFindings];
    return findings.length > 0 ? findings : [{ resource: 'iam', status: 'pass', code: 'no-policies' }];
  },
});
