import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import accessKeyAge from '../../checks/aws/aws.iam.access-key-age.js';
import adminPolicies from '../../checks/aws/aws.iam.admin-policies.js';
import consoleMfa from '../../checks/aws/aws.iam.console-mfa.js';
import passwordPolicy from '../../checks/aws/aws.iam.password-policy.js';
import { awsIdentity } from '../../src/facts/aws.js';
import { iamCustomerPolicies, iamInlinePolicies, iamPasswordPolicy, iamRoles, iamUsers } from '../../src/facts/aws-identity.js';
import { collectAws, sentActions, useMotoCredentials } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let iam: IAMClient;

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint });
});
afterAll(async () => {
  iam?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

async function consoleUser(name: string, mfa: boolean) {
  const user = await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: 'Not-a-real-Passw0rd!' }));
  if (mfa) {
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${name}-mfa` }));
    await iam.send(new EnableMFADeviceCommand({ UserName: name, SerialNumber: device.VirtualMFADevice!.SerialNumber!, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  }
  return user.User!.Arn!;
}

describe('aws.iam.console-mfa against moto', () => {
  it('passes a console user with MFA, fails one without, ignores users without a console password', async () => {
    const withMfa = await consoleUser('alice', true);
    const without = await consoleUser('bob', false);
    await iam.send(new CreateUserCommand({ UserName: 'ci-deployer' }));
    const run = await collectAws(moto, [iamUsers]);
    expect(run.results(consoleMfa)).toEqual([
      [withMfa, 'pass', 'mfa-enabled'],
      [without, 'fail', 'no-mfa'],
    ]);
  });

  it('no console user at all passes', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ci-deployer' }));
    expect((await collectAws(moto, [iamUsers])).results(consoleMfa)).toEqual([['iam', 'pass', 'no-console-users']]);
  });
});

describe('aws.iam.access-key-age against moto', () => {
  it('a key created today passes; the same key read 100 days later fails as old', async () => {
    // moto dates a key at its creation, now: the old key is the same fact read with a later clock.
    await iam.send(new CreateUserCommand({ UserName: 'ci-deployer' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }))).AccessKey!.AccessKeyId!;
    const today = await collectAws(moto, [iamUsers]);
    expect(today.results(accessKeyAge)).toEqual([[`ci-deployer/${key}`, 'pass', 'fresh']]);
    const later = await collectAws(moto, [iamUsers], {}, new Date(Date.now() + 100 * 86_400_000));
    // moto never records a key's use, so the 100-day-old key is also never used; age is reported first.
    expect(later.results(accessKeyAge)).toEqual([[`ci-deployer/${key}`, 'fail', 'old']]);
  });
});

describe('aws.iam.admin-policies against moto', () => {
  it('fails a customer policy allowing * on *, passes a scoped one', async () => {
    const admin = await iam.send(new CreatePolicyCommand({ PolicyName: 'god-mode', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    const scoped = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'read-files', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::files/*' }] }) }),
    );
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies).sort()).toEqual(
      [
        [admin.Policy!.Arn!, 'fail', 'full-admin'],
        [scoped.Policy!.Arn!, 'pass', 'scoped'],
      ].sort(),
    );
  });
});

describe('aws.iam.admin-policies: every action but a few', () => {
  it('fails a policy allowing everything except IAM on * (NotAction), as it gives the PHI, its keys and CloudTrail', async () => {
    const allBut = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }] };
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'power-user', PolicyDocument: JSON.stringify(allBut) }));
    const denyAllBut = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: '*' }] };
    const deny = await iam.send(new CreatePolicyCommand({ PolicyName: 'deny-all-but-reads', PolicyDocument: JSON.stringify(denyAllBut) }));
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies).sort()).toEqual(
      [
        [policy.Policy!.Arn!, 'fail', 'all-but'],
        [deny.Policy!.Arn!, 'pass', 'scoped'],
      ].sort(),
    );
  });
});

describe('aws.iam.admin-policies: inline policies', () => {
  it('an inline policy allowing * on * in a role fails, a scoped one in a user passes, by the principal holding it', async () => {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }))).Role!.Arn!;
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'everything', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    const user = (await iam.send(new CreateUserCommand({ UserName: 'reader' }))).User!.Arn!;
    await iam.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'read-files', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::files/*' }] }) }));
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies).sort()).toEqual(
      [
        [`${role}:inline-policy/everything`, 'fail', 'inline-full-admin'],
        [`${user}:inline-policy/read-files`, 'pass', 'inline-scoped'],
      ].sort(),
    );
    expect(sentActions).toContain('iam:GetAccountAuthorizationDetails');
  });
});

describe('aws.iam.admin-policies: admin in all but name', () => {
  const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  const hostile: [string, Record<string, unknown>, string][] = [
    // Every action on every resource of the account: its IAM users and roles included.
    ['account-wide', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:*:*:123456789012:*' }, 'full-admin'],
    // IAM alone suffices: its holder attaches AdministratorAccess to itself.
    ['iam-all', { Effect: 'Allow', Action: 'iam:*', Resource: '*' }, 'privilege-escalation'],
    ['attach-self', { Effect: 'Allow', Action: ['iam:AttachUserPolicy', 'iam:AttachRolePolicy'], Resource: '*' }, 'privilege-escalation'],
    ['put-inline', { Effect: 'Allow', Action: 'iam:Put*Policy', Resource: 'arn:aws:iam::123456789012:role/*' }, 'privilege-escalation'],
    ['new-version', { Effect: 'Allow', Action: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: '*' }, 'privilege-escalation'],
    ['all-but-s3', { Effect: 'Allow', NotAction: 's3:*', Resource: 'arn:aws:iam::123456789012:user/*' }, 'privilege-escalation'],
  ];
  const legit: [string, Record<string, unknown>][] = [
    ['read-files', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::files/*' }],
    ['pass-role', { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }],
    ['pass-one-role', { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/app' }],
    ['bucket-owner', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::files' }],
    ['read-iam', { Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }],
  ];

  it('fails policies that grant every action on the account, or a way to grant oneself any; passes scoped ones', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'ci', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }));
    const expected: [string, string, string][] = [];
    for (const [name, statement, code] of [...hostile, ...legit.map(([name, statement]) => [name, statement, 'scoped'] as const)]) {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: doc(statement) }))).Policy!.Arn!;
      await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: arn }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'ci', PolicyArn: arn }));
      expected.push([arn, code === 'scoped' ? 'pass' : 'fail', code]);
    }
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies).sort()).toEqual(expected.sort());
  });

  it('an inline iam:* on * in a role fails as privilege escalation', async () => {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }))).Role!.Arn!;
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'iam-admin', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }));
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies)).toEqual([[`${role}:inline-policy/iam-admin`, 'fail', 'inline-privilege-escalation']]);
  });
});

describe('aws.iam.password-policy against moto', () => {
  it('no policy fails; a weak one fails; a strong one passes', async () => {
    expect((await collectAws(moto, [iamPasswordPolicy, awsIdentity])).results(passwordPolicy)).toEqual([['123456789012', 'fail', 'no-policy']]);
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, RequireNumbers: true }));
    expect((await collectAws(moto, [iamPasswordPolicy, awsIdentity])).results(passwordPolicy)).toEqual([['123456789012', 'fail', 'weak']]);
    await iam.send(
      new UpdateAccountPasswordPolicyCommand({
        MinimumPasswordLength: 14, RequireNumbers: true, RequireSymbols: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, PasswordReusePrevention: 24,
      }),
    );
    expect((await collectAws(moto, [iamPasswordPolicy, awsIdentity])).results(passwordPolicy)).toEqual([['123456789012', 'pass', 'strong']]);
  });

  // Remembering one password lets a user alternate between two: "reuse prevention" in name only.
  it('a policy remembering fewer than 24 passwords is weak', async () => {
    await iam.send(
      new UpdateAccountPasswordPolicyCommand({
        MinimumPasswordLength: 14, RequireNumbers: true, RequireSymbols: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, PasswordReusePrevention: 1,
      }),
    );
    const run = await collectAws(moto, [iamPasswordPolicy, awsIdentity]);
    expect(run.results(passwordPolicy)).toEqual([['123456789012', 'fail', 'weak']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
