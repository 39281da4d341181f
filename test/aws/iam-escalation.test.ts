import { AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import adminPolicies from '../../checks/aws/aws.iam.admin-policies.js';
import { iamCustomerPolicies, iamInlinePolicies, iamRoles } from '../../src/facts/aws-identity.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';

const aws = motoForFile();
let iam: IAMClient;
beforeAll(() => {
  iam = aws.client(IAMClient);
});

const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('aws.iam.admin-policies: escalation without rewriting a policy', () => {
  // Each lets its holder act as an administrator: mint an admin user's keys or password, join the admins group, or run code as an admin role.
  const hostile: [string, Record<string, unknown>[]][] = [
    ['mint-keys', [{ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' }]],
    ['set-password', [{ Effect: 'Allow', Action: 'iam:*LoginProfile', Resource: 'arn:aws:iam::123456789012:user/*' }]],
    ['join-group', [{ Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: '*' }]],
    ['lambda-as-any-role', [{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }]],
    ['lambda-wildcard', [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/*' }, { Effect: 'Allow', Action: 'lambda:*', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:*' }]],
    ['ec2-as-any-role', [{ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*' }]],
  ];
  const legit: [string, Record<string, unknown>[]][] = [
    ['own-keys', [{ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], Resource: 'arn:aws:iam::123456789012:user/${aws:username}' }]],
    ['lambda-one-role', [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/lambda-exec' }, { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }]],
    ['pass-role-no-compute', [{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:InvokeFunction'], Resource: '*' }]],
  ];

  it('fails them through the real collector, passes scoped ones', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    const expected: [string, string, string][] = [];
    for (const [name, statements, code] of [...hostile.map(([n, s]) => [n, s, 'privilege-escalation'] as const), ...legit.map(([n, s]) => [n, s, 'scoped'] as const)]) {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: doc(...statements) }))).Policy!.Arn!;
      await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: arn }));
      expected.push([arn, code === 'scoped' ? 'pass' : 'fail', code]);
    }
    const run = await collectAws(aws.moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies).sort()).toEqual(expected.sort());
  });

  it('an inline AddUserToGroup on every group fails as inline privilege escalation', async () => {
    const user = (await iam.send(new CreateUserCommand({ UserName: 'helpdesk' }))).User!.Arn!;
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'helpdesk' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'helpdesk', PolicyName: 'groups', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: 'arn:aws:iam::123456789012:group/*' }) }));
    const run = await collectAws(aws.moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies)).toEqual([[`${user}:inline-policy/groups`, 'fail', 'inline-privilege-escalation']]);
  });
});
