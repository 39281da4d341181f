import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import cloudtrailEnabled from '../../../checks/aws/aws.cloudtrail.enabled.js';
import adminPolicies from '../../../checks/aws/aws.iam.admin-policies.js';
import consoleMfa from '../../../checks/aws/aws.iam.console-mfa.js';
import { placeholdersIn } from '../../../src/command-review.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

/** Each `aws` call of a command, as its argv: a function stands in for `aws` and answers a serial number; `input` is typed at any prompt. */
function awsCalls(command: string, input = ''): string[][] {
  const cwd = mkdtempSync(join(tmpdir(), 'readiness-argv-'));
  try {
    const stub = `aws() { printf '%s\\0' "$@" >> calls; printf '\\001' >> calls; echo arn:aws:iam::1:mfa/stub; }`;
    execFileSync('bash', ['-c', `${stub}; ${command}`], { cwd, input, env: { PATH: '/usr/bin:/bin' } });
    return readFileSync(join(cwd, 'calls'), 'utf8').split('\u0001').filter(Boolean).map((call) => call.split('\0').slice(0, -1));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

const trail = (over: Record<string, unknown> = {}) => ({
  name: 'audit', arn: 'arn:aws:cloudtrail:us-east-1:1:trail/audit', homeRegion: 'us-east-1', multiRegion: true, organizationTrail: false,
  logFileValidation: true, s3Bucket: 'logs', isLogging: true, latestDeliveryError: null, managementEvents: { read: true, write: true, excludedSources: [] }, ...over,
});

describe('aws.cloudtrail.enabled: the fix leaves no gap behind the first', () => {
  it('no trail: create it into <log-bucket> multi-region and validated, record every management event, start it', () => {
    const [command] = renderedCommands(cloudtrailEnabled, { trails: [] }, { project: 'ehr' });
    expect(placeholdersIn(command!)).toEqual(['<log-bucket>']);
    expect(awsCalls(command!.replace('<log-bucket>', 'trail-logs')).map((call) => call.slice(0, 2))).toEqual([['cloudtrail', 'create-trail'], ['cloudtrail', 'put-event-selectors'], ['cloudtrail', 'start-logging']]);
    expect(command).toContain('--name ehr-audit --s3-bucket-name <log-bucket> --is-multi-region-trail --enable-log-file-validation');
  });

  it('a single-region trail, stopped, without management events: one command for the three', () => {
    const [command] = renderedCommands(cloudtrailEnabled, { trails: [trail({ multiRegion: false, isLogging: false, logFileValidation: false, managementEvents: { read: false, write: false, excludedSources: [] } })] });
    expect(awsCalls(command!).map((call) => call[1])).toEqual(['update-trail', 'put-event-selectors', 'start-logging']);
  });

  it('a trail leaving out KMS events fails, and its fix records every management event', () => {
    const facts = { trails: [trail({ managementEvents: { read: true, write: true, excludedSources: ['kms.amazonaws.com'] } })] };
    expect(runCase(cloudtrailEnabled, { name: 'excluded', facts, expected: [] })).toEqual([['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'fail', 'excluded-sources']]);
    expect(awsCalls(renderedCommands(cloudtrailEnabled, facts)[0]!).map((call) => call[1])).toEqual(['put-event-selectors']);
  });

  it('a stopped trail that is otherwise complete is only started; unknown selectors are not replaced blindly', () => {
    expect(awsCalls(renderedCommands(cloudtrailEnabled, { trails: [trail({ isLogging: false })] })[0]!).map((call) => call[1])).toEqual(['start-logging']);
    expect(awsCalls(renderedCommands(cloudtrailEnabled, { trails: [trail({ multiRegion: false, managementEvents: null })] })[0]!).map((call) => call[1])).toEqual(['update-trail']);
  });
});

const user = (over: Record<string, unknown> = {}) => ({ name: 'jdoe', arn: 'arn:aws:iam::1:user/jdoe', created: null, consoleAccess: true, passwordLastUsed: null, mfaDevices: 0, accessKeys: [], ...over });

describe('aws.iam.console-mfa: the fix assigns a virtual MFA device', () => {
  it('creates the device, asks for two codes, enables it on the user with the serial it was given, and deletes the QR code', () => {
    const name = `jd'oe $(touch pwned)`;
    const [command] = renderedCommands(consoleMfa, { users: [user({ name })] });
    expect(placeholdersIn(command!)).toEqual([]);
    const calls = awsCalls(command!, '123456 654321\n');
    expect(calls[0]).toEqual(['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', name, '--outfile', `${name}-mfa.png`, '--bootstrap-method', 'QRCodePNG', '--query', 'VirtualMFADevice.SerialNumber', '--output', 'text']);
    // The serial enable-mfa-device gets is the one create-virtual-mfa-device printed.
    expect(calls[1]).toEqual(['iam', 'enable-mfa-device', '--user-name', name, '--serial-number', 'arn:aws:iam::1:mfa/stub', '--authentication-code1', '123456', '--authentication-code2', '654321']);
    expect(command).toMatch(/ && rm -f 'jd'\\''oe \$\(touch pwned\)-mfa\.png'$/);
  });
});

const policy = (statements: unknown[]) => ({ name: 'p', arn: 'arn:aws:iam::1:policy/p', attachments: 1, statements });
const allow = (over: Record<string, unknown>) => ({ effect: 'Allow', actions: [], notActions: [], resources: ['*'], ...over });
const inlinePolicy = (statements: unknown[] | null) => ({ principal: 'role', principalName: 'ops', principalArn: 'arn:aws:iam::1:role/ops', name: 'everything', statements });
const noInline = { ok: true, value: [] };

describe('aws.iam.admin-policies', () => {
  const cases: CheckCase[] = [
    { name: '* on * fails', facts: { policies: [policy([allow({ actions: ['*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'full-admin']] },
    { name: 'every action but IAM on * (NotAction) fails', facts: { policies: [policy([allow({ notActions: ['iam:*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'all-but']] },
    { name: 'NotAction on one bucket passes', facts: { policies: [policy([allow({ notActions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::b/*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    { name: 'Deny with NotAction passes', facts: { policies: [policy([{ effect: 'Deny', actions: [], notActions: ['s3:GetObject'], resources: ['*'] }])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    // The collector stores NotResource entries with a `!` prefix: Allow `*` on all but one resource is full admin.
    { name: '* with NotResource (stored as !arn) fails', facts: { policies: [policy([allow({ actions: ['*'], resources: ['!arn:aws:s3:::nothing'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'full-admin']] },
    { name: '* on arn:aws:*:*:*:* fails', facts: { policies: [policy([allow({ actions: ['*'], resources: ['arn:aws:*:*:*:*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'full-admin']] },
    { name: '*:* on arn:* fails', facts: { policies: [policy([allow({ actions: ['*:*'], resources: ['arn:*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'full-admin']] },
    { name: '* on arn:aws:*:*:*:*/* or arn:*:*:*:*:* fails', facts: { policies: [policy([allow({ actions: ['*'], resources: ['arn:aws:*:*:*:*/*'] })]), { ...policy([allow({ actions: ['*'], resources: ['arn:*:*:*:*:*'] })]), arn: 'arn:aws:iam::1:policy/q' }], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'full-admin'], ['arn:aws:iam::1:policy/q', 'fail', 'full-admin']] },
    { name: 'NotAction with NotResource fails', facts: { policies: [policy([allow({ notActions: ['iam:*'], resources: ['!arn:aws:s3:::nothing'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'all-but']] },
    { name: 'an inline NotAction on arn:aws:* fails', facts: { policies: [], inline: { ok: true, value: [inlinePolicy([allow({ notActions: ['iam:*'], resources: ['arn:aws:*'] })])] } }, expected: [['arn:aws:iam::1:role/ops:inline-policy/everything', 'fail', 'inline-all-but']] },
    { name: '* on every S3 resource (arn:aws:s3:::*) is not every resource: passes', facts: { policies: [policy([allow({ actions: ['*'], resources: ['arn:aws:s3:::*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    { name: 'NotResource "*" excludes everything: passes', facts: { policies: [policy([allow({ actions: ['*'], resources: ['!*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    // Inline policies grant as much as managed ones: a role's inline `*` is full admin too.
    { name: 'an inline * on * in a role fails', facts: { policies: [], inline: { ok: true, value: [inlinePolicy([allow({ actions: ['*'] })])] } }, expected: [['arn:aws:iam::1:role/ops:inline-policy/everything', 'fail', 'inline-full-admin']] },
    { name: 'an inline NotAction on * fails', facts: { policies: [], inline: { ok: true, value: [inlinePolicy([allow({ notActions: ['iam:*'] })])] } }, expected: [['arn:aws:iam::1:role/ops:inline-policy/everything', 'fail', 'inline-all-but']] },
    { name: 'an unreadable inline document is unverified', facts: { policies: [], inline: { ok: true, value: [inlinePolicy(null)] } }, expected: [['arn:aws:iam::1:role/ops:inline-policy/everything', 'unverified', 'inline-not-read']] },
    // The policy's own account stands for every account-scoped resource of it, IAM's included.
    { name: '* on arn:aws:*:*:<its account>:* fails', facts: { policies: [policy([allow({ actions: ['*'], resources: ['arn:aws:*:*:1:*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'full-admin']] },
    { name: '* on arn:*:*:*:<its account>:*, arn:aws:*:*:?:* or arn:*:1:* fails', facts: { policies: ['arn:*:*:*:1:*', 'arn:aws:*:*:?:*', 'arn:*:1:*'].map((r, i) => ({ ...policy([allow({ actions: ['*'], resources: [r] })]), arn: `arn:aws:iam::1:policy/p${i}` })), inline: noInline }, expected: [0, 1, 2].map((i) => [`arn:aws:iam::1:policy/p${i}`, 'fail', 'full-admin']) },
    { name: 'NotAction on arn:aws:*:*:<its account>:* fails', facts: { policies: [policy([allow({ notActions: ['s3:*'], resources: ['arn:aws:*:*:1:*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'all-but']] },
    { name: '* on another account’s resources is not this account’s: passes', facts: { policies: [policy([allow({ actions: ['s3:*'], resources: ['arn:aws:*:*:222222222222:*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    { name: 'NotResource of the account’s ARNs still leaves S3 buckets: fails', facts: { policies: [policy([allow({ actions: ['*'], resources: ['!arn:aws:*:*:1:*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'full-admin']] },
    // Privilege escalation: a holder who can rewrite its own permissions is an administrator.
    ...[['iam:*'], ['iam:AttachUserPolicy'], ['IAM:attachrolepolicy'], ['iam:AttachGroupPolicy'], ['iam:PutUserPolicy'], ['iam:PutRolePolicy'], ['iam:PutGroupPolicy'], ['iam:CreatePolicyVersion'], ['iam:SetDefaultPolicyVersion'], ['iam:UpdateAssumeRolePolicy'], ['iam:Attach*'], ['iam:Put*Policy'], ['*:Attach*Policy'], ['iam:Get*', 'iam:CreatePolicyVersion']].map(
      (actions): CheckCase => ({ name: `${actions.join(', ')} on * fails as privilege escalation`, facts: { policies: [policy([allow({ actions })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'privilege-escalation']] }),
    ),
    { name: 'AttachRolePolicy on every role of the account fails', facts: { policies: [policy([allow({ actions: ['iam:AttachRolePolicy'], resources: ['arn:aws:iam::1:role/*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'privilege-escalation']] },
    { name: 'iam:* on * except a user (NotResource) fails', facts: { policies: [policy([allow({ actions: ['iam:*'], resources: ['!arn:aws:iam::1:user/alice'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'privilege-escalation']] },
    { name: 'NotAction s3:* on every IAM user fails as privilege escalation', facts: { policies: [policy([allow({ notActions: ['s3:*'], resources: ['arn:aws:iam::1:user/*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'privilege-escalation']] },
    { name: 'an inline iam:* on * fails as privilege escalation', facts: { policies: [], inline: { ok: true, value: [inlinePolicy([allow({ actions: ['iam:*'] })])] } }, expected: [['arn:aws:iam::1:role/ops:inline-policy/everything', 'fail', 'inline-privilege-escalation']] },
    { name: 'iam:PassRole on *, reads of IAM on *, AttachRolePolicy on one role pass', facts: { policies: [policy([allow({ actions: ['iam:PassRole'] }), allow({ actions: ['iam:Get*', 'iam:List*'] }), allow({ actions: ['iam:AttachRolePolicy'], resources: ['arn:aws:iam::1:role/lambda-exec'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    { name: 'iam:* denied, or iam:* with NotResource "*", passes', facts: { policies: [policy([{ effect: 'Deny', actions: ['iam:*'], notActions: [], resources: ['*'] }, allow({ actions: ['iam:*'], resources: ['!*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    { name: 'NotAction iam:* on an IAM user ARN pattern passes', facts: { policies: [policy([allow({ notActions: ['iam:*'], resources: ['arn:aws:iam::1:user/*'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    { name: 's3:GetObject on a bucket, * on a bucket pass', facts: { policies: [policy([allow({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }), allow({ actions: ['*'], resources: ['arn:aws:s3:::bucket'] })])], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] },
    { name: 'no policy of either kind passes', facts: { policies: [], inline: noInline }, expected: [['iam', 'pass', 'no-policies']] },
    {
      name: 'inline policies not read: unverified, never "no policies"',
      facts: { policies: [], inline: { ok: false, failure: { kind: 'AccessDenied', message: 'iam:GetAccountAuthorizationDetails denied' } } },
      expected: [['iam-inline-policies', 'unverified', 'inline-policies-not-read']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(adminPolicies, c)).toEqual(c.expected));

  it('the fix makes a scoped document the user writes the default version, or the inline policy’s document', () => {
    const [command] = renderedCommands(adminPolicies, { policies: [policy([allow({ actions: ['*'] })])], inline: [], roles: [] });
    expect(command).toBe('aws iam create-policy-version --policy-arn arn:aws:iam::1:policy/p --policy-document file://<scoped-policy-file> --set-as-default');
    const [inline] = renderedCommands(adminPolicies, { policies: [], inline: [{ ...inlinePolicy([allow({ actions: ['*'] })]), principalName: "o'ps" }], roles: [] });
    expect(inline).toBe(`aws iam put-role-policy --role-name 'o'\\''ps' --policy-name everything --policy-document file://<scoped-policy-file>`);
  });
});
