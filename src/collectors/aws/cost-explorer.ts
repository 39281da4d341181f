import type { ResultByTime } from '@aws-sdk/client-cost-explorer';
import { costByService } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';

type Period = NonNullable<FactValue<typeof costByService>['lastMonth']>;

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Cost Explorer is global (us-east-1): one query, monthly, from the first day of last month to tomorrow. */
export const costByServiceCollector = defineCollector(costByService, async (context) => {
  requireAws(context);
  const { GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
  const client = await context.aws.client('costExplorer', 'us-east-1');
  const now = context.now;
  const lastMonthStart = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  const thisMonthStart = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  // The end is exclusive: tomorrow includes today's partial costs and is never equal to the start.
  const end = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)));
  const periods = new Map<string, Period>();
  let currency = 'USD';
  let token: string | undefined;
  try {
    do {
      const answer = await client.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: lastMonthStart, End: end },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
          ...(token ? { NextPageToken: token } : {}),
        }),
        { abortSignal: context.signal },
      );
      for (const result of requireList(answer, 'ResultsByTime', 'ce:GetCostAndUsage')) currency = addResult(periods, result) ?? currency;
      token = answer.NextPageToken;
    } while (token);
  } catch (error) {
    throw awsFactError(error, 'ce:GetCostAndUsage');
  }
  return { currency, lastMonth: periods.get(lastMonthStart) ?? null, monthToDate: periods.get(thisMonthStart) ?? null };
});

/** Folds one time bucket (possibly split across pages) into its period; returns the currency seen. */
function addResult(periods: Map<string, Period>, result: ResultByTime): string | undefined {
  const start = result.TimePeriod?.Start ?? '';
  const period = periods.get(start) ?? { start, end: result.TimePeriod?.End ?? '', estimated: result.Estimated === true, total: 0, byService: {} };
  let unit: string | undefined;
  for (const group of result.Groups ?? []) {
    const metric = group.Metrics?.UnblendedCost;
    const amount = Number(metric?.Amount ?? 0);
    const service = group.Keys?.[0] ?? 'unknown';
    period.byService[service] = round((period.byService[service] ?? 0) + amount);
    period.total = round(period.total + amount);
    unit = metric?.Unit ?? unit;
  }
  if (!result.Groups?.length && result.Total?.UnblendedCost) {
    period.total = round(Number(result.Total.UnblendedCost.Amount ?? 0));
    unit = result.Total.UnblendedCost.Unit ?? unit;
  }
  periods.set(start, period);
  return unit;
}

const round = (n: number) => Math.round(n * 100) / 100;
