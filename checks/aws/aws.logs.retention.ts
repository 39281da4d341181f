import { z } from '../../src/zod.js';
import { defineCheck, type Finding } from '../../src/model.js';
import { logGroups } from '../../src/facts/aws-detection.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'aws.logs.retention',
    title: 'Log groups keep their logs for the retention period',
    failureTitle: 'A log group deletes logs before the retention period',
    description:
      'HIPAA asks that required documentation be kept six years; audit and application logs that expire after a week or a month are gone when an investigation or audit asks for them. Encryption: CloudWatch Logs encrypts every log group at rest, always (AES-256 with a service-owned key, which cannot be turned off), so "encrypted" holds for every group and is not a separate finding; HIPAA\'s encryption specification (164.312(a)(2)(iv)) does not ask for a customer-managed key. A KMS key on the group (key policy control, audit of key use, crypto-shredding) is recorded as evidence, and required with the option `requireKms: true` where your policy asks for one.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.316(b)(2)(i)'],
    phase: 4,
    options: () => z.object({
      minRetentionDays: z.number().int().positive().default(2192).describe('Shortest accepted retention, in days (six years by default).'),
      requireKms: z.boolean().default(false).describe('Also require a customer-managed KMS key on each log group.'),
    }),
    remediation: {
      text: 'Set the log group’s retention to at least six years (2192 days), or export older logs to S3 Glacier',
      command: 'aws logs put-retention-policy --log-group-name {{group}} --retention-in-days {{days}} --region {{region}}',
      effortMinutes: 5,
    },
    messages: {
      retained: 'Log group {{name}} keeps logs {{kept}}, encrypted at rest ({{encryption}})',
      'too-short': 'Log group {{name}} deletes logs after {{retention}} days (required: {{days}})',
      'no-kms': 'Log group {{name}} is not encrypted with a customer-managed KMS key',
      'no-log-groups': 'No CloudWatch Logs log group in the selected regions',
    },
  },
  facts: { groups: logGroups },
  evaluate({ groups }, { options }) {
    if (groups.length === 0) return [{ resource: 'logs', status: 'not_applicable', code: 'no-log-groups' }];
    return groups.map((group): Finding => {
      const args = { name: group.name, group: shellQuote(group.name), days: options.minRetentionDays, region: group.region };
      const evidence = { retentionDays: group.retentionDays ?? 'never expire', kmsKeyId: group.kmsKeyId, encryption: group.kmsKeyId ? 'KMS key' : 'CloudWatch Logs service key' };
      if (group.retentionDays !== null && group.retentionDays < options.minRetentionDays) return { resource: group.arn || group.name, status: 'fail', code: 'too-short', args: { ...args, retention: group.retentionDays }, evidence };
      if (options.requireKms && !group.kmsKeyId) return { resource: group.arn || group.name, status: 'fail', code: 'no-kms', args: { name: group.name }, evidence };
      const encryption = group.kmsKeyId ? `KMS key ${group.kmsKeyId}` : 'CloudWatch Logs service key';
      return { resource: group.arn || group.name, status: 'pass', code: 'retained', args: { ...args, kept: group.retentionDays === null ? 'forever' : `${group.retentionDays} days`, encryption }, evidence };
    });
  },
});
