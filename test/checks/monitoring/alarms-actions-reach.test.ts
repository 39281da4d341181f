import { describe, expect, it } from 'vitest';
import alarmsActions from '../../../checks/monitoring/monitoring.alarms.actions.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Hole: any Lambda, Auto Scaling, SSM or EC2 ARN made an alarm pass ('acts'), though nothing shows it reaches a person.
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';
const GONE = 'arn:aws:sns:us-east-1:123456789012:deleted';
const SCALE = 'arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0a1b:autoScalingGroupName/api:policyName/scale-out';
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:page-oncall';
const FOREIGN_LAMBDA = 'arn:aws:lambda:us-east-1:999999999999:function:does-not-exist';
const REBOOT = 'arn:aws:automate:us-east-1:ec2:reboot';
const alarm = (name: string, alarmActions: string[]) => ({
  name, arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`, region: 'us-east-1', namespace: 'AWS/CloudTrailMetrics', metric: 'RootLogin',
  threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', dimensions: {}, actionsEnabled: true, alarmActions, state: 'OK',
});
const topic = (subscriptions: { protocol: string; confirmed: boolean }[], arn = TOPIC) => ({ arn, region: 'us-east-1', subscriptions });

describe('monitoring.alarms.actions: only a person counts', () => {
  const cases: CheckCase[] = [
    { name: 'a Lambda function in another account, alone, is unverified', facts: { alarms: [alarm('root-login', [FOREIGN_LAMBDA])], topics: [] }, expected: [['root-login', 'unverified', 'action-unconfirmed']] },
    { name: 'a Lambda function of the same account, alone, is unverified', facts: { alarms: [alarm('root-login', [LAMBDA])], topics: [] }, expected: [['root-login', 'unverified', 'action-unconfirmed']] },
    { name: 'an EC2 reboot alone fails', facts: { alarms: [alarm('phi-access', [REBOOT])], topics: [] }, expected: [['phi-access', 'fail', 'no-notification']] },
    { name: 'an Auto Scaling policy alone fails', facts: { alarms: [alarm('phi-access', [SCALE])], topics: [] }, expected: [['phi-access', 'fail', 'no-notification']] },
    { name: 'a deleted topic beside an Auto Scaling policy fails', facts: { alarms: [alarm('root-login', [GONE, SCALE])], topics: [] }, expected: [['root-login', 'fail', 'topic-missing']] },
    { name: 'an unconfirmed topic beside an EC2 action fails', facts: { alarms: [alarm('root-login', [TOPIC, REBOOT])], topics: [topic([{ protocol: 'email', confirmed: false }])] }, expected: [['root-login', 'fail', 'no-confirmed-subscription']] },
    { name: 'an SSM OpsItem alone is unverified', facts: { alarms: [alarm('root-login', ['arn:aws:ssm:us-east-1:123456789012:opsitem:1#CATEGORY=Security'])], topics: [] }, expected: [['root-login', 'unverified', 'action-unconfirmed']] },
    { name: 'an SSM Incidents response plan alone is unverified', facts: { alarms: [alarm('root-login', ['arn:aws:ssm-incidents::123456789012:response-plan/security'])], topics: [] }, expected: [['root-login', 'unverified', 'action-unconfirmed']] },
    { name: 'a Lambda beside a deleted topic is unverified, not a pass', facts: { alarms: [alarm('root-login', [GONE, LAMBDA])], topics: [] }, expected: [['root-login', 'unverified', 'action-unconfirmed']] },
    { name: 'a confirmed topic beside an Auto Scaling policy passes', facts: { alarms: [alarm('root-login', [SCALE, TOPIC])], topics: [topic([{ protocol: 'email', confirmed: true }])] }, expected: [['root-login', 'pass', 'notifies']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsActions, c)).toEqual(c.expected));

  it('names the alarm and its actions, and says a foreign Lambda is in another account', () => {
    const [foreign, reboot] = renderedMessages(alarmsActions, { alarms: [alarm('root-login', [FOREIGN_LAMBDA]), alarm('phi-access', [REBOOT])], topics: [] });
    expect(foreign).toContain('root-login');
    expect(foreign).toContain(FOREIGN_LAMBDA);
    expect(foreign).toContain('999999999999');
    expect(reboot).toContain('phi-access');
    expect(reboot).toContain(REBOOT);
  });

  it('the fix adds a topic to the alarm and keeps its actions, quoted', () => {
    const [command] = renderedCommands(alarmsActions, { alarms: [alarm("root's login", [SCALE])], topics: [] });
    expect(command).toContain("aws sns subscribe --topic-arn 'arn:aws:sns:us-east-1:<account>:alerts'");
    expect(command).toContain(`--alarm-name 'root'\\''s login' --alarm-actions 'arn:aws:sns:us-east-1:<account>:alerts' ${SCALE} --region`);
  });
});
