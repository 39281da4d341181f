import { defineCheck, type Finding } from '../../src/model.js';
import { iamUsers } from '../../src/facts/aws-identity.js';
import { shellQuote } from '../lib/shell.js';

export default defineCheck({
  meta: {
    id: 'aws.iam.console-mfa',
    title: 'Every IAM user who can sign in to the console has MFA',
    failureTitle: 'An IAM user can sign in to the console without MFA',
    description: 'A console password alone is phished or reused; an IAM user with console access to the account that holds PHI must prove a second factor (person or entity authentication).',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text: 'Have the user assign an MFA device (IAM → Users → Security credentials → Assign MFA device), or remove their console password if they do not need it',
      command: 'aws iam delete-login-profile --user-name {{userName}}',
      effortMinutes: 10,
    },
    messages: {
      'mfa-enabled': 'IAM user {{user}} signs in to the console with MFA ({{devices}} device(s))',
      'no-mfa': 'IAM user {{user}} can sign in to the console WITHOUT MFA (password last used: {{lastUsed}})',
      'no-console-users': 'No IAM user has a console password',
    },
  },
  facts: { users: iamUsers },
  evaluate({ users }) {
    const console = users.filter((user) => user.consoleAccess);
    if (console.length === 0) return [{ resource: 'iam', status: 'pass', code: 'no-console-users', evidence: { users: users.length } }];
    return console.map((user): Finding => {
      const evidence = { mfaDevices: user.mfaDevices, passwordLastUsed: user.passwordLastUsed };
      // IAM user names are [\w+=,.@-]: nothing a shell reads, so no quoting is needed.
      if (user.mfaDevices > 0) return { resource: user.arn, status: 'pass', code: 'mfa-enabled', args: { user: user.name, devices: user.mfaDevices }, evidence };
      return { resource: user.arn, status: 'fail', code: 'no-mfa', args: { user: user.name, userName: shellQuote(user.name), lastUsed: user.passwordLastUsed ?? 'never' }, evidence };
    });
  },
});
