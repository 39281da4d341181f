import { cloudwatchDashboards } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
import { pages } from './pages.js';

export const cloudwatchDashboardsCollector = defineCollector(cloudwatchDashboards, async (context) => {
  requireAws(context);
  const { paginateListDashboards } = await import('@aws-sdk/client-cloudwatch');
  const dashboards = new Map<string, FactValue<typeof cloudwatchDashboards>[number]>();
  // Dashboards belong to the account, not a region, but each region's endpoint lists them: dedupe by ARN.
  for (const region of context.aws.regions) {
    const client = await context.aws.client('cloudwatch', region);
    try {
      for await (const page of pages(paginateListDashboards, { client }, {}, context.signal)) {
        for (const d of requireList(page, 'DashboardEntries', 'cloudwatch:ListDashboards')) {
          const arn = d.DashboardArn ?? d.DashboardName ?? '';
          dashboards.set(arn, { name: d.DashboardName ?? '', arn, lastModified: d.LastModified?.toISOString() ?? null });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'cloudwatch:ListDashboards');
    }
  }
  return [...dashboards.values()];
});
