import { describe, expect, it } from 'vitest';
import alarmsActions from '../../../checks/monitoring/monitoring.alarms.actions.js';
import dashboards from '../../../checks/monitoring/monitoring.dashboards.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';
const alarm = (over: Record<string, unknown> = {}) => ({
  name: 'rds-cpu', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:rds-cpu', region: 'us-east-1', namespace: 'AWS/RDS', metric: 'CPUUtilization',
  threshold: 80, comparison: 'GreaterThanThreshold', dimensions: {}, actionsEnabled: true, alarmActions: [TOPIC], state: 'OK', ...over,
});
const topic = (subscriptions: { protocol: string; confirmed: boolean }[], arn = TOPIC) => ({ arn, region: 'us-east-1', subscriptions });

describe('monitoring.alarms.actions', () => {
  const cases: CheckCase[] = [
    { name: 'alarm to a topic with a confirmed subscription passes', facts: { alarms: [alarm()], topics: [topic([{ protocol: 'email', confirmed: true }])] }, expected: [['rds-cpu', 'pass', 'notifies']] },
    { name: 'a pending subscription is not confirmed', facts: { alarms: [alarm()], topics: [topic([{ protocol: 'email', confirmed: false }])] }, expected: [['rds-cpu', 'fail', 'no-confirmed-subscription']] },
    { name: 'topic without subscriptions fails', facts: { alarms: [alarm()], topics: [topic([])] }, expected: [['rds-cpu', 'fail', 'no-confirmed-subscription']] },
    { name: 'disabled actions fail even with a good topic', facts: { alarms: [alarm({ actionsEnabled: false })], topics: [topic([{ protocol: 'email', confirmed: true }])] }, expected: [['rds-cpu', 'fail', 'actions-disabled']] },
    { name: 'non-SNS actions only fail', facts: { alarms: [alarm({ alarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] })], topics: [] }, expected: [['rds-cpu', 'fail', 'no-sns-action']] },
    { name: 'a deleted topic fails', facts: { alarms: [alarm()], topics: [] }, expected: [['rds-cpu', 'fail', 'topic-missing']] },
    {
      name: 'the best of several topics counts, per alarm',
      facts: {
        alarms: [alarm({ alarmActions: ['arn:aws:sns:us-east-1:123456789012:empty', TOPIC] }), alarm({ name: 'api-5xx', alarmActions: [] })],
        topics: [topic([], 'arn:aws:sns:us-east-1:123456789012:empty'), topic([{ protocol: 'https', confirmed: true }])],
      },
      expected: [['rds-cpu', 'pass', 'notifies'], ['api-5xx', 'fail', 'no-sns-action']],
    },
    { name: 'no alarms at all fails', facts: { alarms: [], topics: [topic([{ protocol: 'email', confirmed: true }])] }, expected: [['cloudwatch', 'fail', 'no-alarms']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsActions, c)).toEqual(c.expected));
});

describe('monitoring.dashboards', () => {
  const cases: CheckCase[] = [
    { name: 'one dashboard passes', facts: { dashboards: [{ name: 'health', arn: 'arn:aws:cloudwatch::1:dashboard/health', lastModified: null }] }, expected: [['cloudwatch', 'pass', 'present']] },
    { name: 'none fails', facts: { dashboards: [] }, expected: [['cloudwatch', 'fail', 'no-dashboards']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(dashboards, c)).toEqual(c.expected));
});
