import {
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
import { iamCustomerPolicies, iamInlinePolicies, iamPasswordPolicy, iamUsers } from '../../src/facts/aws-identity.js';
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
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies]);
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
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies]);
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
    const run = await collectAws(moto, [iamCustomerPolicies, iamInlinePolicies]);
    expect(run.results(adminPolicies).sort()).toEqual(
      [
        [`${role}:inline-policy/everything`, 'fail', 'inline-full-admin'],
        [`${user}:inline-policy/read-files`, 'pass', 'inline-scoped'],
      ].sort(),
    );
    expect(sentActions).toContain('iam:GetAccountAuthorizationDetails');
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
