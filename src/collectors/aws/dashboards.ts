import { cloudwatchDashboards } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
import { pages } from './pages.js';
import { readEach } from '../read-each.js';

type Dashboard = FactValue<typeof cloudwatchDashboards>[number];

export const cloudwatchDashboardsCollector = defineCollector(cloudwatchDashboards, async (context) => {
  requireAws(context);
  const { paginateListDashboards, GetDashboardCommand } = await import('@aws-sdk/client-cloudwatch');
  const dashboards = new Map<string, Omit<Dashboard, 'body'> & { region: string }>();
  // Dashboards belong to the account, not a region, but each region's endpoint lists them: dedupe by ARN.
  for (const region of context.aws.regions) {
    const client = await context.aws.client('cloudwatch', region);
    try {
      for await (const page of pages(paginateListDashboards, { client }, {}, context.signal)) {
        for (const d of requireList(page, 'DashboardEntries', 'cloudwatch:ListDashboards')) {
          const arn = d.DashboardArn ?? d.DashboardName ?? '';
          if (!dashboards.has(arn)) dashboards.set(arn, { name: d.DashboardName ?? '', arn, lastModified: d.LastModified?.toISOString() ?? null, region });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'cloudwatch:ListDashboards');
    }
  }
  const listed = [...dashboards.values()];
  return readEach(context, listed, { name: (d) => d.name, limit: context.aws.pool('cloudwatch'), counting: 'cloudwatch dashboards' }, async ({ region, ...dashboard }): Promise<Dashboard> => {
    const client = await context.aws.client('cloudwatch', region);
    try {
      const answer = await client.send(new GetDashboardCommand({ DashboardName: dashboard.name }), { abortSignal: context.signal });
      return { ...dashboard, body: graphed(answer.DashboardBody) };
    } catch (error) {
      if (context.signal.aborted) throw error;
      // One unreadable body leaves the others usable: the check decides what it means.
      return { ...dashboard, body: { unreadable: awsFactError(error, 'cloudwatch:GetDashboard').message } };
    }
  });
});

/** Namespaces a metric-math expression reads: SEARCH('{AWS/RDS,…}' / 'Namespace="AWS/RDS"') and Metrics Insights FROM [SCHEMA(]"AWS/RDS". */
const EXPRESSION_NAMESPACE = /\{\s*"?([^",}\s]+)|Namespace\s*=\s*"?([^"',)\s]+)|FROM\s+(?:SCHEMA\(\s*)?"?([^"',)\s]+)/gi;

/** What a dashboard body graphs: its metric widgets and their namespaces. The body itself is not kept. */
export function graphed(body: string | undefined): NonNullable<Dashboard['body']> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { unreadable: 'cloudwatch:GetDashboard returned a body that is not JSON' };
  }
  const widgets = (parsed as { widgets?: unknown } | null)?.widgets;
  if (!Array.isArray(widgets)) return { unreadable: 'cloudwatch:GetDashboard returned a body without a widgets list' };
  const namespaces = new Set<string>();
  let metricWidgets = 0;
  for (const widget of widgets as { type?: unknown; properties?: { metrics?: unknown; annotations?: { alarms?: unknown } } }[]) {
    if (widget?.type !== 'metric') continue;
    const found = new Set<string>();
    // Rows are compact: [namespace, metric, dim, value, …, {options}]; "." and "..." repeat the row before; [{expression}] is metric math.
    let previous: string | undefined;
    for (const row of Array.isArray(widget.properties?.metrics) ? widget.properties.metrics : []) {
      if (!Array.isArray(row)) continue;
      const [first] = row as unknown[];
      if (typeof first === 'string') {
        previous = first === '.' || first === '...' ? previous : first;
        if (previous) found.add(previous);
      } else if (typeof (first as { expression?: unknown } | null)?.expression === 'string') {
        for (const m of (first as { expression: string }).expression.matchAll(EXPRESSION_NAMESPACE)) found.add((m[1] ?? m[2] ?? m[3])!);
      }
    }
    // A single-alarm widget graphs the alarm's metric without naming it.
    const alarms = widget.properties?.annotations?.alarms;
    if (found.size === 0 && !(Array.isArray(alarms) && alarms.length > 0)) continue;
    metricWidgets++;
    for (const namespace of found) namespaces.add(namespace);
  }
  return { metricWidgets, namespaces: [...namespaces].sort() };
}
