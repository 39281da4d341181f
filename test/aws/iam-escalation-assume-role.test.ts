import { AttachRolePolicyCommand, AttachUserPolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import adminPolicies from '../../checks/aws/aws.iam.admin-policies.js';
import { iamCustomerPolicies, iamInlinePolicies, iamRoles } from '../../src/facts/aws-identity.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { makeConfig } from '../support/check-tester.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { startFaultProxy } from '../support/fault-proxy.js';

// moto loads AWS's managed policies (AdministratorAccess) only when asked.
const aws = motoForFile({ MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' });
let iam: IAMClient;
beforeAll(() => {
  iam = aws.client(IAMClient);
});

const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trustAccount = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' });

describe('aws.iam.admin-policies: assuming an administrator role', () => {
  it('sts:AssumeRole on every role fails when an admin role trusts the account, naming the role; on one plain role it passes', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'break-glass', AssumeRolePolicyDocument: trustAccount }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'break-glass', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trustAccount }));
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    const any = (await iam.send(new CreatePolicyCommand({ PolicyName: 'assume-any', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }))).Policy!.Arn!;
    const roles = (await iam.send(new CreatePolicyCommand({ PolicyName: 'assume-roles', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/*' }) }))).Policy!.Arn!;
    const one = (await iam.send(new CreatePolicyCommand({ PolicyName: 'assume-reader', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/reader' }) }))).Policy!.Arn!;
    for (const arn of [any, roles, one]) await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: arn }));

    const run = await collectAws(aws.moto, [iamCustomerPolicies, iamInlinePolicies, iamRoles]);
    expect(run.results(adminPolicies).sort()).toEqual([
      [any, 'fail', 'privilege-escalation'],
      [one, 'pass', 'scoped'],
      [roles, 'fail', 'privilege-escalation'],
    ]);
    const message = evaluateCheck(adminPolicies, run.outcomes, { config: makeConfig({}), now: new Date() }).find((r) => r.resource === any)?.message;
    expect(message).toContain('break-glass');
    expect(message).not.toContain('reader');
  });

  it('the inline policies and the roles come from one GetAccountAuthorizationDetails read per run', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trustAccount }));
    const proxy = await startFaultProxy(aws.moto.endpoint);
    try {
      await collectAws({ endpoint: proxy.endpoint }, [iamInlinePolicies, iamRoles]);
      expect(proxy.seen.get('iam:GetAccountAuthorizationDetails')).toBe(1);
    } finally {
      await proxy.stop();
    }
  });
});
