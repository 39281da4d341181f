import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import cloudtrailEnabled from '../../checks/aws/aws.cloudtrail.enabled.js';
import rootMfa from '../../checks/aws/aws.iam.root-mfa.js';
import alarmsActions from '../../checks/monitoring/monitoring.alarms.actions.js';
import { awsIdentity, cloudwatchAlarms } from '../../src/facts/aws.js';
import { cloudtrailTrails, iamAccountSummary, snsTopics } from '../../src/facts/aws-account.js';
import { collectAws } from '../support/aws-collect.js';
import { sdkError, useSdkMocks } from '../support/sdk-mocks.js';

// What moto cannot produce: a denied call, a throttling storm, root MFA turned on.
// Nothing listens on port 9 (discard): a call the mocks do not cover fails fast instead of reaching AWS.
const { nowhere, mock } = useSdkMocks();

describe('AccessDenied', () => {
  it('makes aws.cloudtrail.enabled unverified, naming the permission to grant', async () => {
    mock(CloudTrailClient).on(DescribeTrailsCommand).rejects(sdkError('AccessDeniedException', 400));
    const run = await collectAws(nowhere, [cloudtrailTrails]);
    expect(run.outcomes.get(cloudtrailTrails.id)).toMatchObject({ ok: false, failure: { kind: 'AccessDenied', fix: expect.stringContaining('cloudtrail:DescribeTrails') } });
    expect(run.results(cloudtrailEnabled)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });
});

describe('throttling storm', () => {
  it('ends unverified with kind Throttled, quickly and without looping', async () => {
    const sns = mock(SNSClient);
    sns.on(ListTopicsCommand).resolves({ Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:123456789012:a' }, { TopicArn: 'arn:aws:sns:us-east-1:123456789012:b' }] });
    sns.on(ListSubscriptionsByTopicCommand).rejects(sdkError('Throttling', 400));
    const started = Date.now();
    const run = await collectAws(nowhere, [snsTopics, cloudwatchAlarms]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.outcomes.get(snsTopics.id)).toMatchObject({ ok: false, failure: { kind: 'Throttled' } });
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(1);
    expect(run.results(alarmsActions)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });

  it('through the real SDK retry path: a server that always throttles gets 3 attempts, then Throttled', async () => {
    let attempts = 0;
    const server = createServer((_request, response) => {
      attempts++;
      response.writeHead(400, { 'content-type': 'text/xml' });
      response.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await collectAws({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, [snsTopics]);
      expect(run.outcomes.get(snsTopics.id)).toMatchObject({ ok: false, failure: { kind: 'Throttled' } });
      expect(attempts).toBe(3);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('root MFA on (moto always reports AccountMFAEnabled 0)', () => {
  it('passes aws.iam.root-mfa', async () => {
    mock(IAMClient).on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, Users: 4 } });
    mock(STSClient).on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
    const run = await collectAws(nowhere, [iamAccountSummary, awsIdentity]);
    expect(run.results(rootMfa)).toEqual([['123456789012', 'pass', 'enabled']]);
  });

  it('a summary without AccountAccessKeysPresent is read as keys present (fail closed)', async () => {
    mock(IAMClient).on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1 } });
    const run = await collectAws(nowhere, [iamAccountSummary]);
    expect(run.outcomes.get(iamAccountSummary.id)).toMatchObject({ ok: true, value: { rootMfaEnabled: true, rootAccessKeysPresent: true } });
  });
});
