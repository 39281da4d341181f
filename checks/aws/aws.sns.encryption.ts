import { defineCheck, type Finding } from '../../src/model.js';
import { snsAlarmTopicEncryption } from '../../src/facts/aws-account.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';

/** What CloudWatch needs of the key to publish to an encrypted topic. */
const NEEDED = ['kms:Decrypt', 'kms:GenerateDataKey'];
const grants = (actions: string[], needed: string) =>
  actions.some((action) => {
    const pattern = action.toLowerCase();
    return pattern === '*' || pattern === needed.toLowerCase() || (pattern.endsWith('*') && needed.toLowerCase().startsWith(pattern.slice(0, -1)));
  });

export default defineCheck({
  meta: {
    id: 'aws.sns.encryption',
    title: 'Alert topics are encrypted with a key CloudWatch can use',
    failureTitle: 'An alert topic is not encrypted with a usable customer-managed key',
    description:
      'Alarm notifications can name PHI-bearing resources and carry their details, so the topics alarms notify are encrypted at rest with KMS. The key must be customer-managed with a key policy that lets cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*): CloudWatch cannot use the AWS-managed aws/sns key, whose policy cannot be changed, so a topic encrypted with it silently drops every alarm; so does a key that is disabled or pending deletion. Only the topics of alarm actions are read.',
    section: 'aws',
    severity: 'low',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(2)(iv)'],
    phase: 4,
    remediation: {
      text: 'Create (or pick) a customer-managed KMS key whose key policy allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* (besides the account root), then set it on the topic. Do not use alias/aws/sns: CloudWatch cannot use it and alarms stop being delivered.',
      command: 'aws sns set-topic-attributes --topic-arn {{resource}} --attribute-name KmsMasterKeyId --attribute-value <customer-managed-key-arn> --region {{region}}',
      effortMinutes: 20,
    },
    messages: {
      encrypted: 'Topic {{resource}} is encrypted with customer-managed key {{key}}, which CloudWatch may use',
      unencrypted: 'Topic {{resource}} is not encrypted at rest',
      'aws-managed-key': 'Topic {{resource}} is encrypted with the AWS-managed key {{key}}: CloudWatch cannot use it, so alarms are not delivered',
      'cloudwatch-not-allowed': 'The key policy of {{key}} (topic {{resource}}) does not let cloudwatch.amazonaws.com use the key: alarms are not delivered',
      'key-missing': 'Topic {{resource}} names key {{key}}, which was not found: messages cannot be encrypted',
      'key-unknown': 'Who manages key {{key}} of topic {{resource}} is unknown',
      'key-not-enabled': 'Key {{key}} of topic {{resource}} is {{state}}: nothing can be published to the topic, so alarms are not delivered',
      'key-state-unknown': 'Whether key {{key}} of topic {{resource}} is enabled was not collected (a snapshot from before): collect again',
      'topic-missing': 'Topic {{resource}} that an alarm notifies does not exist (see monitoring.alarms.actions)',
      'no-alarm-topics': 'No alarm notifies an SNS topic',
    },
  },
  // The alarms name the topics read (the topic fact is built from them).
  facts: { alarms: cloudwatchAlarms, topics: snsAlarmTopicEncryption },
  evaluate({ alarms, topics }) {
    if (topics.length === 0) return [{ resource: 'sns', status: 'not_applicable', code: 'no-alarm-topics', evidence: { alarms: alarms.length } }];
    return topics.map((topic): Finding => {
      const args = { region: topic.region, key: topic.key?.arn ?? topic.kmsKeyId ?? 'none' };
      const evidence = { kmsKeyId: topic.kmsKeyId, keyManager: topic.key?.manager ?? null, keyState: topic.key?.state ?? null, cloudWatchActions: topic.key?.cloudWatchActions?.join(', ') ?? null };
      const base = { resource: topic.arn, args, evidence };
      if (!topic.found) return { ...base, status: 'not_applicable', code: 'topic-missing' };
      if (!topic.kmsKeyId) return { ...base, status: 'fail', code: 'unencrypted' };
      if (!topic.key) return { ...base, status: 'fail', code: 'key-missing' };
      if (topic.key.manager === 'AWS') return { ...base, status: 'fail', code: 'aws-managed-key' };
      if (topic.key.manager !== 'CUSTOMER') return { ...base, status: 'unverified', code: 'key-unknown' };
      // A disabled key, or one pending deletion, encrypts nothing: every publish fails.
      if (topic.key.state === undefined || topic.key.state === null) return { ...base, status: 'unverified', code: 'key-state-unknown' };
      if (topic.key.state !== 'Enabled') return { ...base, status: 'fail', code: 'key-not-enabled', args: { ...args, state: topic.key.state } };
      const actions = topic.key.cloudWatchActions ?? [];
      if (!NEEDED.every((needed) => grants(actions, needed))) return { ...base, status: 'fail', code: 'cloudwatch-not-allowed' };
      return { ...base, status: 'pass', code: 'encrypted' };
    });
  },
});
