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

export const iamInlinePolicies = defineFact({
  id: 'aws.iam.inline-policies',
  description: 'Inline policies of IAM users, groups and roles and their statements (one paginated GetAccountAuthorizationDetails)',
  permissions: ['iam:GetAccountAuthorizationDetails'],
  schema: () => z.array(
    z.object({
      principal: z.enum(['user', 'group', 'role']),
      principalName: z.string(),
      principalArn: z.string(),
      name: z.string(),
      /** null: the document could not be read or parsed. */
      statements: z.array(statement()).nullable(),
    }),
  ),
});
