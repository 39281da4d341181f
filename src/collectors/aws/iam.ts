import { iamAccountSummary } from '../../facts/aws-account.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField } from './require.js';

/** IAM is global: one call to us-east-1. */
export const iamAccountSummaryCollector = defineCollector(iamAccountSummary, async (context) => {
  requireAws(context);
  const { GetAccountSummaryCommand } = await import('@aws-sdk/client-iam');
  const client = await context.aws.client('iam', 'us-east-1');
  try {
    const answer = await client.send(new GetAccountSummaryCommand({}), { abortSignal: context.signal });
    const summary = requireField(answer, 'SummaryMap', 'iam:GetAccountSummary');
    return {
      rootMfaEnabled: summary.AccountMFAEnabled === 1,
      // Absent counts as present: fail closed rather than read silence as "no keys".
      rootAccessKeysPresent: summary.AccountAccessKeysPresent !== 0,
      users: summary.Users ?? null,
    };
  } catch (error) {
    throw awsFactError(error, 'iam:GetAccountSummary');
  }
});
