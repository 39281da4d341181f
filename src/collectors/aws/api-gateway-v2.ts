import { apiGatewayV2Stages } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';

/** API Gateway's IAM model has one read action for every GET, v1 and v2 alike (GetApis, GetStages, ...). */
const PERMISSION = 'apigateway:GET';

/**
 * Follows `NextToken` until the last page. The v2 SDK models no paginator for GetApis or
 * GetStages, so `pages()` cannot be used; each request still carries the run's abort signal.
 */
async function allPages<T>(operation: string, fetchPage: (nextToken: string | undefined) => Promise<{ Items?: T[]; NextToken?: string }>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    items.push(...requireList(page, 'Items', operation));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return items;
}

export const apiGatewayV2StagesCollector = defineCollector(apiGatewayV2Stages, async (context) => {
  requireAws(context);
  const { GetApisCommand, GetStagesCommand } = await import('@aws-sdk/client-apigatewayv2');
  const stages: FactValue<typeof apiGatewayV2Stages> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('apiGatewayV2', region);
    try {
      const apis = await allPages(`${PERMISSION} GetApis`, (NextToken) => client.send(new GetApisCommand({ MaxResults: '100', NextToken }), { abortSignal: context.signal }));
      for (const api of apis) {
        const apiId = api.ApiId ?? '';
        const apiStages = await allPages(`${PERMISSION} GetStages`, (NextToken) => client.send(new GetStagesCommand({ ApiId: apiId, MaxResults: '100', NextToken }), { abortSignal: context.signal }));
        for (const stage of apiStages) {
          const rateLimit = stage.DefaultRouteSettings?.ThrottlingRateLimit ?? null;
          const burstLimit = stage.DefaultRouteSettings?.ThrottlingBurstLimit ?? null;
          stages.push({
            apiId,
            apiName: api.Name ?? apiId,
            protocol: api.ProtocolType ?? 'HTTP',
            region,
            stage: stage.StageName ?? '',
            accessLogDestination: stage.AccessLogSettings?.DestinationArn || null,
            throttling: burstLimit === null && rateLimit === null ? null : { burstLimit, rateLimit },
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, PERMISSION);
    }
  }
  return stages;
});
