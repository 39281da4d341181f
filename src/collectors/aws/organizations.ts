import { organizationAccounts } from '../../facts/aws-organization.js';
import { defineCollector, FactError } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireField } from './require.js';

export const organizationAccountsCollector = defineCollector(organizationAccounts, async (context) => {
  if (!context.config.aws?.organization) throw new FactError('NotConfigured', 'no `aws.organization: true` in the config');
  const { paginateListAccounts } = await import('@aws-sdk/client-organizations');
  const client = await context.aws.client('organizations');
  const accounts = [];
  try {
    for await (const page of pages(paginateListAccounts, { client }, {}, context.signal)) {
      for (const account of requireArray(page.Accounts, 'Accounts', 'organizations:ListAccounts')) {
        accounts.push({
          id: requireField(account, 'Id', 'organizations:ListAccounts'),
          name: account.Name ?? '',
          // `State` replaces `Status` (deprecated in 2025); either says whether the account is active.
          status: String(account.State ?? account.Status ?? 'UNKNOWN'),
        });
      }
      context.progress?.read('organization accounts', page.Accounts?.length ?? 0);
    }
  } catch (error) {
    throw awsFactError(error, 'organizations:ListAccounts');
  }
  return accounts;
});
