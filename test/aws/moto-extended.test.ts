import { ApiGatewayV2Client, CreateApiCommand, CreateStageCommand, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient, DescribeAlarmsCommand, EnableAlarmActionsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBClusterCommand, DescribeDBClustersCommand, ModifyDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient, DescribeDeliveryChannelStatusCommand, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EC2Client, GetEbsDefaultKmsKeyIdCommand, ModifyEbsDefaultKmsKeyIdCommand } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { BatchEnableStandardsCommand, EnableSecurityHubCommand, GetEnabledStandardsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import securityhubEnabled from '../../checks/aws/aws.securityhub.enabled.js';
import { securityHubHubs } from '../../src/facts/aws-detection.js';
import apigatewayLogging from '../../checks/aws/aws.apigateway.logging.js';
import logExports from '../../checks/aws/aws.rds.log-exports.js';
import alarmsActions from '../../checks/monitoring/monitoring.alarms.actions.js';
import { cloudwatchAlarms, rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { apiGatewayStages, apiGatewayV2Stages, snsTopics } from '../../src/facts/aws-account.js';
import { rdsClusterSettings, rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import { collectAws, useMotoCredentials } from '../support/aws-collect.js';
import { startMoto, type Moto } from '../support/moto.js';

/**
 * test/support/moto-extended.py adds the writes moto 5.2 lacks, for the fix round trip. Each is checked here as
 * the AWS SDK sends it (the AWS CLI is checked by the round trip), and each check that reads its result is asked
 * the question the fix raises: can it pass while the thing is still unsafe?
 */
let moto: Moto;
const aws = { region: 'us-east-1' };
let cloudwatch: CloudWatchClient;
let sns: SNSClient;
let apigatewayv2: ApiGatewayV2Client;
let rds: RDSClient;
let securityhub: SecurityHubClient;
let ec2: EC2Client;
let kms: KMSClient;

beforeAll(async () => {
  moto = await startMoto({}, { extended: true });
  useMotoCredentials(moto);
  const client = { ...aws, endpoint: moto.endpoint };
  cloudwatch = new CloudWatchClient(client);
  sns = new SNSClient(client);
  apigatewayv2 = new ApiGatewayV2Client(client);
  rds = new RDSClient(client);
  securityhub = new SecurityHubClient(client);
  ec2 = new EC2Client(client);
  kms = new KMSClient(client);
});
afterAll(async () => {
  for (const client of [cloudwatch, sns, apigatewayv2, rds, securityhub, ec2, kms]) client?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

describe('CloudWatch EnableAlarmActions', () => {
  const alarm = (name: string, actions: string[], enabled: boolean) =>
    cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name, Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 300, EvaluationPeriods: 2,
        Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', ActionsEnabled: enabled, AlarmActions: actions,
      }),
    );
  const enabled = async () => Object.fromEntries(((await cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => [a.AlarmName, a.ActionsEnabled]));

  it('enables the named alarms only; a name that does not exist changes nothing and is no error', async () => {
    await alarm('named', [], false);
    await alarm('other', [], false);
    await cloudwatch.send(new EnableAlarmActionsCommand({ AlarmNames: ['named', 'no-such-alarm'] }));
    expect(await enabled()).toEqual({ named: true, other: false });
  });

  it('hole: enabling the actions of an alarm that notifies nobody, or nothing, does not make it pass', async () => {
    const { TopicArn: nobody } = await sns.send(new CreateTopicCommand({ Name: 'nobody' }));
    const { TopicArn: alerts } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    await sns.send(new SubscribeCommand({ TopicArn: alerts, Protocol: 'email', Endpoint: 'oncall@example.com' }));
    await alarm('a-unsubscribed', [nobody!], false);
    await alarm('b-no-action', [], false);
    await alarm('c-subscribed', [alerts!], false);
    const facts = [cloudwatchAlarms, snsTopics];
    expect((await collectAws(moto, facts)).results(alarmsActions).map(([, , code]) => code)).toEqual(['actions-disabled', 'actions-disabled', 'actions-disabled']);
    await cloudwatch.send(new EnableAlarmActionsCommand({ AlarmNames: ['a-unsubscribed', 'b-no-action', 'c-subscribed'] }));
    expect((await collectAws(moto, facts)).results(alarmsActions)).toEqual([
      ['a-unsubscribed', 'fail', 'no-confirmed-subscription'],
      ['b-no-action', 'fail', 'no-action'],
      ['c-subscribed', 'pass', 'notifies'],
    ]);
  });
});

describe('CloudTrail GetTrailStatus LatestCloudWatchLogsDeliveryTime', () => {
  it('is given for a logging trail with a log group only, as AWS delivers to it', async () => {
    const client = { ...aws, endpoint: moto.endpoint };
    const cloudtrail = new CloudTrailClient(client);
    const s3 = new S3Client({ ...client, forcePathStyle: true });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
      const group = 'arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*';
      await cloudtrail.send(new CreateTrailCommand({ Name: 'to-logs', S3BucketName: 'trail-logs', CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/trail' }));
      await cloudtrail.send(new CreateTrailCommand({ Name: 's3-only', S3BucketName: 'trail-logs' }));
      const delivered = async (Name: string) => (await cloudtrail.send(new GetTrailStatusCommand({ Name }))).LatestCloudWatchLogsDeliveryTime;
      expect(await delivered('to-logs')).toBeUndefined();
      for (const Name of ['to-logs', 's3-only']) await cloudtrail.send(new StartLoggingCommand({ Name }));
      expect((await delivered('to-logs'))!.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(await delivered('s3-only')).toBeUndefined();
    } finally {
      cloudtrail.destroy();
      s3.destroy();
    }
  });
});

describe('AWS Config DescribeDeliveryChannelStatus', () => {
  it('answers each channel: history delivered now once its recorder records, Not_Applicable before; an unknown name is NoSuchDeliveryChannelException', async () => {
    const client = { ...aws, endpoint: moto.endpoint };
    const config = new ConfigServiceClient(client);
    const s3 = new S3Client({ ...client, forcePathStyle: true });
    try {
      const history = async () => (await config.send(new DescribeDeliveryChannelStatusCommand({}))).DeliveryChannelsStatus?.map((s) => [s.name, s.configHistoryDeliveryInfo?.lastStatus]);
      expect(await history()).toEqual([]);
      await s3.send(new CreateBucketCommand({ Bucket: 'config-history' }));
      await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: 'arn:aws:iam::123456789012:role/config', recordingGroup: { allSupported: true } } }));
      await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-history' } }));
      expect(await history()).toEqual([['default', 'Not_Applicable']]);
      await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
      const [status] = (await config.send(new DescribeDeliveryChannelStatusCommand({ DeliveryChannelNames: ['default'] }))).DeliveryChannelsStatus!;
      expect(status?.configHistoryDeliveryInfo?.lastStatus).toBe('Success');
      expect(status?.configHistoryDeliveryInfo?.lastSuccessfulTime!.getTime()).toBeGreaterThan(Date.now() - 60_000);
      await expect(config.send(new DescribeDeliveryChannelStatusCommand({ DeliveryChannelNames: ['other'] }))).rejects.toMatchObject({ name: 'NoSuchDeliveryChannelException' });
    } finally {
      config.destroy();
      s3.destroy();
    }
  });
});

describe('EC2 GetEbsDefaultKmsKeyId', () => {
  it('answers alias/aws/ebs until a key is set, then the key ModifyEbsDefaultKmsKeyId set', async () => {
    expect((await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe('alias/aws/ebs');
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await ec2.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: key.KeyId }));
    expect((await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(key.Arn);
  });
});

describe('Security Hub standards', () => {
  const FSBP = 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0';
  const standards = async () => ((await securityhub.send(new GetEnabledStandardsCommand({}))).StandardsSubscriptions ?? []).map((s) => [s.StandardsArn, s.StandardsStatus]);

  it('EnableSecurityHub subscribes to the default standards unless told not to; a reset forgets them', async () => {
    await securityhub.send(new EnableSecurityHubCommand({}));
    expect(await standards()).toEqual([
      [FSBP, 'READY'],
      ['arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0', 'READY'],
    ]);
    await moto.reset();
    await securityhub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    expect(await standards()).toEqual([]);
  });

  it('hole: a hub without standards fails; BatchEnableStandards (the printed fix) makes it pass', async () => {
    await securityhub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    expect((await collectAws(moto, [securityHubHubs])).results(securityhubEnabled)).toEqual([['us-east-1', 'fail', 'no-standards']]);
    await securityhub.send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: FSBP }] }));
    expect(await standards()).toEqual([[FSBP, 'READY']]);
    expect((await collectAws(moto, [securityHubHubs])).results(securityhubEnabled)).toEqual([['us-east-1', 'pass', 'enabled']]);
  });
});

