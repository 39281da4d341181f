import { defineCheck } from '../../src/model.js';
import { cloudwatchDashboards } from '../../src/facts/aws-account.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'monitoring.dashboards',
    title: 'A CloudWatch dashboard exists',
    failureTitle: 'No CloudWatch dashboard',
    description:
      'Without a dashboard nobody can see the system\'s health at a glance during an incident (database load, API errors, latency). Only a dashboard that graphs at least one metric counts: an empty one, or one of text widgets only, is a stub.',
    section: 'monitoring',
    severity: 'medium',
    layer: 'operational',
    hipaa: [],
    phase: 4,
    remediation: {
      text: 'Create a dashboard with the database, API Gateway and CloudFront metrics',
      command: 'aws cloudwatch put-dashboard --dashboard-name {{dashboard}} --dashboard-body file://<dashboard-body-file>',
      effortMinutes: 60,
    },
    messages: {
      present: '{{count}} dashboard(s) graph metrics: {{graphing}}',
      'no-dashboards': 'No CloudWatch dashboard exists in the account',
      'no-metric-widgets': 'No dashboard graphs a metric: {{names}} have no metric widget',
      'body-unreadable': 'No readable dashboard graphs a metric, and the body of {{unreadable}} could not be read',
      'bodies-not-collected': 'The dashboards\' bodies were not collected ({{names}}): whether any graphs a metric is unknown; collect again',
    },
  },
  facts: { dashboards: cloudwatchDashboards },
  evaluate({ dashboards }, { config }) {
    const fresh = shellQuote(`${config.project}-health`);
    if (dashboards.length === 0) return [{ resource: 'cloudwatch', status: 'fail', code: 'no-dashboards', args: { dashboard: fresh } }];
    // An empty or text-only dashboard is a stub: only one that graphs a metric shows the system's health.
    const graphing = dashboards.flatMap((d) => (d.body && 'metricWidgets' in d.body && d.body.metricWidgets > 0 ? [{ name: d.name, namespaces: d.body.namespaces }] : []));
    if (graphing.length > 0) {
      const described = graphing.map((d) => (d.namespaces.length ? `${d.name} (${d.namespaces.join(', ')})` : d.name)).join('; ');
      const namespaces = [...new Set(graphing.flatMap((d) => d.namespaces))].sort();
      return [{ resource: 'cloudwatch', status: 'pass', code: 'present', args: { count: graphing.length, graphing: described, dashboard: shellQuote(graphing[0]!.name) }, evidence: { dashboards: graphing.map((d) => d.name), namespaces } }];
    }
    const names = dashboards.map((d) => d.name).join(', ');
    const notCollected = dashboards.filter((d) => d.body === undefined);
    if (notCollected.length > 0) return [{ resource: 'cloudwatch', status: 'unverified', code: 'bodies-not-collected', args: { names: notCollected.map((d) => d.name).join(', '), dashboard: fresh } }];
    const unreadable = dashboards.flatMap((d) => (d.body && 'unreadable' in d.body ? [`${d.name} (${d.body.unreadable})`] : []));
    if (unreadable.length > 0) return [{ resource: 'cloudwatch', status: 'unverified', code: 'body-unreadable', args: { unreadable: unreadable.join('; '), dashboard: fresh } }];
    return [{ resource: 'cloudwatch', status: 'fail', code: 'no-metric-widgets', args: { names, dashboard: shellQuote(dashboards[0]!.name) }, evidence: { dashboards: dashboards.map((d) => d.name) } }];
  },
});
