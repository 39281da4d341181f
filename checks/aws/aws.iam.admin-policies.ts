import { defineCheck, optional, type FactValue, type Finding } from '../../src/model.js';
import { iamCustomerPolicies, iamInlinePolicies, iamRoles } from '../../src/facts/aws-identity.js';
import { matchesArnPattern } from '../lib/arn-pattern.js';
import { shellQuote } from '../lib/shell.js';

type Statement = NonNullable<FactValue<typeof iamCustomerPolicies>[number]['statements']>[number];
type InlinePolicy = FactValue<typeof iamInlinePolicies>[number];
type Role = FactValue<typeof iamRoles>[number];

const ROLES_NOT_COLLECTED = { ok: false, failure: { kind: 'NotFound', message: `${iamRoles.id} was not collected` } } as const;

const ANY_ACTION = new Set(['*', '*:*']);
const PARTITION = /^aws(-[a-z]+)*$/;
const WILDCARD = /^[*?/]*\*[*?/]*$/;

/**
 * What rewrites the permissions of a user, role, group or policy: a holder allowed it on itself can make itself an administrator;
 * or what makes its holder another user, or a member of any group (an administrator's keys or password, the admins group).
 */
const ESCALATION: [action: string, type: string][] = [
  ['iam:AttachUserPolicy', 'user'], ['iam:PutUserPolicy', 'user'],
  ['iam:AttachRolePolicy', 'role'], ['iam:PutRolePolicy', 'role'], ['iam:UpdateAssumeRolePolicy', 'role'],
  ['iam:AttachGroupPolicy', 'group'], ['iam:PutGroupPolicy', 'group'],
  ['iam:CreatePolicyVersion', 'policy'], ['iam:SetDefaultPolicyVersion', 'policy'],
  ['iam:CreateAccessKey', 'user'], ['iam:CreateLoginProfile', 'user'], ['iam:UpdateLoginProfile', 'user'],
  ['iam:AddUserToGroup', 'group'],
];

/** What runs code of its holder's choosing as a role passed to it: with `iam:PassRole` on every role, the holder acts as any role, an administrator's too. */
const RUNS_AS_PASSED_ROLE: string[][] = [
  ['lambda:CreateFunction', 'lambda:InvokeFunction'], ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
  ['ec2:RunInstances'], ['glue:CreateDevEndpoint'], ['cloudformation:CreateStack'], ['ecs:RunTask'], ['sagemaker:CreateNotebookInstance'],
];

/** AWS-managed policies this check would call administrator if they were the account's own (all on `*`, all but IAM, `iam:*`). */
const AWS_ADMIN_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess']);

/** The partition and account of the policy's own ARN (or its principal's): the account whose resources it grants. */
interface Home { partition: string; account: string }

function homeOf(arn: string): Home {
  const [, partition = 'aws', , , account = ''] = arn.split(':');
  return { partition, account };
}

// `*`, or an ARN pattern whose every part after `arn` is a wildcard (or the partition): `arn:*`, `arn:aws:*:*:*:*` with any `/*`.
// With the policy's account, also any pattern matching every resource of it in any service and region (`arn:aws:*:*:123456789012:*`):
// IAM's users and roles among them, and with them the rest.
function coversEveryArn(resource: string, home?: Home): boolean {
  if (resource === '*') return true;
  const [head, ...parts] = resource.split(':');
  if (head === 'arn' && parts.some((part) => WILDCARD.test(part)) && parts.every((part, i) => WILDCARD.test(part) || (i === 0 && PARTITION.test(part)))) return true;
  if (!home?.account) return false;
  const anywhere = [`arn:${home.partition}:any-service:any-region:${home.account}:any-type/any-name`, `arn:${home.partition}:any-service::${home.account}:any-type/any-name`];
  return anywhere.every((arn) => matchesArnPattern(resource, arn));
}

/** The collector writes `NotResource` entries as `!<arn>`: all resources but a few is, for this check, all of them. */
function onEveryResource(resources: string[], home: Home): boolean {
  // Only a true `*` excluded leaves nothing: `NotResource` on the account's ARNs still leaves its S3 buckets.
  const excluded = resources.filter((r) => r.startsWith('!')).map((r) => r.slice(1));
  if (excluded.length > 0 && !excluded.some((r) => coversEveryArn(r))) return true;
  return resources.some((r) => !r.startsWith('!') && coversEveryArn(r, home));
}

