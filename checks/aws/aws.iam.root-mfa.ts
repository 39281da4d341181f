import { defineCheck, optional } from '../../src/model.js';
import { awsIdentity } from '../../src/facts/aws.js';
import { iamAccountSummary } from '../../src/facts/aws-account.js';

export default defineCheck({
  meta: {
    id: 'aws.iam.root-mfa',
    title: 'Root account has MFA',
    failureTitle: 'Root account has no MFA',
    description: 'The root user can do anything in the account, including deleting every PHI store and its backups; a password alone must not be enough to sign in as root.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text: 'Sign in as root and assign an MFA device (a hardware key or an authenticator app): IAM → Security credentials → Assign MFA device',
      command: 'open https://console.aws.amazon.com/iam/home#/security_credentials',
      effortMinutes: 15,
    },
    messages: {
      enabled: 'MFA is enabled for the root user of account {{resource}}',
      disabled: 'The root user of account {{resource}} has NO MFA',
    },
  },
  facts: { summary: iamAccountSummary, identity: optional(awsIdentity) },
  evaluate({ summary, identity }, { config }) {
    const resource = (identity.ok ? identity.value.account : undefined) ?? config.aws?.accountId ?? 'root';
    const evidence = { AccountMFAEnabled: summary.rootMfaEnabled ? 1 : 0 };
    return [{ resource, status: summary.rootMfaEnabled ? 'pass' : 'fail', code: summary.rootMfaEnabled ? 'enabled' : 'disabled', evidence }];
  },
});
