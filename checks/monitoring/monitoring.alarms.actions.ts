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
/** They act on instances and notify no one. */
const MACHINE_ONLY = new Set<string>(['autoscaling', 'ec2']);
/** SNS delivers to a person only through these; AWS confirms Lambda, SQS, Firehose and mobile push subscriptions by itself. */
const PERSON_PROTOCOLS = new Set(['email', 'email-json', 'sms', 'http', 'https']);

export default defineCheck({
  meta: {
    id: 'monitoring.alarms.actions',
    title: 'Alarms act when they fire',
    failureTitle: 'Alarms fire into nothing',
    description:
      'An alarm that fires into nothing is no alarm: the ALARM state of each one needs its actions enabled and an SNS topic with a confirmed subscription among its actions (a subscription pending confirmation delivers nothing). A Lambda function, a Systems Manager OpsItem or incident response plan may reach a person, but readiness cannot follow them to one: alone they leave the alarm unverified. Auto Scaling policies and EC2 actions act on instances and notify no one: alone they fail. OK and INSUFFICIENT_DATA actions are optional and not counted.',
    section: 'monitoring',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(a)(6)'],
    phase: 4,
    remediation: {
      text: 'Create an SNS topic, subscribe the on-call address and confirm it, enable the alarm actions and add the topic to the alarm\'s ALARM actions, beside any Auto Scaling, EC2, Lambda or SSM action it keeps',
      command: '{{fix}}',
      effortMinutes: 30,
    },
    messages: {
      notifies: 'Alarm {{resource}} notifies {{topic}} in ALARM state ({{confirmed}} confirmed subscriptions)',
      'machine-endpoints': 'Alarm {{resource}} notifies {{topic}}, which delivers only to machine endpoints ({{protocols}}): whether a person is paged is not visible; subscribe the on-call address',
      'action-unconfirmed': 'Alarm {{resource}} calls {{actions}} in ALARM state, which readiness cannot follow to a person; add an SNS topic with a confirmed subscription',
      'no-notification': 'Alarm {{resource}} only runs {{actions}} in ALARM state: they act on instances, they notify no one',
      'actions-disabled': 'Alarm {{resource}} has its actions disabled',
      'no-action': 'Alarm {{resource}} has no action for its ALARM state',
      'topic-missing': 'Alarm {{resource}} notifies {{topic}}, which does not exist in {{region}}, and no other action that notifies anyone',
      'no-confirmed-subscription': 'Alarm {{resource}} notifies {{topic}}, which has no confirmed subscription ({{pending}} pending), and no other action that notifies anyone',
      'no-alarms': 'No CloudWatch alarm exists, so nothing can act on one',
    },
  },
  facts: { alarms: cloudwatchAlarms, topics: snsTopics },
  evaluate({ alarms, topics }) {
    if (alarms.length === 0) {
      const fix = "aws sns create-topic --name alerts --region <region> && aws sns subscribe --topic-arn arn:aws:sns:<region>:<account>:alerts --protocol email --notification-endpoint '<on-call-email>' --region <region>";
      return [{ resource: 'cloudwatch', status: 'fail', code: 'no-alarms', args: { fix } }];
    }
    const byArn = new Map(topics.map((t) => [t.arn, t]));
    return alarms.map((alarm) => findingFor(alarm));
    function findingFor(alarm: (typeof alarms)[number]): Finding {
      const snsActions = alarm.alarmActions.filter((arn) => kindOf(arn) === 'sns');
      const otherActions = alarm.alarmActions.filter((arn) => kindOf(arn) !== null && kindOf(arn) !== 'sns');
      const otherKinds = [...new Set(otherActions.map((arn) => kindOf(arn)!))];
      // A Lambda function or SSM item may page someone, but nothing in the facts shows whom.
      const unfollowed = otherActions.filter((arn) => !MACHINE_ONLY.has(kindOf(arn)!));
      const alarmAccount = alarm.arn.split(':')[4];
      const named = (arns: string[]) =>
        arns.map((arn) => (kindOf(arn) === 'lambda' && arn.split(':')[4] !== alarmAccount ? `${arn} (in account ${arn.split(':')[4]}, not the alarm's ${alarmAccount})` : arn)).join(', ');
      const base = { resource: alarm.name, evidence: { arn: alarm.arn, actionsEnabled: alarm.actionsEnabled, alarmActions: alarm.alarmActions, state: 'ALARM' } };
      const topic = snsActions[0] ?? `arn:aws:sns:${alarm.region}:<account>:alerts`;
      const known = snsActions.map((arn) => byArn.get(arn)).filter((t) => t !== undefined);
      const confirmedOf = (t: (typeof known)[number]) => t.subscriptions.filter((s) => s.confirmed);
      const reachCount = (t: (typeof known)[number]) => confirmedOf(t).filter((s) => PERSON_PROTOCOLS.has(s.protocol)).length;
      // The topic that reaches most people; failing that, the one with most confirmed machine endpoints.
      const better = (a: (typeof known)[number], b: (typeof known)[number]) => reachCount(b) - reachCount(a) || confirmedOf(b).length - confirmedOf(a).length;
      const best = known.length ? known.reduce((a, b) => (better(a, b) > 0 ? b : a)) : undefined;
      const confirmed = best ? reachCount(best) : 0;
      const machines = best ? confirmedOf(best).filter((s) => !PERSON_PROTOCOLS.has(s.protocol)) : [];
      const enable = `aws cloudwatch enable-alarm-actions --alarm-names ${shellQuote(alarm.name)} --region ${alarm.region}`;
      // A topic the alarm names but that is gone is created again (create-topic is idempotent); someone must subscribe and confirm.
      const subscribe = `${best || snsActions.length === 0 ? '' : `aws sns create-topic --name ${shellQuote(topic.split(':').at(-1)!)} --region ${alarm.region} && `}aws sns subscribe --topic-arn ${shellQuote(best?.arn ?? topic)} --protocol email --notification-endpoint '<on-call-email>' --region ${alarm.region}`;
      // An alarm without an SNS action needs one added, which put-metric-alarm does only with the alarm's whole definition;
      // it replaces the whole list of actions, so the ones the alarm has are kept.
      const addAction = `aws cloudwatch put-metric-alarm --alarm-name ${shellQuote(alarm.name)} --alarm-actions ${[topic, ...otherActions].map(shellQuote).join(' ')} --region ${alarm.region} <other-alarm-settings>`;
      const notifies = best && confirmed > 0;
      const fix = [...(snsActions.length === 0 ? [subscribe, addAction] : notifies ? [] : [subscribe]), ...(alarm.actionsEnabled ? [] : [enable])].join(' && ');
      const args = { region: alarm.region, topic, fix };
      if (!alarm.actionsEnabled) return { ...base, status: 'fail', code: 'actions-disabled', args };
      if (best && confirmed > 0) {
        const evidence = { ...base.evidence, topic: best.arn, confirmedSubscriptions: confirmed, machineSubscriptions: machines.length, pendingSubscriptions: best.subscriptions.length - confirmed - machines.length, otherActions: otherKinds };
        return { ...base, evidence, status: 'pass', code: 'notifies', args: { ...args, topic: best.arn, confirmed } };
      }
      if (best && machines.length > 0) {
        const protocols = [...new Set(machines.map((s) => s.protocol))].sort();
        const evidence = { ...base.evidence, topic: best.arn, confirmedSubscriptions: 0, machineSubscriptions: machines.length, machineProtocols: protocols, pendingSubscriptions: best.subscriptions.length - machines.length, otherActions: otherKinds };
        return { ...base, evidence, status: 'unverified', code: 'machine-endpoints', args: { ...args, topic: best.arn, protocols: protocols.join(', ') } };
      }
      if (unfollowed.length > 0) {
        return { ...base, evidence: { ...base.evidence, actionKinds: otherKinds, unfollowedActions: unfollowed, topic: snsActions.length ? (best?.arn ?? topic) : null, topicFound: snsActions.length ? best !== undefined : null }, status: 'unverified', code: 'action-unconfirmed', args: { ...args, actions: named(unfollowed) } };
      }
      if (snsActions.length === 0 && otherActions.length > 0) {
        return { ...base, evidence: { ...base.evidence, actionKinds: otherKinds }, status: 'fail', code: 'no-notification', args: { ...args, actions: named(otherActions) } };
      }
      if (snsActions.length === 0) return { ...base, status: 'fail', code: 'no-action', args };
      if (!best) return { ...base, status: 'fail', code: 'topic-missing', args };
      const evidence = { ...base.evidence, topic: best.arn, confirmedSubscriptions: 0, pendingSubscriptions: best.subscriptions.length };
      return { ...base, evidence, status: 'fail', code: 'no-confirmed-subscription', args: { ...args, topic: best.arn, pending: best.subscriptions.length } };
    }
  },
});
