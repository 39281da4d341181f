import { z } from '../zod.js';
import { defineFact } from '../model.js';

/**
 * The member accounts of the AWS Organization (with `aws.organization: true`). Not an `aws.*` fact: it is read
 * once, with the caller's own credentials, and names the accounts whose facts are collected.
 */
export const organizationAccounts = defineFact({
  id: 'organization.accounts',
  description: 'The accounts of the AWS Organization, with their status',
  permissions: ['organizations:ListAccounts'],
  schema: () => z.array(z.object({ id: z.string().regex(/^\d{12}$/), name: z.string(), status: z.string() })),
});
