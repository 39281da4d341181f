import { describe, expect, it } from 'vitest';
import adminPolicies from '../../../checks/aws/aws.iam.admin-policies.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const policy = (statements: unknown[]) => ({ name: 'p', arn: 'arn:aws:iam::1:policy/p', attachments: 1, statements });
const allow = (over: Record<string, unknown>) => ({ effect: 'Allow', actions: [], notActions: [], resources: ['*'], ...over });
const inlinePolicy = (statements: unknown[]) => ({ principal: 'user', principalName: 'ops', principalArn: 'arn:aws:iam::1:user/ops', name: 'everything', statements });
const noInline = { ok: true, value: [] };
const fails = (name: string, statements: unknown[]): CheckCase => ({ name, facts: { policies: [policy(statements)], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'fail', 'privilege-escalation']] });
const passes = (name: string, statements: unknown[]): CheckCase => ({ name, facts: { policies: [policy(statements)], inline: noInline }, expected: [['arn:aws:iam::1:policy/p', 'pass', 'scoped']] });

describe('aws.iam.admin-policies: becoming another principal', () => {
  const cases: CheckCase[] = [
    // Another user's keys or console password, or a seat in the admins group, is that user's or group's power.
    ...[['iam:CreateAccessKey'], ['iam:CreateLoginProfile'], ['iam:UpdateLoginProfile'], ['iam:*LoginProfile'], ['iam:Create*'], ['IAM:createaccesskey'], ['iam:AddUserToGroup'], ['iam:Add*']].map((actions) => fails(`${actions.join(', ')} on * fails`, [allow({ actions })])),
    fails('CreateAccessKey on every user of the account fails', [allow({ actions: ['iam:CreateAccessKey'], resources: ['arn:aws:iam::1:user/*'] })]),
    fails('AddUserToGroup on every group of the account fails', [allow({ actions: ['iam:AddUserToGroup'], resources: ['arn:aws:iam::1:group/*'] })]),
    fails('CreateLoginProfile on * but one user (NotResource) fails', [allow({ actions: ['iam:CreateLoginProfile'], resources: ['!arn:aws:iam::1:user/alice'] })]),
    passes('CreateAccessKey and UpdateLoginProfile on the caller itself pass', [allow({ actions: ['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], resources: ['arn:aws:iam::1:user/${aws:username}'] })]),
    passes('AddUserToGroup on one group passes', [allow({ actions: ['iam:AddUserToGroup'], resources: ['arn:aws:iam::1:group/readers'] })]),
    passes('CreateAccessKey denied on * passes', [{ effect: 'Deny', actions: ['iam:CreateAccessKey'], notActions: [], resources: ['*'] }]),
  ];
  it.each(cases)('$name', (c) => expect(runCase(adminPolicies, c)).toEqual(c.expected));
});

describe('aws.iam.admin-policies: passing any role to code its holder runs', () => {
  const passRole = allow({ actions: ['iam:PassRole'] });
  const routes = [['lambda:CreateFunction', 'lambda:InvokeFunction'], ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], ['ec2:RunInstances'], ['glue:CreateDevEndpoint'], ['cloudformation:CreateStack'], ['ecs:RunTask'], ['sagemaker:CreateNotebookInstance']];
  const cases: CheckCase[] = [
    ...routes.map((actions) => fails(`iam:PassRole on * with ${actions.join(', ')} fails`, [passRole, allow({ actions })])),
    fails('PassRole and the Lambda actions in one statement fail', [allow({ actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] })]),
    // The function is new: the resource its creation is allowed on says nothing of the role it runs as.
    fails('PassRole on every role with lambda:* on the account’s functions fails', [allow({ actions: ['iam:PassRole'], resources: ['arn:aws:iam::1:role/*'] }), allow({ actions: ['lambda:*'], resources: ['arn:aws:lambda:*:1:function:*'] })]),
    fails('PassRole with ec2:Run* on one subnet fails', [passRole, allow({ actions: ['ec2:Run*'], resources: ['arn:aws:ec2:us-east-1:1:subnet/subnet-1'] })]),
    fails('iam:Pass* with cloudformation:Create* fails', [allow({ actions: ['iam:Pass*', 'cloudformation:Create*'] })]),
    fails('NotAction s3:* on * (PassRole and RunTask with it) fails', [allow({ notActions: ['s3:*'], resources: ['arn:aws:iam::1:role/*'] }), allow({ actions: ['ecs:RunTask'] })]),
    passes('PassRole on * alone passes', [passRole]),
    passes('PassRole on one role with Lambda create and invoke passes', [allow({ actions: ['iam:PassRole'], resources: ['arn:aws:iam::1:role/lambda-exec'] }), allow({ actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'] })]),
    passes('PassRole on * with lambda:CreateFunction but no way to run it passes', [passRole, allow({ actions: ['lambda:CreateFunction', 'lambda:GetFunction'] })]),
    passes('PassRole on * with Lambda invoke and event sources but no create passes', [passRole, allow({ actions: ['lambda:InvokeFunction', 'lambda:CreateEventSourceMapping'] })]),
    passes('PassRole on * with RunInstances denied passes', [passRole, { effect: 'Deny', actions: ['ec2:RunInstances'], notActions: [], resources: ['*'] }]),
    passes('PassRole on * with RunInstances on NotResource "*" passes', [passRole, allow({ actions: ['ec2:RunInstances'], resources: ['!*'] })]),
    {
      name: 'an inline PassRole with glue:CreateDevEndpoint fails as inline privilege escalation',
      facts: { policies: [], inline: { ok: true, value: [inlinePolicy([allow({ actions: ['iam:PassRole', 'glue:CreateDevEndpoint'] })])] } },
      expected: [['arn:aws:iam::1:user/ops:inline-policy/everything', 'fail', 'inline-privilege-escalation']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(adminPolicies, c)).toEqual(c.expected));

  it('the message names what escalates', () => {
    const [message] = renderedMessages(adminPolicies, { policies: [policy([allow({ actions: ['iam:CreateAccessKey', 'iam:PassRole', 'lambda:*'] })])], inline: [], roles: [] });
    expect(message).toContain('iam:CreateAccessKey');
    expect(message).toContain('iam:PassRole with lambda:CreateFunction and lambda:InvokeFunction');
    expect(message).toContain('iam:PassRole with lambda:CreateFunction and lambda:CreateEventSourceMapping');
  });
});
