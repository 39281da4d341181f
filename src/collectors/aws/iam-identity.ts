import { iamCustomerPolicies, iamInlinePolicies, iamPasswordPolicy, iamRoles, iamUsers } from '../../facts/aws-identity.js';
import type { FactValue } from '../../model.js';
import { defineCollector, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws, requireField } from './require.js';
import type { AwsSession } from './session.js';

const isNoSuchEntity = (error: unknown) => (error as { name?: string }).name === 'NoSuchEntityException' || (error as { name?: string }).name === 'NoSuchEntity';

/** IAM is global: every call goes to us-east-1. */
export const iamUsersCollector = defineCollector(iamUsers, async (context) => {
  requireAws(context);
  const { paginateListUsers, paginateListMFADevices, paginateListAccessKeys, GetLoginProfileCommand, GetAccessKeyLastUsedCommand } = await import('@aws-sdk/client-iam');
  const client = await context.aws.client('iam', 'us-east-1');
  const users: FactValue<typeof iamUsers> = [];
  let permission = 'iam:ListUsers';
  try {
    for await (const page of pages(paginateListUsers, { client }, {}, context.signal)) {
      for (const user of requireArray(page.Users, 'Users', 'iam:ListUsers')) {
        const UserName = user.UserName ?? '';
        permission = 'iam:GetLoginProfile';
        let consoleAccess = true;
        try {
          await client.send(new GetLoginProfileCommand({ UserName }), { abortSignal: context.signal });
        } catch (error) {
          if (!isNoSuchEntity(error)) throw error;
          consoleAccess = false;
        }
        permission = 'iam:ListMFADevices';
        let mfaDevices = 0;
        for await (const mfa of pages(paginateListMFADevices, { client }, { UserName }, context.signal)) mfaDevices += requireArray(mfa.MFADevices, 'MFADevices', permission).length;
        permission = 'iam:ListAccessKeys';
        const accessKeys: FactValue<typeof iamUsers>[number]['accessKeys'] = [];
        for await (const keys of pages(paginateListAccessKeys, { client }, { UserName }, context.signal)) {
          for (const key of requireArray(keys.AccessKeyMetadata, 'AccessKeyMetadata', permission)) {
            permission = 'iam:GetAccessKeyLastUsed';
            const used = await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }), { abortSignal: context.signal });
            accessKeys.push({ id: key.AccessKeyId ?? '', status: key.Status ?? 'unknown', created: key.CreateDate?.toISOString() ?? null, lastUsed: used.AccessKeyLastUsed?.LastUsedDate?.toISOString() ?? null });
            permission = 'iam:ListAccessKeys';
          }
        }
        users.push({ name: UserName, arn: user.Arn ?? '', created: user.CreateDate?.toISOString() ?? null, consoleAccess, passwordLastUsed: user.PasswordLastUsed?.toISOString() ?? null, mfaDevices, accessKeys });
        permission = 'iam:ListUsers';
      }
    }
  } catch (error) {
    throw awsFactError(error, permission);
  }
  return users;
});

export const iamPasswordPolicyCollector = defineCollector(iamPasswordPolicy, async (context) => {
  requireAws(context);
  const { GetAccountPasswordPolicyCommand } = await import('@aws-sdk/client-iam');
  const client = await context.aws.client('iam', 'us-east-1');
  try {
    // No policy is NoSuchEntity: an answer without one is malformed, not "none".
    const p = requireField(await client.send(new GetAccountPasswordPolicyCommand({}), { abortSignal: context.signal }), 'PasswordPolicy', 'iam:GetAccountPasswordPolicy');
    return {
      policy: {
        minimumLength: p.MinimumPasswordLength ?? null,
        requireSymbols: p.RequireSymbols === true,
        requireNumbers: p.RequireNumbers === true,
        requireUppercase: p.RequireUppercaseCharacters === true,
        requireLowercase: p.RequireLowercaseCharacters === true,
        reusePrevention: p.PasswordReusePrevention ?? null,
        maxAgeDays: p.MaxPasswordAge ?? null,
      },
    };
  } catch (error) {
    // No policy set: AWS answers NoSuchEntity, and its defaults (8 characters, no reuse rule) apply.
    if (isNoSuchEntity(error)) return { policy: null };
    throw awsFactError(error, 'iam:GetAccountPasswordPolicy');
  }
});

type Statement = NonNullable<FactValue<typeof iamCustomerPolicies>[number]['statements']>[number];
type InlinePolicy = FactValue<typeof iamInlinePolicies>[number];
type Role = FactValue<typeof iamRoles>[number];

export const iamCustomerPoliciesCollector = defineCollector(iamCustomerPolicies, async (context) => {
  requireAws(context);
  const { paginateListPolicies, GetPolicyVersionCommand } = await import('@aws-sdk/client-iam');
  const client = await context.aws.client('iam', 'us-east-1');
  const out: FactValue<typeof iamCustomerPolicies> = [];
  let permission = 'iam:ListPolicies';
  try {
    for await (const page of pages(paginateListPolicies, { client }, { Scope: 'Local' }, context.signal)) {
      for (const policy of requireArray(page.Policies, 'Policies', 'iam:ListPolicies')) {
        permission = 'iam:GetPolicyVersion';
        const version = await client.send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: policy.DefaultVersionId }), { abortSignal: context.signal });
        out.push({ name: policy.PolicyName ?? '', arn: policy.Arn ?? '', attachments: policy.AttachmentCount ?? 0, statements: parseStatements(version.PolicyVersion?.Document) });
        permission = 'iam:ListPolicies';
      }
    }
  } catch (error) {
    throw awsFactError(error, permission);
  }
  return out;
});

