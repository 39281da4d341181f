import { z } from '../../src/zod.js';
import { defineCheck, type Finding } from '../../src/model.js';
import { iamUsers } from '../../src/facts/aws-identity.js';
import { shellQuote } from '../lib/shell.js';

const DAY_MS = 86_400_000;

export default defineCheck({
  meta: {
    id: 'aws.iam.access-key-age',
    title: 'IAM access keys are rotated and unused ones removed',
    failureTitle: 'An IAM access key is old or unused',
    description:
      'A long-lived access key stays valid in every laptop, CI log and backup it was ever copied to. Active keys must be younger than the rotation period, and a key nobody uses should not exist.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(5)(ii)(D)'],
    phase: 1,
    options: () => z.object({
      maxAgeDays: z.number().int().positive().default(90).describe('Oldest accepted active key, in days.'),
      maxUnusedDays: z.number().int().positive().default(90).describe('Longest an active key may go unused, in days.'),
    }),
    remediation: {
      text: 'Create a new key and switch its users to it (or to an IAM role), then deactivate the old key and delete it once nothing breaks',
      command: 'aws iam update-access-key --user-name {{userName}} --access-key-id {{keyId}} --status Inactive',
      effortMinutes: 30,
    },
    messages: {
      fresh: 'Access key {{key}} of {{user}} is {{ageDays}} days old and in use',
      old: 'Access key {{key}} of {{user}} is {{ageDays}} days old (limit {{maxAgeDays}})',
      unused: 'Access key {{key}} of {{user}} has not been used for {{unusedDays}} days',
      'never-used': 'Access key {{key}} of {{user}} was created {{ageDays}} days ago and never used',
      'date-unknown': 'The creation date of access key {{key}} of {{user}} was not reported',
      'no-keys': 'No active IAM user access key',
    },
  },
  facts: { users: iamUsers },
  evaluate({ users }, { now, options }) {
    const days = (iso: string) => Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS);
    const keys = users.flatMap((user) => user.accessKeys.filter((key) => key.status === 'Active').map((key) => ({ user, key })));
    if (keys.length === 0) return [{ resource: 'iam', status: 'pass', code: 'no-keys' }];
    return keys.map(({ user, key }): Finding => {
      const resource = `${user.name}/${key.id}`;
      const args = { user: user.name, key: key.id, userName: shellQuote(user.name), keyId: shellQuote(key.id), maxAgeDays: options.maxAgeDays };
      if (!key.created) return { resource, status: 'unverified', code: 'date-unknown', args };
      const ageDays = days(key.created);
      const unusedDays = key.lastUsed ? days(key.lastUsed) : null;
      const evidence = { created: key.created, lastUsed: key.lastUsed, ageDays };
      if (ageDays > options.maxAgeDays) return { resource, status: 'fail', code: 'old', args: { ...args, ageDays }, evidence };
      if (unusedDays === null && ageDays > options.maxUnusedDays) return { resource, status: 'fail', code: 'never-used', args: { ...args, ageDays }, evidence };
      if (unusedDays !== null && unusedDays > options.maxUnusedDays) return { resource, status: 'fail', code: 'unused', args: { ...args, unusedDays }, evidence };
      return { resource, status: 'pass', code: 'fresh', args: { ...args, ageDays }, evidence };
    });
  },
});
