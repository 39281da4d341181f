import { z } from '../../src/zod.js';
import { defineCheck, optional } from '../../src/model.js';
import { awsIdentity } from '../../src/facts/aws.js';
import { iamPasswordPolicy } from '../../src/facts/aws-identity.js';

const MIN_LENGTH = 14;

export default defineCheck({
  meta: {
    id: 'aws.iam.password-policy',
    title: 'The IAM password policy requires long, complex, non-reused passwords',
    failureTitle: 'The IAM password policy is weak or missing',
    description: 'Without a password policy IAM accepts 8-character passwords and their reuse. Length ≥ 14, all four character classes and reuse prevention remembering at least `minReusePrevention` passwords (24 by default, as CIS asks: remembering one lets a user alternate between two) are the floor for accounts that reach PHI.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(5)(ii)(D)'],
    phase: 1,
    options: () => z.object({
      minReusePrevention: z.number().int().min(1).max(24).default(24).describe('Fewest previous passwords the policy must remember (IAM allows 1–24).'),
    }),
    remediation: {
      text: 'Set an account password policy: at least 14 characters, symbols, numbers, upper and lower case, and reuse prevention',
      command:
        'aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 24',
      effortMinutes: 5,
    },
    messages: {
      strong: 'The password policy requires {{length}}+ characters, every character class, and remembers {{reuse}} passwords',
      weak: 'The password policy falls short: {{problems}}',
      'no-policy': 'No IAM password policy is set (AWS defaults: 8 characters, reuse allowed)',
    },
  },
  facts: { password: iamPasswordPolicy, identity: optional(awsIdentity) },
  evaluate({ password, identity }, { config, options }) {
    const resource = (identity.ok ? identity.value.account : undefined) ?? config.aws?.accountId ?? 'iam';
    const policy = password.policy;
    if (!policy) return [{ resource, status: 'fail', code: 'no-policy' }];
    const problems = [
      ...((policy.minimumLength ?? 0) < MIN_LENGTH ? [`minimum length ${policy.minimumLength ?? 'unset'} < ${MIN_LENGTH}`] : []),
      ...(!policy.requireSymbols ? ['symbols not required'] : []),
      ...(!policy.requireNumbers ? ['numbers not required'] : []),
      ...(!policy.requireUppercase ? ['upper case not required'] : []),
      ...(!policy.requireLowercase ? ['lower case not required'] : []),
      ...(!policy.reusePrevention ? ['no reuse prevention'] : policy.reusePrevention < options.minReusePrevention ? [`remembers ${policy.reusePrevention} password(s) < ${options.minReusePrevention}`] : []),
    ];
    const evidence = { ...policy };
    if (problems.length) return [{ resource, status: 'fail', code: 'weak', args: { problems: problems.join('; ') }, evidence }];
    return [{ resource, status: 'pass', code: 'strong', args: { length: policy.minimumLength ?? 0, reuse: policy.reusePrevention ?? 0 }, evidence }];
  },
});