/** Whether the statement's resources take in every `type` (user, role, …) of the account. */
function onEvery(resources: string[], home: Home, type: string): boolean {
  const any = `arn:${home.partition}:iam::${home.account}:${type}/any-path/any-name`;
  const excluded = resources.filter((r) => r.startsWith('!'));
  if (excluded.length > 0 && !excluded.some((r) => matchesArnPattern(r.slice(1), any))) return true;
  return resources.some((r) => !r.startsWith('!') && matchesArnPattern(r, any));
}

/** Whether the statement's resources take in any at all (`NotResource` on every ARN leaves none). */
function onSome(resources: string[]): boolean {
  return resources.some((r) => !r.startsWith('!')) || !resources.some((r) => coversEveryArn(r.slice(1)));
}

/** Whether the statement allows `action` (IAM action names are case-insensitive; `NotAction` allows what it does not name). */
function allows(statement: Pick<Statement, 'actions' | 'notActions'>, action: string): boolean {
  const named = (patterns: string[]) => patterns.some((p) => matchesArnPattern(p.toLowerCase(), action.toLowerCase()));
  return named(statement.actions) || (statement.notActions.length > 0 && !named(statement.notActions));
}

/** How much of everything a policy allows on every resource: all of it, all but some actions (`NotAction`), the means to grant itself all of it, or less. */
function breadth(statements: Statement[], home: Home, admins: AssumableAdmins): { code: 'full-admin' } | { code: 'all-but'; excepted: string } | { code: 'privilege-escalation'; actions: string } | null {
  const allowed = statements.filter((s) => s.effect === 'Allow');
  const onEverything = allowed.filter((s) => onEveryResource(s.resources, home));
  if (onEverything.some((s) => s.actions.some((a) => ANY_ACTION.has(a)))) return { code: 'full-admin' };
  // `NotAction` with Allow grants everything it does not name: the PHI, its keys and CloudTrail with it.
  const allBut = onEverything.find((s) => s.notActions.length > 0);
  if (allBut) return { code: 'all-but', excepted: allBut.notActions.join(', ') };
  const escalations = ESCALATION.filter(([action, type]) => allowed.some((s) => allows(s, action) && onEvery(s.resources, home, type))).map(([action]) => action);
  // The function, instance or stack is the holder's own new one: what it is allowed on says nothing of the role it runs as.
  if (allowed.some((s) => allows(s, 'iam:PassRole') && onEvery(s.resources, home, 'role'))) {
    const runs = RUNS_AS_PASSED_ROLE.filter((route) => route.every((action) => allowed.some((s) => allows(s, action) && onSome(s.resources))));
    escalations.push(...runs.map((route) => `iam:PassRole with ${route.join(' and ')}`));
  }
  if (assumesEveryRole(statements, home) && admins.roles.length > 0) escalations.push(`sts:AssumeRole into administrator role ${admins.roles.join(', ')}`);
  return escalations.length > 0 ? { code: 'privilege-escalation', actions: escalations.join(', ') } : null;
}

function assumesEveryRole(statements: Statement[], home: Home): boolean {
  return statements.some((s) => s.effect === 'Allow' && allows(s, 'sts:AssumeRole') && onEvery(s.resources, home, 'role'));
}

/** The roles whoever may assume any role can become administrator through, and why others could not be judged. */
interface AssumableAdmins { roles: string[]; unjudged: string[] }

/**
 * Whether a role's trust policy lets in any principal of its own account (its root or its id, or anyone): `in`;
 * `unjudged` when a condition, a `NotPrincipal` or a `Deny` may or may not shut the holder out.
 */
function trustOf(role: Role): 'in' | 'out' | { unjudged: string } {
  if (!role.trust) return { unjudged: 'has a trust policy that could not be read' };
  const { partition, account } = homeOf(role.arn);
  const ownAccount = new Set(['*', 'AWS:*', `AWS:${account}`, `AWS:arn:${partition}:iam::${account}:root`]);
  // `NotPrincipal` with Allow lets in all it does not name.
  const letIn = role.trust.filter((s) => s.effect === 'Allow' && allows(s, 'sts:AssumeRole') && s.principals.some((p) => p.startsWith('!') || ownAccount.has(p)));
  if (letIn.length === 0) return 'out';
  // A condition (aws:PrincipalArn, MFA, an external id…), an exclusion or a Deny may shut the holder out, or not: this check cannot tell.
  if (!letIn.some((s) => s.conditions.length === 0 && !s.principals.some((p) => p.startsWith('!')))) return { unjudged: `lets the account in only under ${letIn.flatMap((s) => s.conditions).join(', ') || 'NotPrincipal'}` };
  if (role.trust.some((s) => s.effect === 'Deny')) return { unjudged: 'lets the account in, but its trust policy also denies some principals' };
  return 'in';
}