describe('API Gateway v2 UpdateStage', () => {
  const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/http';
  const FACTS = [apiGatewayStages, apiGatewayV2Stages];

  it('sets the members sent, keeps the others, answers the stage; an unknown stage is NotFoundException', async () => {
    const { ApiId } = await apigatewayv2.send(new CreateApiCommand({ Name: 'http', ProtocolType: 'HTTP' }));
    await apigatewayv2.send(new CreateStageCommand({ ApiId, StageName: '$default', Description: 'kept' }));
    const answer = await apigatewayv2.send(
      new UpdateStageCommand({ ApiId, StageName: '$default', AccessLogSettings: { DestinationArn: LOG_GROUP, Format: '$context.requestId' }, DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } }),
    );
    const stage = await apigatewayv2.send(new GetStageCommand({ ApiId, StageName: '$default' }));
    for (const read of [answer, stage]) {
      expect(read).toMatchObject({ StageName: '$default', Description: 'kept', AccessLogSettings: { DestinationArn: LOG_GROUP }, DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } });
    }
    await expect(apigatewayv2.send(new UpdateStageCommand({ ApiId, StageName: 'missing', Description: 'x' }))).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('hole: a stage given logging and a rate but no burst, or whose logging is emptied, still fails', async () => {
    const { ApiId } = await apigatewayv2.send(new CreateApiCommand({ Name: 'http', ProtocolType: 'HTTP' }));
    await apigatewayv2.send(new CreateStageCommand({ ApiId, StageName: '$default' }));
    const update = (settings: Omit<ConstructorParameters<typeof UpdateStageCommand>[0], 'ApiId' | 'StageName'>) => apigatewayv2.send(new UpdateStageCommand({ ApiId, StageName: '$default', ...settings }));
    const result = async () => (await collectAws(moto, FACTS)).results(apigatewayLogging);
    await update({ AccessLogSettings: { DestinationArn: LOG_GROUP, Format: '$context.requestId' }, DefaultRouteSettings: { ThrottlingRateLimit: 100 } });
    expect(await result()).toEqual([[`${ApiId}/$default`, 'fail', 'no-throttling']]);
    await update({ DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } });
    expect(await result()).toEqual([[`${ApiId}/$default`, 'pass', 'configured']]);
    await update({ AccessLogSettings: { DestinationArn: '', Format: '' } });
    expect(await result()).toEqual([[`${ApiId}/$default`, 'fail', 'no-access-logging']]);
  });
});

