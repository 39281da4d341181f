import { defineCheck } from '../../src/model.js';
import { cloudwatchDashboards } from '../../src/facts/aws-account.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'monitoring.dashboards',
    title: 'A CloudWatch dashboard exists',
    failureTitle: 'No CloudWatch dashboard',
    description: 'Without a dashboard nobody can see the system\'s health at a glance during an incident (database load, API errors, latency).',
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
      present: '{{count}} dashboard(s): {{names}}',
      'no-dashboards': 'No CloudWatch dashboard exists in the account',
    },
  },
  facts: { dashboards: cloudwatchDashboards },
  evaluate({ dashboards }, { config }) {
    if (dashboards.length === 0) return [{ resource: 'cloudwatch', status: 'fail', code: 'no-dashboards', args: { dashboard: shellQuote(`${config.project}-health`) } }];
    const names = dashboards.map((d) => d.name);
    return [{ resource: 'cloudwatch', status: 'pass', code: 'present', args: { count: names.length, names: names.join(', '), dashboard: shellQuote(names[0]!) }, evidence: { dashboards: names } }];
  },
});
