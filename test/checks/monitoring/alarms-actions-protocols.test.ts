import { describe, expect, it } from 'vitest';
import alarmsActions from '../../../checks/monitoring/monitoring.alarms.actions.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Hole: a topic whose only confirmed subscriptions were Lambda, SQS, Firehose or mobile push endpoints passed ('notifies');
// AWS confirms those by itself and none of them is a person.
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';
const OTHER = 'arn:aws:sns:us-east-1:123456789012:archive';
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:page-oncall';
const alarm = (alarmActions: string[] = [TOPIC]) => ({
  name: 'rds-cpu', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:rds-cpu', region: 'us-east-1', namespace: 'AWS/RDS', metric: 'CPUUtilization',
  threshold: 80, comparison: 'GreaterThanThreshold', dimensions: {}, actionsEnabled: true, alarmActions, state: 'OK',
});
const sub = (protocol: string, confirmed = true) => ({ protocol, confirmed });
const topic = (subscriptions: { protocol: string; confirmed: boolean }[], arn = TOPIC) => ({ arn, region: 'us-east-1', subscriptions });

describe('monitoring.alarms.actions: a topic counts only with a confirmed subscription a person reads', () => {
  const cases: CheckCase[] = [
    ...['lambda', 'sqs', 'firehose', 'application'].map((protocol): CheckCase => ({
      name: `a topic whose only confirmed subscription is ${protocol} is unverified`,
      facts: { alarms: [alarm()], topics: [topic([sub(protocol)])] },
      expected: [['rds-cpu', 'unverified', 'machine-endpoints']],
    })),
    { name: 'lambda and sqs together are unverified', facts: { alarms: [alarm()], topics: [topic([sub('lambda'), sub('sqs')])] }, expected: [['rds-cpu', 'unverified', 'machine-endpoints']] },
    { name: 'an email pending confirmation beside a confirmed sqs is unverified', facts: { alarms: [alarm()], topics: [topic([sub('sqs'), sub('email', false)])] }, expected: [['rds-cpu', 'unverified', 'machine-endpoints']] },
    { name: 'a protocol the collector could not read is not a person', facts: { alarms: [alarm()], topics: [topic([sub('unknown')])] }, expected: [['rds-cpu', 'unverified', 'machine-endpoints']] },
    { name: 'a machine-only topic beside a Lambda action is unverified', facts: { alarms: [alarm([TOPIC, LAMBDA])], topics: [topic([sub('sqs')])] }, expected: [['rds-cpu', 'unverified', 'machine-endpoints']] },
    ...['email', 'email-json', 'sms', 'http', 'https'].map((protocol): CheckCase => ({
      name: `a confirmed ${protocol} subscription beside an sqs one passes`,
      facts: { alarms: [alarm()], topics: [topic([sub('sqs'), sub(protocol)])] },
      expected: [['rds-cpu', 'pass', 'notifies']],
    })),
    {
      name: 'a machine-only topic beside a topic with a confirmed email passes',
      facts: { alarms: [alarm([OTHER, TOPIC])], topics: [topic([sub('sqs'), sub('lambda')], OTHER), topic([sub('email')])] },
      expected: [['rds-cpu', 'pass', 'notifies']],
    },
    { name: 'no confirmed subscription at all still fails', facts: { alarms: [alarm()], topics: [topic([sub('email', false)])] }, expected: [['rds-cpu', 'fail', 'no-confirmed-subscription']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsActions, c)).toEqual(c.expected));

  it('names the alarm, the topic and the machine protocols, and the fix subscribes a person to that topic', () => {
    const facts = { alarms: [alarm()], topics: [topic([sub('lambda'), sub('sqs'), sub('sqs')])] };
    const [message] = renderedMessages(alarmsActions, facts);
    expect(message).toContain('rds-cpu');
    expect(message).toContain(TOPIC);
    expect(message).toContain('machine endpoints (lambda, sqs)');
    expect(message).toContain('whether a person is paged is not visible');
    const [command] = renderedCommands(alarmsActions, facts);
    expect(command).toBe(`aws sns subscribe --topic-arn ${TOPIC} --protocol email --notification-endpoint '<on-call-email>' --region us-east-1`);
  });

  it('the pass counts only the subscriptions that reach a person', () => {
    const [message] = renderedMessages(alarmsActions, { alarms: [alarm()], topics: [topic([sub('sqs'), sub('lambda'), sub('email')])] });
    expect(message).toContain('(1 confirmed subscriptions)');
  });
});