describe('RDS ModifyDBCluster CloudwatchLogsExportConfiguration', () => {
  const FACTS = [rdsClusters, rdsInstances, rdsClusterSettings, rdsInstanceNetwork];
  const exportsOf = async () => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'aurora' }))).DBClusters![0]!.EnabledCloudwatchLogsExports ?? [];
  const modify = (configuration: { EnableLogTypes?: string[]; DisableLogTypes?: string[] }) =>
    rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'aurora', CloudwatchLogsExportConfiguration: configuration, ApplyImmediately: true }));

  it('enables each type once, disables what it names, and answers the new list', async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.3', MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' }));
    const answer = await modify({ EnableLogTypes: ['postgresql'] });
    expect(answer.DBCluster?.EnabledCloudwatchLogsExports).toEqual(['postgresql']);
    await modify({ EnableLogTypes: ['postgresql', 'iam-db-auth-error'] });
    expect(await exportsOf()).toEqual(['postgresql', 'iam-db-auth-error']);
    await modify({ DisableLogTypes: ['postgresql'] });
    expect(await exportsOf()).toEqual(['iam-db-auth-error']);
  });

  it('hole: a cluster exporting another log than postgresql fails, and fails again once postgresql is disabled', async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.3', MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1', EnableCloudwatchLogsExports: ['iam-db-auth-error'] }));
    const result = async () => (await collectAws(moto, FACTS)).results(logExports);
    expect(await result()).toEqual([['aurora', 'fail', 'not-exported']]);
    await modify({ EnableLogTypes: ['postgresql'] });
    expect(await result()).toEqual([['aurora', 'pass', 'exported']]);
    await modify({ DisableLogTypes: ['postgresql'] });
    expect(await result()).toEqual([['aurora', 'fail', 'not-exported']]);
  });
});
