import { describe, expect, it } from 'vitest';
import adminPolicies from '../../../checks/aws/aws.iam.admin-policies.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const ACCOUNT = '123456789012';
const policy = (statements: unknown[]) => ({ name: 'p', arn: `arn:aws:iam::${ACCOUNT}:policy/p`, attachments: 1, statements });
const allow = (over: Record<string, unknown>) => ({ effect: 'Allow', actions: [], notActions: [], resources: ['*'], ...over });
const assumeAny = allow({ actions: ['sts:AssumeRole'] });
const trust = (over: Record<string, unknown> = {}) => ({ effect: 'Allow', actions: ['sts:AssumeRole'], notActions: [], principals: [`AWS:arn:aws:iam::${ACCOUNT}:root`], conditions: [], ...over });
const role = (name: string, over: Record<string, unknown> = {}) => ({ name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, trust: [trust()], attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], ...over });
/** The inline policies and the roles, both read (GetAccountAuthorizationDetails feeds the two facts). */
const read = (roles: unknown[], inline: unknown[] = []) => ({ inline: { ok: true, value: inline }, roles: { ok: true, value: roles } });
const P = `arn:aws:iam::${ACCOUNT}:policy/p`;
/** A snapshot from before the roles were collected (the engine's outcome for a fact it was not given). */
const NOT_COLLECTED = { ok: false, failure: { kind: 'NotFound', message: 'aws.iam.roles was not collected' } };
const DENIED = { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } };
const one = (name: string, statements: unknown[], roles: unknown[], status: 'pass' | 'fail' | 'unverified', code: string): CheckCase => ({ name, facts: { policies: [policy(statements)], ...read(roles) }, expected: [[P, status, code]] });