/** Whether the role's own policies make it administrator, as this check judges a policy. */
function adminOf(role: Role, policies: FactValue<typeof iamCustomerPolicies>, inline: InlinePolicy[]): boolean | { unjudged: string } {
  const home = homeOf(role.arn);
  const none: AssumableAdmins = { roles: [], unjudged: [] };
  const documents: { name: string; statements: Statement[] | null }[] = inline.filter((p) => p.principalArn === role.arn).map((p) => ({ name: p.name, statements: p.statements }));
  for (const arn of role.attachedPolicies) {
    const { account } = homeOf(arn);
    if (account === 'aws') {
      if (AWS_ADMIN_POLICIES.has(arn.split('/').at(-1)!)) return true;
      continue;
    }
    documents.push({ name: arn, statements: policies.find((p) => p.arn === arn)?.statements ?? null });
  }
  if (documents.some((d) => d.statements && breadth(d.statements, home, none))) return true;
  const unread = documents.find((d) => !d.statements);
  return unread ? { unjudged: `policy ${unread.name} could not be read` } : false;
}

function assumableAdmins(roles: Role[], policies: FactValue<typeof iamCustomerPolicies>, inline: InlinePolicy[]): AssumableAdmins {
  const found: AssumableAdmins = { roles: [], unjudged: [] };
  for (const role of roles) {
    const trust = trustOf(role);
    if (trust === 'out') continue;
    const admin = adminOf(role, policies, inline);
    if (admin === false) continue;
    if (admin !== true) found.unjudged.push(`role ${role.name} ${trust === 'in' ? 'trusts the account' : trust.unjudged}, and its ${admin.unjudged}`);
    else if (trust === 'in') found.roles.push(role.name);
    else found.unjudged.push(`administrator role ${role.name} ${trust.unjudged}`);
  }
  return found;
}

function failureArgs(found: NonNullable<ReturnType<typeof breadth>>): { excepted: string; actions: string } {
  return { excepted: 'excepted' in found ? found.excepted : '', actions: 'actions' in found ? found.actions : '' };
}

/** An inline policy's document replaced by the scoped one the user writes (put-*-policy overwrites it). */
function replaceInline(policy: InlinePolicy): string {
  return `aws iam put-${policy.principal}-policy --${policy.principal}-name ${shellQuote(policy.principalName)} --policy-name ${shellQuote(policy.name)} --policy-document file://<scoped-policy-file>`;
}

