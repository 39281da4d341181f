import { awsIdentity } from '../../facts/aws.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField } from './require.js';

export const identityCollector = defineCollector(awsIdentity, async (context) => {
  requireAws(context);
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const client = await context.aws.client('sts');
  try {
    const answer = await client.send(new GetCallerIdentityCommand({}), { abortSignal: context.signal });
    return { account: requireField(answer, 'Account', 'sts:GetCallerIdentity'), arn: answer.Arn ?? '', regions: context.aws.regions };
  } catch (error) {
    throw awsFactError(error, 'sts:GetCallerIdentity');
  }
});
