import { defineCheck, optional } from '../../src/model.js';
import { awsIdentity } from '../../src/facts/aws.js';
import { iamAccountSummary } from '../../src/facts/aws-account.js';

export default defineCheck({
  meta: {
    id: 'aws.iam.root-access-keys',
    title: 'Root account has no access keys',
    failureTitle: 'Root account has access keys',
    description: 'A root access key is a permanent credential with unlimited power that MFA does not protect; AWS recommends having none.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Sign in as root, deactivate and delete its access keys (IAM → Security credentials → Access keys); use IAM roles instead',
      command: 'open https://console.aws.amazon.com/iam/home#/security_credentials',
      effortMinutes: 15,
    },
    messages: {
      absent: 'The root user of account {{resource}} has no access keys',
      present: 'The root user of account {{resource}} HAS access keys',
    },
  },
  facts: { summary: iamAccountSummary, identity: optional(awsIdentity) },
  evaluate({ summary, identity }, { config }) {
    const resource = (identity.ok ? identity.value.account : undefined) ?? config.aws?.accountId ?? 'root';
    const evidence = { AccountAccessKeysPresent: summary.rootAccessKeysPresent ? 1 : 0 };
    return summary.rootAccessKeysPresent
      ? [{ resource, status: 'fail', code: 'present', evidence }]
      : [{ resource, status: 'pass', code: 'absent', evidence }];
  },
});
