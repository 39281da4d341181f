import { defineCheck, type Finding } from '../../src/model.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { snsTopics } from '../../src/facts/aws-account.js';
import { shellQuote } from '../lib/shell.js';

/** The alarm actions CloudWatch can run, by the ARN they target. */
const ACTION_KINDS = [
  { kind: 'sns', pattern: /^arn:aws[\w-]*:sns:/ },
  { kind: 'autoscaling', pattern: /^arn:aws[\w-]*:autoscaling:/ },
  { kind: 'lambda', pattern: /^arn:aws[\w-]*:lambda:/ },
  { kind: 'ssm', pattern: /^arn:aws[\w-]*:ssm(-incidents)?:/ },
  { kind: 'ec2', pattern: /^arn:aws[\w-]*:(automate:[\w-]+:ec2|swf:[\w-]+:\d+:action\/actions\/AWS_EC2)/ },
] as const;
const kindOf = (arn: string) => ACTION_KINDS.find((k) => k.pattern.test(arn))?.kind ?? null;

export default defineCheck({
  meta: {
    id: 'monitoring.alarms.actions',
    title: 'Alarms act when they fire',
    failureTitle: 'Alarms fire into nothing',
    description:
      'An alarm that fires into nothing is no alarm: the ALARM state of each one needs its actions enabled and at least one action: an SNS topic with a confirmed subscription (a subscription pending confirmation delivers nothing), an Auto Scaling policy, a Systems Manager OpsItem or incident, a Lambda function or an EC2 action. OK and INSUFFICIENT_DATA actions are optional and not counted.',
    section: 'monitoring',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(a)(6)'],
    phase: 4,
    remediation: {
      text: 'Create an SNS topic, subscribe the on-call address and confirm it, enable the alarm actions and add the topic to the alarm\'s ALARM actions (or point them at an Auto Scaling policy, SSM OpsItem/incident plan or Lambda function)',
      command: 'aws sns subscribe --topic-arn {{topicArn}} --protocol email --notification-endpoint oncall@example.com --region {{region}} && aws cloudwatch enable-alarm-actions --alarm-names {{resource}} --region {{region}}',
      effortMinutes: 30,
    },
    messages: {
      notifies: 'Alarm {{resource}} notifies {{topic}} in ALARM state ({{confirmed}} confirmed subscriptions)',
      acts: 'Alarm {{resource}} runs {{kinds}} action(s) in ALARM state',
      'actions-disabled': 'Alarm {{resource}} has its actions disabled',
      'no-action': 'Alarm {{resource}} has no action for its ALARM state',
      'topic-missing': 'Alarm {{resource}} notifies {{topic}}, which does not exist in {{region}}, and has no other action',
      'no-confirmed-subscription': 'Alarm {{resource}} notifies {{topic}}, which has no confirmed subscription ({{pending}} pending), and has no other action',
      'no-alarms': 'No CloudWatch alarm exists, so nothing can act on one',
    },
  },
  facts: { alarms: cloudwatchAlarms, topics: snsTopics },
  evaluate({ alarms, topics }) {
    if (alarms.length === 0) return [{ resource: 'cloudwatch', status: 'fail', code: 'no-alarms', args: { topic: 'arn:aws:sns:<region>:<account>:alerts', topicArn: 'arn:aws:sns:<region>:<account>:alerts', region: '<region>' } }];
    const byArn = new Map(topics.map((t) => [t.arn, t]));
    // The topic, where the fix names it, is one shell word.
    return alarms.map((alarm) => findingFor(alarm)).map((f) => ({ ...f, args: { ...f.args, topicArn: shellQuote(String(f.args?.topic)) } }));
    function findingFor(alarm: (typeof alarms)[number]): Finding {
      const snsActions = alarm.alarmActions.filter((arn) => kindOf(arn) === 'sns');
      const otherKinds = [...new Set(alarm.alarmActions.map(kindOf).filter((kind) => kind !== null && kind !== 'sns'))];
      const base = { resource: alarm.name, evidence: { arn: alarm.arn, actionsEnabled: alarm.actionsEnabled, alarmActions: alarm.alarmActions, state: 'ALARM' } };
      const args = { region: alarm.region, topic: snsActions[0] ?? `arn:aws:sns:${alarm.region}:<account>:alerts` };
      if (!alarm.actionsEnabled) return { ...base, status: 'fail', code: 'actions-disabled', args };
      const known = snsActions.map((arn) => byArn.get(arn)).filter((t) => t !== undefined);
      const confirmedCount = (t: (typeof known)[number]) => t.subscriptions.filter((s) => s.confirmed).length;
      const best = known.length ? known.reduce((a, b) => (confirmedCount(b) > confirmedCount(a) ? b : a)) : undefined;
      const confirmed = best ? confirmedCount(best) : 0;
      if (best && confirmed > 0) {
        const evidence = { ...base.evidence, topic: best.arn, confirmedSubscriptions: confirmed, pendingSubscriptions: best.subscriptions.length - confirmed, otherActions: otherKinds };
        return { ...base, evidence, status: 'pass', code: 'notifies', args: { ...args, topic: best.arn, confirmed } };
      }
      if (otherKinds.length > 0) return { ...base, evidence: { ...base.evidence, actionKinds: otherKinds }, status: 'pass', code: 'acts', args: { ...args, kinds: otherKinds.join(', ') } };
      if (snsActions.length === 0) return { ...base, status: 'fail', code: 'no-action', args };
      if (!best) return { ...base, status: 'fail', code: 'topic-missing', args };
      const evidence = { ...base.evidence, topic: best.arn, confirmedSubscriptions: 0, pendingSubscriptions: best.subscriptions.length };
      return { ...base, evidence, status: 'fail', code: 'no-confirmed-subscription', args: { ...args, topic: best.arn, pending: best.subscriptions.length } };
    }
  },
});