/**
 * The account's authorization details, read once per session (one paginated call instead of three lists and a read
 * per policy) and shared by the inline policies and the roles.
 */
const detailsBySession = new WeakMap<AwsSession, Promise<{ policies: InlinePolicy[]; roles: Role[] }>>();

function authorizationDetails(context: CollectContext): Promise<{ policies: InlinePolicy[]; roles: Role[] }> {
  requireAws(context);
  let details = detailsBySession.get(context.aws);
  if (!details) detailsBySession.set(context.aws, (details = readAuthorizationDetails(context)));
  return details;
}

async function readAuthorizationDetails(context: CollectContext): Promise<{ policies: InlinePolicy[]; roles: Role[] }> {
  requireAws(context);
  const { paginateGetAccountAuthorizationDetails } = await import('@aws-sdk/client-iam');
  const client = await context.aws.client('iam', 'us-east-1');
  const permission = 'iam:GetAccountAuthorizationDetails';
  const policies: InlinePolicy[] = [];
  const roles: Role[] = [];
  try {
    for await (const page of pages(paginateGetAccountAuthorizationDetails, { client }, { Filter: ['User', 'Group', 'Role'] }, context.signal)) {
      for (const user of requireArray(page.UserDetailList, 'UserDetailList', permission)) {
        for (const policy of user.UserPolicyList ?? []) policies.push({ principal: 'user', principalName: user.UserName ?? '', principalArn: user.Arn ?? '', name: policy.PolicyName ?? '', statements: parseStatements(policy.PolicyDocument) });
      }
      for (const group of requireArray(page.GroupDetailList, 'GroupDetailList', permission)) {
        for (const policy of group.GroupPolicyList ?? []) policies.push({ principal: 'group', principalName: group.GroupName ?? '', principalArn: group.Arn ?? '', name: policy.PolicyName ?? '', statements: parseStatements(policy.PolicyDocument) });
      }
      for (const role of requireArray(page.RoleDetailList, 'RoleDetailList', permission)) {
        for (const policy of role.RolePolicyList ?? []) policies.push({ principal: 'role', principalName: role.RoleName ?? '', principalArn: role.Arn ?? '', name: policy.PolicyName ?? '', statements: parseStatements(policy.PolicyDocument) });
        roles.push({ name: role.RoleName ?? '', arn: role.Arn ?? '', trust: parseTrust(role.AssumeRolePolicyDocument), attachedPolicies: (role.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '') });
      }
    }
  } catch (error) {
    throw awsFactError(error, permission);
  }
  return { policies, roles };
}

export const iamInlinePoliciesCollector = defineCollector(iamInlinePolicies, async (context) => (await authorizationDetails(context)).policies);

export const iamRolesCollector = defineCollector(iamRoles, async (context) => (await authorizationDetails(context)).roles);

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/** A policy document's statements (IAM returns it URL-encoded); null when it cannot be read. */
function statementsOf(document: string | undefined): Record<string, unknown>[] | null {
  if (!document) return null;
  try {
    const parsed = JSON.parse(decodeURIComponent(document)) as { Statement?: unknown } | null;
    const statements: unknown[] | null = Array.isArray(parsed?.Statement) ? parsed.Statement : parsed?.Statement ? [parsed.Statement] : null;
    // A statement that is not an object is no statement: the document is not read rather than read in part.
    return statements?.every((s) => typeof s === 'object' && s !== null) ? (statements as Record<string, unknown>[]) : null;
  } catch {
    return null;
  }
}

/** A permissions policy's statements; an unreadable document is null (the check makes it unverified). */
function parseStatements(document: string | undefined): Statement[] | null {
  return (
    statementsOf(document)?.map((s) => ({
      effect: String(s.Effect ?? ''),
      actions: asList(s.Action),
      notActions: asList(s.NotAction),
      resources: [...asList(s.Resource), ...asList(s.NotResource).map((r) => `!${r}`)],
    })) ?? null
  );
}

/** A role's trust policy; an unreadable one is null (the check cannot judge who may assume the role). */
function parseTrust(document: string | undefined): Role['trust'] {
  return (
    statementsOf(document)?.map((s) => ({
      effect: String(s.Effect ?? ''),
      actions: asList(s.Action),
      notActions: asList(s.NotAction),
      principals: [...principalsOf(s.Principal), ...principalsOf(s.NotPrincipal).map((p) => `!${p}`)],
      conditions: Object.entries((s.Condition ?? {}) as Record<string, unknown>).flatMap(([operator, keys]) => Object.keys((keys ?? {}) as object).map((key) => `${operator}:${key}`)),
    })) ?? null
  );
}

/** `"*"` as `*`; `{ AWS: [...], Service: ... }` as `AWS:<value>`, `Service:<value>`… */
function principalsOf(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (typeof principal === 'string') return [principal];
  return Object.entries(principal as Record<string, unknown>).flatMap(([kind, values]) => asList(values).map((value) => `${kind}:${value}`));
}
