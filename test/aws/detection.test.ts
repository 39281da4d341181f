import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import cloudwatchLogsDelivery from '../../checks/aws/aws.cloudtrail.cloudwatch-logs.js';
import dataEvents from '../../checks/aws/aws.cloudtrail.data-events.js';
import kmsEncryption from '../../checks/aws/aws.cloudtrail.kms-encryption.js';
import guardduty from '../../checks/aws/aws.guardduty.enabled.js';
import logsRetention from '../../checks/aws/aws.logs.retention.js';
import securityhub from '../../checks/aws/aws.securityhub.enabled.js';
import { s3Buckets } from '../../src/facts/aws.js';
import { cloudtrailTrails } from '../../src/facts/aws-account.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { cloudtrailTrailSettings, guardDutyDetectors, logGroups, securityHubHubs } from '../../src/facts/aws-detection.js';
import { collectAws, sentActions, motoForFile } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
import { jsonAnswer, startRewritingProxy } from '../support/rewriting-proxy.js';

const aws = motoForFile();

const TWO_REGIONS = { aws: { regions: ['us-east-1', 'eu-west-1'] } };

describe('aws.guardduty.enabled / aws.securityhub.enabled against moto', () => {
  it('pass where they are on, fail in the region where they are off', async () => {
    // Real AWS turns S3 and RDS Protection on for a new detector; moto records only the features it is given.
    const features = [{ Name: 'S3_DATA_EVENTS' as const, Status: 'ENABLED' as const }, { Name: 'RDS_LOGIN_EVENTS' as const, Status: 'ENABLED' as const }];
    await aws.client(GuardDutyClient).send(new CreateDetectorCommand({ Enable: true, Features: features }));
    await aws.client(SecurityHubClient).send(new EnableSecurityHubCommand({}));
    const run = await collectAws(aws.moto, [guardDutyDetectors, securityHubHubs], TWO_REGIONS);
    expect(run.results(guardduty)).toEqual([['us-east-1', 'pass', 'enabled'], ['eu-west-1', 'fail', 'no-detector']]);
    // moto has no GetEnabledStandards: the standards of the hub that is on are not read (test/aws/securityhub-standards.test.ts answers it).
    expect(run.results(securityhub)).toEqual([['us-east-1', 'unverified', 'standards-not-read'], ['eu-west-1', 'fail', 'disabled']]);
  });

  it('a detector that is disabled fails', async () => {
    await aws.client(GuardDutyClient).send(new CreateDetectorCommand({ Enable: false }));
    expect((await collectAws(aws.moto, [guardDutyDetectors])).results(guardduty)).toEqual([['us-east-1', 'fail', 'disabled']]);
  });
});

describe('aws.logs.retention against moto', () => {
  it('never-expiring and six-year groups pass; a 30-day group fails', async () => {
    const logs = aws.client(CloudWatchLogsClient);
    for (const name of ['/aws/lambda/api', '/audit/app', '/aws/rds/cluster/db/postgresql']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/audit/app', retentionInDays: 2192 }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/rds/cluster/db/postgresql', retentionInDays: 30 }));
    const run = await collectAws(aws.moto, [logGroups]);
    const byName = Object.fromEntries(run.results(logsRetention).map(([resource, status, code]) => [resource.replace(/^arn:aws:logs:us-east-1:123456789012:log-group:/, '').replace(/:\*$/, ''), [status, code]]));
    expect(byName).toEqual({ '/aws/lambda/api': ['pass', 'retained'], '/audit/app': ['pass', 'retained'], '/aws/rds/cluster/db/postgresql': ['fail', 'too-short'] });
  });
});

describe('CloudTrail encryption, CloudWatch Logs delivery and S3 data events against moto', () => {
  async function trail(options: { kms?: string; logGroup?: string; selectors?: boolean }) {
    await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: 'phi-files' }));
    const cloudtrail = aws.client(CloudTrailClient);
    const created = await cloudtrail.send(
      new CreateTrailCommand({
        Name: 'audit', S3BucketName: 'trail-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true,
        ...(options.kms ? { KmsKeyId: options.kms } : {}),
        ...(options.logGroup ? { CloudWatchLogsLogGroupArn: options.logGroup, CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/trail-to-logs' } : {}),
      }),
    );
    await cloudtrail.send(new StartLoggingCommand({ Name: 'audit' }));
    if (options.selectors) {
      await cloudtrail.send(
        new PutEventSelectorsCommand({ TrailName: 'audit', EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::phi-files/'] }] }] }),
      );
    }
    return created.TrailARN!;
  }

  it('a plain trail fails all three', async () => {
    const arn = await trail({});
    const run = await collectAws(aws.moto, [cloudtrailTrailSettings, s3Buckets], { aws: { s3: { buckets: [{ name: 'phi-files' }] } } });
    expect(run.results(kmsEncryption)).toEqual([[arn, 'fail', 'not-encrypted']]);
    expect(run.results(cloudwatchLogsDelivery)).toEqual([[arn, 'fail', 'not-delivered']]);
    expect(run.results(dataEvents)).toEqual([['phi-files', 'fail', 'not-recorded']]);
  });

  it('a KMS-encrypted trail delivering to CloudWatch Logs, with data events on the PHI bucket, passes all three', async () => {
    const key = (await aws.client(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await aws.client(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: 'cloudtrail' }));
    const arn = await trail({ kms: key, logGroup: 'arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*', selectors: true });
    // moto never delivers to CloudWatch Logs: the proxy answers as AWS does a few minutes after the trail starts.
    const proxy = await startRewritingProxy(aws.moto.endpoint, {
      'cloudtrail:GetTrailStatus': { answer: (answer) => jsonAnswer(200, { ...(JSON.parse(answer.body) as object), LatestCloudWatchLogsDeliveryTime: Date.now() / 1000 - 60 }) },
    });
    const run = await collectAws(proxy, [cloudtrailTrailSettings, s3Buckets], { aws: { s3: { buckets: [{ name: 'phi-files' }] } } }).finally(() => proxy.close());
    expect(run.results(kmsEncryption)).toEqual([[arn, 'pass', 'encrypted']]);
    expect(run.results(cloudwatchLogsDelivery)).toEqual([[arn, 'pass', 'delivered']]);
    expect(run.results(dataEvents)).toEqual([['phi-files', 'pass', 'recorded']]);
  });

  it('the trails are read once for both trail facts (DescribeTrails once per region, status and selectors once per trail)', async () => {
    await trail({ selectors: true });
    const proxy = await startFaultProxy(aws.moto.endpoint);
    try {
      await collectAws({ endpoint: proxy.endpoint }, [cloudtrailTrails, cloudtrailTrailSettings]);
      expect(Object.fromEntries([...proxy.seen].filter(([action]) => action.startsWith('cloudtrail:')))).toEqual({
        'cloudtrail:DescribeTrails': 1,
        'cloudtrail:GetTrailStatus': 1,
        'cloudtrail:GetEventSelectors': 1,
      });
    } finally {
      await proxy.stop();
    }
  });

  it('data events on another bucket do not cover a PHI bucket', async () => {
    await trail({ selectors: true });
    await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: 'phi-videos' }));
    const run = await collectAws(aws.moto, [cloudtrailTrailSettings, s3Buckets], { aws: { s3: { buckets: [{ name: 'phi-files' }, { name: 'phi-videos' }] } } });
    expect(run.results(dataEvents)).toEqual([['phi-files', 'pass', 'recorded'], ['phi-videos', 'fail', 'not-recorded']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