describe('aws.iam.admin-policies: assuming an administrator role', () => {
  const adminPolicy = { name: 'everything', arn: `arn:aws:iam::${ACCOUNT}:policy/everything`, attachments: 1, statements: [allow({ actions: ['*'] })] };
  const cases: CheckCase[] = [
    one('sts:AssumeRole on * with an AdministratorAccess role trusting the account root fails', [assumeAny], [role('admin')], 'fail', 'privilege-escalation'),
    one('sts:AssumeRole on the account’s role/* with a role trusting the account id fails', [allow({ actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::${ACCOUNT}:role/*`] })], [role('admin', { trust: [trust({ principals: [`AWS:${ACCOUNT}`] })] })], 'fail', 'privilege-escalation'),
    one('sts:* on arn:aws:iam::*:role/* fails', [allow({ actions: ['sts:*'], resources: ['arn:aws:iam::*:role/*'] })], [role('admin')], 'fail', 'privilege-escalation'),
    {
      name: 'a role with a customer-managed admin policy attached counts',
      facts: { policies: [policy([assumeAny]), adminPolicy], ...read([role('ops', { attachedPolicies: [adminPolicy.arn] })]) },
      expected: [[P, 'fail', 'privilege-escalation'], [adminPolicy.arn, 'fail', 'full-admin']],
    },
    one('a role with PowerUserAccess attached counts', [assumeAny], [role('ops', { attachedPolicies: ['arn:aws:iam::aws:policy/PowerUserAccess'] })], 'fail', 'privilege-escalation'),
    {
      name: 'a role with an inline iam:* policy counts',
      facts: { policies: [policy([assumeAny])], ...read([role('ops', { attachedPolicies: [] })], [{ principal: 'role', principalName: 'ops', principalArn: `arn:aws:iam::${ACCOUNT}:role/ops`, name: 'iam', statements: [allow({ actions: ['iam:*'] })] }]) },
      expected: [[P, 'fail', 'privilege-escalation'], [`arn:aws:iam::${ACCOUNT}:role/ops:inline-policy/iam`, 'fail', 'inline-privilege-escalation']],
    },
    one('a role trusting anyone (Principal "*") counts', [assumeAny], [role('admin', { trust: [trust({ principals: ['*'] })] })], 'fail', 'privilege-escalation'),
    one('sts:AssumeRole on one non-admin role passes', [allow({ actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::${ACCOUNT}:role/reader`] })], [role('admin'), role('reader', { attachedPolicies: [] })], 'pass', 'scoped'),
    one('sts:AssumeRole on * with no admin role passes', [assumeAny], [role('reader', { attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })], 'pass', 'scoped'),
    one('an admin role trusting only a service passes', [assumeAny], [role('admin', { trust: [trust({ principals: ['Service:lambda.amazonaws.com'] })] })], 'pass', 'scoped'),
    one('an admin role trusting only a specific role passes', [assumeAny], [role('admin', { trust: [trust({ principals: [`AWS:arn:aws:iam::${ACCOUNT}:role/ci`] })] })], 'pass', 'scoped'),
    one('an admin role trusting another account passes', [assumeAny], [role('admin', { trust: [trust({ principals: ['AWS:arn:aws:iam::999999999999:root'] })] })], 'pass', 'scoped'),
    one('sts:AssumeRole denied on * passes', [{ effect: 'Deny', actions: ['sts:AssumeRole'], notActions: [], resources: ['*'] }], [role('admin')], 'pass', 'scoped'),
    // Whether the condition or the Deny shuts out whoever holds the policy is not known here: never scoped.
    one('an admin role trusting the account under aws:PrincipalArn is unverified', [assumeAny], [role('admin', { trust: [trust({ conditions: ['ArnEquals:aws:PrincipalArn'] })] })], 'unverified', 'assume-role-unjudged'),
    one('an admin role trusting the account with a Deny beside is unverified', [assumeAny], [role('admin', { trust: [trust(), trust({ effect: 'Deny', conditions: ['StringNotEquals:aws:PrincipalTag/team'] })] })], 'unverified', 'assume-role-unjudged'),
    one('an admin role whose trust policy was not read is unverified', [assumeAny], [role('admin', { trust: null })], 'unverified', 'assume-role-unjudged'),
    one('a role trusting the account with an unreadable customer policy is unverified', [assumeAny], [role('ops', { attachedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/unread`] })], 'unverified', 'assume-role-unjudged'),
    {
      name: 'a snapshot from before the roles were collected: sts:AssumeRole on * is unverified',
      facts: { policies: [policy([assumeAny])], inline: { ok: true, value: [] }, roles: NOT_COLLECTED },
      expected: [[P, 'unverified', 'assume-role-unjudged']],
    },
    {
      name: 'a snapshot from before the roles were collected: a scoped policy still passes',
      facts: { policies: [policy([allow({ actions: ['s3:GetObject'] })])], inline: { ok: true, value: [] }, roles: NOT_COLLECTED },
      expected: [[P, 'pass', 'scoped']],
    },
    {
      name: 'roles unread (GetAccountAuthorizationDetails denied): sts:AssumeRole on * is unverified',
      facts: { policies: [policy([assumeAny])], inline: DENIED, roles: DENIED },
      expected: [[P, 'unverified', 'assume-role-unjudged'], ['iam-inline-policies', 'unverified', 'inline-policies-not-read']],
    },
    {
      name: 'an inline sts:AssumeRole on * fails as inline privilege escalation',
      facts: { policies: [], ...read([role('admin')], [{ principal: 'user', principalName: 'dev', principalArn: `arn:aws:iam::${ACCOUNT}:user/dev`, name: 'assume', statements: [assumeAny] }]) },
      expected: [[`arn:aws:iam::${ACCOUNT}:user/dev:inline-policy/assume`, 'fail', 'inline-privilege-escalation']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(adminPolicies, c)).toEqual(c.expected));

  it('the message names the administrator role it can become', () => {
    const [message] = renderedMessages(adminPolicies, { policies: [policy([assumeAny])], inline: [], roles: [role('break-glass'), role('reader', { attachedPolicies: [] })] });
    expect(message).toContain('sts:AssumeRole into administrator role break-glass');
    expect(message).not.toContain('reader');
  });

  it('the unverified message says why', () => {
    const [message] = renderedMessages(adminPolicies, { policies: [policy([assumeAny])], inline: [], roles: [role('admin', { trust: [trust({ conditions: ['ArnEquals:aws:PrincipalArn'] })] })] });
    expect(message).toContain('administrator role admin lets the account in only under ArnEquals:aws:PrincipalArn');
  });
});
