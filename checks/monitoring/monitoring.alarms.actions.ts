import { defineCheck, type Finding } from '../../src/model.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { snsTopics } from '../../src/facts/aws-account.js';

export default defineCheck({
  meta: {
    id: 'monitoring.alarms.actions',
    title: 'Alarms notify someone',
    failureTitle: 'Alarms notify nobody',
    description: 'An alarm that fires into nothing is no alarm: each one needs its actions enabled and an SNS topic with at least one confirmed subscription (a subscription pending confirmation delivers nothing).',
    section: 'monitoring',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(a)(6)'],
    phase: 4,
    remediation: {
      text: 'Create an SNS topic, subscribe the on-call address and confirm it, enable the alarm actions and point them at the topic',
      command: 'aws sns subscribe --topic-arn {{topic}} --protocol email --notification-endpoint oncall@example.com --region {{region}} && aws cloudwatch enable-alarm-actions --alarm-names {{resource}} --region {{region}}',
      effortMinutes: 30,
    },
    messages: {
      notifies: 'Alarm {{resource}} notifies {{topic}} ({{confirmed}} confirmed subscriptions)',
      'actions-disabled': 'Alarm {{resource}} has its actions disabled',
      'no-sns-action': 'Alarm {{resource}} has no SNS topic among its alarm actions',
      'topic-missing': 'Alarm {{resource}} notifies {{topic}}, which does not exist in {{region}}',
      'no-confirmed-subscription': 'Alarm {{resource}} notifies {{topic}}, which has no confirmed subscription ({{pending}} pending)',
      'no-alarms': 'No CloudWatch alarm exists, so nothing can notify anyone',
    },
  },
  facts: { alarms: cloudwatchAlarms, topics: snsTopics },
  evaluate({ alarms, topics }) {
    if (alarms.length === 0) return [{ resource: 'cloudwatch', status: 'fail', code: 'no-alarms', args: { topic: 'arn:aws:sns:<region>:<account>:alerts', region: '<region>' } }];
    const byArn = new Map(topics.map((t) => [t.arn, t]));
    return alarms.map((alarm): Finding => {
      const snsActions = alarm.alarmActions.filter((arn) => /^arn:aws[\w-]*:sns:/.test(arn));
      const base = { resource: alarm.name, evidence: { arn: alarm.arn, actionsEnabled: alarm.actionsEnabled, alarmActions: alarm.alarmActions } };
      const args = { region: alarm.region, topic: snsActions[0] ?? `arn:aws:sns:${alarm.region}:<account>:alerts` };
      if (!alarm.actionsEnabled) return { ...base, status: 'fail', code: 'actions-disabled', args };
      if (snsActions.length === 0) return { ...base, status: 'fail', code: 'no-sns-action', args };
      const known = snsActions.map((arn) => byArn.get(arn)).filter((t) => t !== undefined);
      if (known.length === 0) return { ...base, status: 'fail', code: 'topic-missing', args };
      const confirmedCount = (t: (typeof known)[number]) => t.subscriptions.filter((s) => s.confirmed).length;
      const best = known.reduce((a, b) => (confirmedCount(b) > confirmedCount(a) ? b : a));
      const confirmed = confirmedCount(best);
      const evidence = { ...base.evidence, topic: best.arn, confirmedSubscriptions: confirmed, pendingSubscriptions: best.subscriptions.length - confirmed };
      if (confirmed === 0) {
        return { ...base, evidence, status: 'fail', code: 'no-confirmed-subscription', args: { ...args, topic: best.arn, pending: best.subscriptions.length } };
      }
      return { ...base, evidence, status: 'pass', code: 'notifies', args: { ...args, topic: best.arn, confirmed } };
    });
  },
});