export default defineCheck({
  meta: {
    id: 'aws.iam.admin-policies',
    title: 'No customer-managed or inline policy grants full administrator access',
    failureTitle: 'A customer-managed or inline policy grants every action (or all but a few) on `*`',
    description:
      'A policy (customer-managed, or inline in a user, group or role) that allows every action on every resource gives whoever holds it the PHI, its keys and its audit trail, and so does one that allows every action but a few (`NotAction` on `*`), or one that lets its holder rewrite the permissions of any user, role, group or policy (`iam:*`, `iam:AttachUserPolicy`, `iam:PutRolePolicy`, `iam:CreatePolicyVersion`…: it can grant itself AdministratorAccess), or become another principal (`iam:CreateAccessKey` or `iam:UpdateLoginProfile` on every user, `iam:AddUserToGroup` on every group, `iam:UpdateAssumeRolePolicy` on every role), or pass any role to code it runs (`iam:PassRole` on every role with `lambda:CreateFunction` + `lambda:InvokeFunction`, `ec2:RunInstances`, `cloudformation:CreateStack`…), or assume any role (`sts:AssumeRole` on every role) while an administrator role trusts the account; access should be limited to what each role needs (minimum necessary). AWS’s own AdministratorAccess is outside this check: grant it to few, behind MFA.',
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
      'privilege-escalation': 'Policy {{name}} allows {{actions}} on all of the account’s users, roles, groups or policies: whoever holds it can make themselves administrator (attached {{attachments}} time(s))',
      'not-read': 'The document of policy {{name}} could not be read',
      'assume-role-unjudged': 'Policy {{name}} allows sts:AssumeRole on every role of the account, but whether whoever holds it can become administrator is not known: {{reason}} (attached {{attachments}} time(s))',
      'inline-scoped': 'Inline policy {{name}} of {{principal}} {{principalName}} grants no `*` action on `*`',
      'inline-full-admin': 'Inline policy {{name}} of {{principal}} {{principalName}} allows every action on every resource',
      'inline-all-but': 'Inline policy {{name}} of {{principal}} {{principalName}} allows every action except {{excepted}} on every resource',
      'inline-privilege-escalation': 'Inline policy {{name}} of {{principal}} {{principalName}} allows {{actions}} on all of the account’s users, roles, groups or policies: whoever holds it can make themselves administrator',
      'inline-not-read': 'The document of inline policy {{name}} of {{principal}} {{principalName}} could not be read',
      'inline-assume-role-unjudged': 'Inline policy {{name}} of {{principal}} {{principalName}} allows sts:AssumeRole on every role of the account, but whether whoever holds it can become administrator is not known: {{reason}}',
      'inline-policies-not-read': 'The inline policies of IAM users, groups and roles could not be read: {{reason}}',
      'no-policies': 'No customer-managed or inline IAM policy',
    },
  },
  facts: { policies: iamCustomerPolicies, inline: optional(iamInlinePolicies), roles: optional(iamRoles) },
  // Without the roles' outcome (a caller that evaluates the check directly, as a plugin's tests do), they were not collected.
  evaluate({ policies, inline, roles = ROLES_NOT_COLLECTED }) {
    const inlinePolicies = inline.ok ? inline.value : [];
    // Which roles are administrators takes their inline policies too: without them, or without the roles, it is not known.
    const unread = !roles.ok ? roles.failure.message : !inline.ok ? inline.failure.message : '';
    const admins: AssumableAdmins =
      roles.ok && inline.ok ? assumableAdmins(roles.value, policies, inline.value) : { roles: [], unjudged: [`the account’s roles and their policies were not read (${unread})`] };
    // Every role, an administrator's among them, whose trust could not be judged: never scoped.
    const unjudged = (statements: Statement[], home: Home) => (assumesEveryRole(statements, home) && admins.unjudged.length > 0 ? admins.unjudged.join('; ') : null);
    const managed = policies.map((policy): Finding => {
      const args = { name: policy.name, arn: policy.arn, attachments: policy.attachments, fix: `aws iam create-policy-version --policy-arn ${shellQuote(policy.arn)} --policy-document file://<scoped-policy-file> --set-as-default` };
      if (!policy.statements) return { resource: policy.arn, status: 'unverified', code: 'not-read', args };
      const evidence = { attachments: policy.attachments, statements: policy.statements.length };
      const home = homeOf(policy.arn);
      const found = breadth(policy.statements, home, admins);
      const reason = unjudged(policy.statements, home);
      if (!found && reason) return { resource: policy.arn, status: 'unverified', code: 'assume-role-unjudged', args: { ...args, reason }, evidence };
      if (!found) return { resource: policy.arn, status: 'pass', code: 'scoped', args, evidence };
      return { resource: policy.arn, status: 'fail', code: found.code, args: { ...args, ...failureArgs(found) }, evidence };
    });
    // Unread inline policies are no evidence of none: unverified, beside what the managed ones showed.
    if (!inline.ok) return [...managed, { resource: 'iam-inline-policies', status: 'unverified', code: 'inline-policies-not-read', args: { reason: inline.failure.message }, evidence: { failure: inline.failure.kind, ...(inline.failure.fix ? { fix: inline.failure.fix } : {}) } }];
    const inlineFindings = inlinePolicies.map((policy): Finding => {
      const resource = `${policy.principalArn}:inline-policy/${policy.name}`;
      const args = { name: policy.name, principal: policy.principal, principalName: policy.principalName, fix: replaceInline(policy) };
      if (!policy.statements) return { resource, status: 'unverified', code: 'inline-not-read', args };
      const evidence = { principal: policy.principalArn, statements: policy.statements.length };
      const home = homeOf(policy.principalArn);
      const found = breadth(policy.statements, home, admins);
      const reason = unjudged(policy.statements, home);
      if (!found && reason) return { resource, status: 'unverified', code: 'inline-assume-role-unjudged', args: { ...args, reason }, evidence };
      if (!found) return { resource, status: 'pass', code: 'inline-scoped', args, evidence };
      return { resource, status: 'fail', code: `inline-${found.code}`, args: { ...args, ...failureArgs(found) }, evidence };
    });
    const findings = [...managed, ...inlineFindings];
    return findings.length > 0 ? findings : [{ resource: 'iam', status: 'pass', code: 'no-policies' }];
  },
});
