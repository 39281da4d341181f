import { z } from 'zod';
import { defineCheck, type Finding } from '../../src/model.js';
import { logGroups } from '../../src/facts/aws-detection.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'aws.logs.retention',
    title: 'Log groups keep their logs for the retention period',
    failureTitle: 'A log group deletes logs before the retention period',
    description:
      'HIPAA asks that required documentation be kept six years; audit and application logs that expire after a week or a month are gone when an investigation or audit asks for them. CloudWatch Logs always encrypts data at rest; a customer-managed KMS key is recorded as evidence and required only with `requireKms`.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.316(b)(2)(i)'],
    phase: 4,
    options: z.object({
      minRetentionDays: z.number().int().positive().default(2192).describe('Shortest accepted retention, in days (six years by default).'),
      requireKms: z.boolean().default(false).describe('Also require a customer-managed KMS key on each log group.'),
    }),
    remediation: {
      text: 'Set the log group’s retention to at least six years (2192 days), or export older logs to S3 Glacier',
      command: 'aws logs put-retention-policy --log-group-name {{group}} --retention-in-days {{days}} --region {{region}}',
      effortMinutes: 5,
    },
    messages: {
      retained: 'Log group {{name}} keeps logs {{kept}}',
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
      const evidence = { retentionDays: group.retentionDays ?? 'never expire', kmsKeyId: group.kmsKeyId };
      if (group.retentionDays !== null && group.retentionDays < options.minRetentionDays) return { resource: group.arn || group.name, status: 'fail', code: 'too-short', args: { ...args, retention: group.retentionDays }, evidence };
      if (options.requireKms && !group.kmsKeyId) return { resource: group.arn || group.name, status: 'fail', code: 'no-kms', args: { name: group.name }, evidence };
      return { resource: group.arn || group.name, status: 'pass', code: 'retained', args: { ...args, kept: group.retentionDays === null ? 'forever' : `${group.retentionDays} days` }, evidence };
    });
  },
});
