import { apiGatewayStages } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
import { pages } from './pages.js';

/** API Gateway's IAM model has one read action for every GET (GetRestApis, GetStages, ...). */
const PERMISSION = 'apigateway:GET';

export const apiGatewayStagesCollector = defineCollector(apiGatewayStages, async (context) => {
  requireAws(context);
  const { paginateGetRestApis, GetStagesCommand } = await import('@aws-sdk/client-api-gateway');
  const stages: FactValue<typeof apiGatewayStages> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('apiGateway', region);
    try {
      for await (const page of pages(paginateGetRestApis, { client }, { limit: 500 }, context.signal)) {
        for (const api of requireList(page, 'items', `${PERMISSION} GetRestApis`)) {
          const apiId = api.id ?? '';
          // GetStages is not paginated: it returns every stage of the API.
          const answer = await client.send(new GetStagesCommand({ restApiId: apiId }), { abortSignal: context.signal });
          for (const stage of requireList(answer, 'item', `${PERMISSION} GetStages`)) {
            const all = stage.methodSettings?.['*/*'];
            const burstLimit = all?.throttlingBurstLimit ?? null;
            const rateLimit = all?.throttlingRateLimit ?? null;
            stages.push({
              apiId,
              apiName: api.name ?? apiId,
              region,
              stage: stage.stageName ?? '',
              accessLogDestination: stage.accessLogSettings?.destinationArn || null,
              throttling: burstLimit === null && rateLimit === null ? null : { burstLimit, rateLimit },
            });
          }
        }
      }
    } catch (error) {
      throw awsFactError(error, PERMISSION);
    }
  }
  return stages;
});
