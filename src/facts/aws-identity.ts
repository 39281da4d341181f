import { z } from '../zod.js';
import { defineFact } from '../model.js';

/** IAM identity facts: users (console access, MFA, access keys), the account password policy, customer-managed policies. */

export const iamUsers = defineFact({
  id: 'aws.iam.users',
  description: 'IAM users: whether they can sign in to the console, their MFA devices and their access keys (ids and dates, never secrets)',
  permissions: ['iam:ListUsers', 'iam:GetLoginProfile', 'iam:ListMFADevices', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'],
  schema: () => z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      created: z.string().nullable(),
      consoleAccess: z.boolean(),
      passwordLastUsed: z.string().nullable(),
      mfaDevices: z.number(),
      accessKeys: z.array(z.object({ id: z.string(), status: z.string(), created: z.string().nullable(), lastUsed: z.string().nullable() })),
    }),
  ),
});

export const iamPasswordPolicy = defineFact({
  id: 'aws.iam.password-policy',
  description: 'The account password policy for IAM users (null: none set, AWS defaults apply)',
  permissions: ['iam:GetAccountPasswordPolicy'],
  schema: () => z.object({
    policy: z
      .object({
        minimumLength: z.number().nullable(),
        requireSymbols: z.boolean(),
        requireNumbers: z.boolean(),
        requireUppercase: z.boolean(),
        requireLowercase: z.boolean(),
        reusePrevention: z.number().nullable(),
        maxAgeDays: z.number().nullable(),
      })
      .nullable(),
  }),
});

/** A policy statement as the checks read it: `NotResource` entries carry a leading `!`. */
const statement = () => z.object({ effect: z.string(), actions: z.array(z.string()), notActions: z.array(z.string()), resources: z.array(z.string()) });

export const iamCustomerPolicies = defineFact({
  id: 'aws.iam.customer-policies',
  description: 'Customer-managed IAM policies and the statements of their default version',
  permissions: ['iam:ListPolicies', 'iam:GetPolicyVersion'],
  schema: () => z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      attachments: z.number(),
      /** null: the document could not be read or parsed. */
      statements: z.array(statement()).nullable(),
    }),
  ),
});

const inlinePolicy = () => z.object({
  principal: z.enum(['user', 'group', 'role']),
  principalName: z.string(),
  principalArn: z.string(),
  name: z.string(),
  /** null: the document could not be read or parsed. */
  statements: z.array(statement()).nullable(),
});

/** A trust policy statement: principals as `AWS:<arn or account>`, `Service:<name>`, `Federated:<provider>` or `*`, `NotPrincipal` ones with a leading `!`; conditions as `<operator>:<key>`. */
const trustStatement = () => z.object({ effect: z.string(), actions: z.array(z.string()), notActions: z.array(z.string()), principals: z.array(z.string()), conditions: z.array(z.string()) });

const role = () => z.object({
  name: z.string(),
  arn: z.string(),
  /** null: the trust policy could not be read or parsed. */
  trust: z.array(trustStatement()).nullable(),
  /** ARNs of the managed policies attached to it (its inline ones are among `policies`). */
  attachedPolicies: z.array(z.string()),
});

export const iamInlinePolicies = defineFact({
  id: 'aws.iam.inline-policies',
  description: 'Inline policies of IAM users, groups and roles and their statements (one paginated GetAccountAuthorizationDetails)',
  permissions: ['iam:GetAccountAuthorizationDetails'],
  schema: () => z.array(inlinePolicy()),
});

export const iamRoles = defineFact({
  id: 'aws.iam.roles',
  description: 'IAM roles: who their trust policies let assume them, and the managed policies attached to them (the same GetAccountAuthorizationDetails as the inline policies)',
  permissions: ['iam:GetAccountAuthorizationDetails'],
  schema: () => z.array(role()),
});
