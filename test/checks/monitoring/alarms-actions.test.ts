import { describe, expect, it } from 'vitest';
import alarmsActions from '../../../checks/monitoring/monitoring.alarms.actions.js';
import dashboards from '../../../checks/monitoring/monitoring.dashboards.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

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
    { name: 'an EC2 action alone notifies no one', facts: { alarms: [alarm({ alarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] })], topics: [] }, expected: [['rds-cpu', 'fail', 'no-notification']] },
    { name: 'an Auto Scaling policy alone notifies no one', facts: { alarms: [alarm({ alarmActions: ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:autoScalingGroupName/api:policyName/out'] })], topics: [] }, expected: [['rds-cpu', 'fail', 'no-notification']] },
    { name: 'an SSM OpsItem alone is unverified', facts: { alarms: [alarm({ alarmActions: ['arn:aws:ssm:us-east-1:123456789012:opsitem:3'] })], topics: [] }, expected: [['rds-cpu', 'unverified', 'action-unconfirmed']] },
    { name: 'an SSM incident plan alone is unverified', facts: { alarms: [alarm({ alarmActions: ['arn:aws:ssm-incidents::123456789012:response-plan/db'] })], topics: [] }, expected: [['rds-cpu', 'unverified', 'action-unconfirmed']] },
    { name: 'a Lambda function beside a topic nobody confirmed is unverified', facts: { alarms: [alarm({ alarmActions: [TOPIC, 'arn:aws:lambda:us-east-1:123456789012:function:page'] })], topics: [topic([{ protocol: 'email', confirmed: false }])] }, expected: [['rds-cpu', 'unverified', 'action-unconfirmed']] },
    { name: 'an unknown ARN is no action', facts: { alarms: [alarm({ alarmActions: ['arn:aws:s3:::bucket'] })], topics: [] }, expected: [['rds-cpu', 'fail', 'no-action']] },
    { name: 'a deleted topic fails', facts: { alarms: [alarm()], topics: [] }, expected: [['rds-cpu', 'fail', 'topic-missing']] },
    {
      name: 'the best of several topics counts, per alarm',
      facts: {
        alarms: [alarm({ alarmActions: ['arn:aws:sns:us-east-1:123456789012:empty', TOPIC] }), alarm({ name: 'api-5xx', alarmActions: [] })],
        topics: [topic([], 'arn:aws:sns:us-east-1:123456789012:empty'), topic([{ protocol: 'https', confirmed: true }])],
      },
      expected: [['rds-cpu', 'pass', 'notifies'], ['api-5xx', 'fail', 'no-action']],
    },
    { name: 'no alarms at all fails', facts: { alarms: [], topics: [topic([{ protocol: 'email', confirmed: true }])] }, expected: [['cloudwatch', 'fail', 'no-alarms']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsActions, c)).toEqual(c.expected));
});

describe('monitoring.dashboards', () => {
  const dashboard = (name: string, body?: unknown) => ({ name, arn: `arn:aws:cloudwatch::123456789012:dashboard/${name}`, lastModified: null, ...(body === undefined ? {} : { body }) });
  const graphs = (namespaces = ['AWS/RDS']) => ({ metricWidgets: 1, namespaces });
  const stub = { metricWidgets: 0, namespaces: [] };
  const cases: CheckCase[] = [
    { name: 'a dashboard graphing a metric passes', facts: { dashboards: [dashboard('health', graphs())] }, expected: [['cloudwatch', 'pass', 'present']] },
    { name: 'none fails', facts: { dashboards: [] }, expected: [['cloudwatch', 'fail', 'no-dashboards']] },
    { name: 'dashboards without metric widgets fail', facts: { dashboards: [dashboard('empty', stub), dashboard('notes', stub)] }, expected: [['cloudwatch', 'fail', 'no-metric-widgets']] },
    { name: 'a snapshot without bodies is unverified, not a pass', facts: { dashboards: [dashboard('health')] }, expected: [['cloudwatch', 'unverified', 'bodies-not-collected']] },
    { name: 'an unreadable body beside stubs is unverified', facts: { dashboards: [dashboard('empty', stub), dashboard('locked', { unreadable: 'AccessDenied calling cloudwatch:GetDashboard' })] }, expected: [['cloudwatch', 'unverified', 'body-unreadable']] },
    { name: 'an unreadable body does not hide a dashboard that graphs', facts: { dashboards: [dashboard('locked', { unreadable: 'not JSON' }), dashboard('health', graphs())] }, expected: [['cloudwatch', 'pass', 'present']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(dashboards, c)).toEqual(c.expected));

  it('names the namespaces graphed and the stubs', () => {
    expect(renderedMessages(dashboards, { dashboards: [dashboard('empty', stub), dashboard('health', graphs(['AWS/ApiGateway', 'AWS/RDS']))] })).toEqual([
      '1 dashboard(s) graph metrics: health (AWS/ApiGateway, AWS/RDS)',
    ]);
    expect(renderedMessages(dashboards, { dashboards: [dashboard('empty', stub), dashboard('notes', stub)] })).toEqual([
      'No dashboard graphs a metric: empty, notes have no metric widget',
    ]);
  });
});
