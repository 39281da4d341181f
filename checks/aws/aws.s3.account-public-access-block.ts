import { defineCheck } from '../../src/model.js';
import { s3AccountPublicAccessBlock } from '../../src/facts/aws.js';

const SETTINGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

export default defineCheck({
  meta: {
    id: 'aws.s3.account-public-access-block',
    title: 'S3 Block Public Access is on for the whole account',
    failureTitle: 'S3 Block Public Access is not fully on for the account',
    description:
      'The bucket-level settings protect the buckets the tool assesses; the account-level settings also protect every bucket created tomorrow, or not listed in the config, from being made public by an ACL or a policy.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Turn on all four Block Public Access settings for the account (check first that no bucket must stay public, e.g. a static site behind no CDN)',
      command: 'aws s3control put-public-access-block --account-id {{resource}} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
      effortMinutes: 10,
    },
    messages: {
      blocked: 'All four Block Public Access settings are on for account {{resource}}',
      'not-blocked': 'Account {{resource}} has Block Public Access {{settings}} off',
      'not-set': 'Account {{resource}} has no account-level Block Public Access settings',
    },
  },
  facts: { account: s3AccountPublicAccessBlock },
  evaluate({ account }) {
    if (!account.settings) return [{ resource: account.account, status: 'fail', code: 'not-set', evidence: { settings: 'none' } }];
    const settings = account.settings;
    const off = SETTINGS.filter((s) => !settings[s]);
    const evidence = Object.fromEntries(SETTINGS.map((s) => [s, settings[s]]));
    if (off.length) return [{ resource: account.account, status: 'fail', code: 'not-blocked', args: { settings: off.join(', ') }, evidence }];
    return [{ resource: account.account, status: 'pass', code: 'blocked', evidence }];
  },
});
