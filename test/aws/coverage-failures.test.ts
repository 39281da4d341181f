import { DescribeSecurityGroupsCommand, EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetLoginProfileCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import consoleMfa from '../../checks/aws/aws.iam.console-mfa.js';
import ebsDefaultEncryption from '../../checks/aws/aws.ec2.ebs-default-encryption.js';
import openAdminPorts from '../../checks/aws/aws.ec2.open-admin-ports.js';
import guardduty from '../../checks/aws/aws.guardduty.enabled.js';
import securityhub from '../../checks/aws/aws.securityhub.enabled.js';
import { ec2EbsEncryptionByDefault, ec2SecurityGroups } from '../../src/facts/aws-network.js';
import { guardDutyDetectors, securityHubHubs } from '../../src/facts/aws-detection.js';
import { iamUsers } from '../../src/facts/aws-identity.js';
import { collectAws } from '../support/aws-collect.js';
import { sdkError, useSdkMocks } from '../support/sdk-mocks.js';

// What moto cannot produce: denied and throttled calls, answers without their list. Each must
// leave the new checks unverified, never pass and never "there are none".
const { nowhere, mock } = useSdkMocks();

describe('the new checks fail closed', () => {
  it('AccessDenied on DescribeSecurityGroups: unverified, naming the permission', async () => {
    mock(EC2Client).on(DescribeSecurityGroupsCommand).rejects(sdkError('UnauthorizedOperation', 403));
    const run = await collectAws(nowhere, [ec2SecurityGroups]);
    expect(run.outcomes.get(ec2SecurityGroups.id)).toMatchObject({ ok: false, failure: { kind: 'AccessDenied', fix: expect.stringContaining('ec2:DescribeSecurityGroups') } });
    expect(run.results(openAdminPorts)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('an answer without its SecurityGroups list is malformed, not "no security groups"', async () => {
    mock(EC2Client).on(DescribeSecurityGroupsCommand).resolves({});
    const run = await collectAws(nowhere, [ec2SecurityGroups]);
    expect(run.outcomes.get(ec2SecurityGroups.id)).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
    expect(run.results(openAdminPorts)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('a security group without its IpPermissions list is malformed, not "closed"', async () => {
    mock(EC2Client).on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'web' }] });
    const run = await collectAws(nowhere, [ec2SecurityGroups]);
    expect(run.results(openAdminPorts)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('an EBS answer without the flag is malformed, not "off"', async () => {
    mock(EC2Client).on(GetEbsEncryptionByDefaultCommand).resolves({});
    const run = await collectAws(nowhere, [ec2EbsEncryptionByDefault]);
    expect(run.outcomes.get(ec2EbsEncryptionByDefault.id)).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
    expect(run.results(ebsDefaultEncryption)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('ListDetectors without DetectorIds is malformed, not "GuardDuty off"', async () => {
    mock(GuardDutyClient).on(ListDetectorsCommand).resolves({});
    const run = await collectAws(nowhere, [guardDutyDetectors]);
    expect(run.results(guardduty)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('Security Hub AccessDenied is unverified; only "not subscribed" reads as off', async () => {
    mock(SecurityHubClient).on(DescribeHubCommand).rejects(sdkError('AccessDeniedException', 403));
    expect((await collectAws(nowhere, [securityHubHubs])).results(securityhub)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('throttled GetLoginProfile is unverified, not "no console access"', async () => {
    const iam = mock(IAMClient);
    iam.on(ListUsersCommand).resolves({ Users: [{ UserName: 'bob', Arn: 'arn:aws:iam::123456789012:user/bob', UserId: 'A', Path: '/', CreateDate: new Date() }] });
    iam.on(GetLoginProfileCommand).rejects(sdkError('Throttling', 400));
    const run = await collectAws(nowhere, [iamUsers]);
    expect(run.outcomes.get(iamUsers.id)).toMatchObject({ ok: false, failure: { kind: 'Throttled' } });
    expect(run.results(consoleMfa)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });
});
