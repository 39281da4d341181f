import { cloudwatchAlarms } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
import { pages } from './pages.js';

export const cloudwatchAlarmsCollector = defineCollector(cloudwatchAlarms, async (context) => {
  requireAws(context);
  const { paginateDescribeAlarms } = await import('@aws-sdk/client-cloudwatch');
  const alarms: FactValue<typeof cloudwatchAlarms> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('cloudwatch', region);
    try {
      for await (const page of pages(paginateDescribeAlarms, { client }, { AlarmTypes: ['MetricAlarm'] }, context.signal)) {
        for (const alarm of requireList(page, 'MetricAlarms', 'cloudwatch:DescribeAlarms')) {
          alarms.push({
            name: alarm.AlarmName ?? '',
            arn: alarm.AlarmArn ?? '',
            region,
            namespace: alarm.Namespace ?? null,
            metric: alarm.MetricName ?? null,
            threshold: alarm.Threshold ?? null,
            comparison: alarm.ComparisonOperator ?? null,
            statistic: alarm.Statistic ?? alarm.ExtendedStatistic ?? null,
            period: alarm.Period ?? null,
            evaluationPeriods: alarm.EvaluationPeriods ?? null,
            datapointsToAlarm: alarm.DatapointsToAlarm ?? null,
            dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? ''])),
            actionsEnabled: alarm.ActionsEnabled === true,
            alarmActions: alarm.AlarmActions ?? [],
            state: alarm.StateValue ?? null,
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'cloudwatch:DescribeAlarms');
    }
  }
  return alarms;
});
