import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import cloudwatchLogsDelivery from '../../../checks/aws/aws.cloudtrail.cloudwatch-logs.js';
import { cloudtrailTrailSettings } from '../../../src/facts/aws-detection.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { startRewritingProxy, type Rewrite } from '../../support/rewriting-proxy.js';

const aws = motoForFile();

const GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail/audit:*';
const DAY = 86_400;

/** A logging trail delivering to `logGroup` (multi-region unless told), with the log group created unless `createGroup: false`. */
async function trail(name: string, options: { logGroup?: string | null; multiRegion?: boolean; createGroup?: boolean } = {}): Promise<string> {
  await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
  const logGroup = options.logGroup === undefined ? GROUP : options.logGroup;
  if (logGroup && options.createGroup !== false) {
    const groupName = /:log-group:(.+):\*$/.exec(logGroup)![1]!;
    await aws.client(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: groupName })).catch(() => undefined);
  }
  const cloudtrail = aws.client(CloudTrailClient);
  const created = await cloudtrail.send(
    new CreateTrailCommand({
      Name: name, S3BucketName: `${name}-logs`, IsMultiRegionTrail: options.multiRegion ?? true,
      ...(logGroup ? { CloudWatchLogsLogGroupArn: logGroup, CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/trail-to-logs' } : {}),
    }),
  );
  // AWS gives a new trail a selector of every management event; moto gives it none.
  await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: name, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
  await cloudtrail.send(new StartLoggingCommand({ Name: name }));
  return created.TrailARN!;
}

/** GetTrailStatus as AWS answers it once CloudTrail has delivered to CloudWatch Logs (moto never reports a delivery there). */
function status(fields: Record<string, unknown>): Record<string, Rewrite> {
  return {
    'cloudtrail:GetTrailStatus': {
      answer: (answer) => ({ ...answer, body: JSON.stringify({ ...JSON.parse(answer.body), ...fields }) }),
    },
  };
}
const deliveredSecondsAgo = (seconds: number) => status({ LatestCloudWatchLogsDeliveryTime: Date.now() / 1000 - seconds });

async function results(rewrites: Record<string, Rewrite>): Promise<string[]> {
  const proxy = await startRewritingProxy(aws.moto.endpoint, rewrites);
  try {
    const run = await collectAws({ endpoint: proxy.endpoint }, [cloudtrailTrailSettings]);
    return run.results(cloudwatchLogsDelivery).map(([resource, state, code]) => `${resource.replace(/^arn:aws:cloudtrail:us-east-1:123456789012:trail\//, '')} ${state} ${code}`);
  } finally {
    await proxy.close();
  }
}

describe('aws.cloudtrail.cloudwatch-logs against moto: delivery that is not happening', () => {
  it('a multi-region trail recording management events, delivering minutes ago to a group that exists, passes', async () => {
    await trail('audit');
    expect(await results(deliveredSecondsAgo(300))).toEqual(['audit pass delivered']);
  });

  it('LatestCloudWatchLogsDeliveryError set fails', async () => {
    await trail('audit');
    const error = 'Access denied. Verify in IAM that the role has adequate permissions.';
    expect(await results(status({ LatestCloudWatchLogsDeliveryError: error, LatestCloudWatchLogsDeliveryTime: Date.now() / 1000 - 300 }))).toEqual(['audit fail delivery-failing']);
  });

  it('a last delivery three days old fails: CloudWatch Logs has stopped receiving the trail', async () => {
    await trail('audit');
    expect(await results(deliveredSecondsAgo(3 * DAY))).toEqual(['audit fail delivery-stale']);
  });

  it('a trail that has never delivered (no LatestCloudWatchLogsDeliveryTime, as moto answers) is unverified, not pass', async () => {
    await trail('audit');
    expect(await results({})).toEqual(['audit unverified never-delivered']);
  });

  it('a trail that is not logging is no pass', async () => {
    await trail('audit');
    await aws.client(CloudTrailClient).send(new StopLoggingCommand({ Name: 'audit' }));
    expect(await results(deliveredSecondsAgo(300))).toEqual(['cloudtrail fail no-trails']);
  });

  it('the log group named by CloudWatchLogsLogGroupArn no longer exists: fails', async () => {
    await trail('audit', { createGroup: false });
    expect(await results(deliveredSecondsAgo(300))).toEqual(['audit fail log-group-missing']);
  });

  it('the log group could not be read: unverified', async () => {
    await trail('audit');
    const denied = { reply: () => ({ status: 400, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException' }, body: JSON.stringify({ __type: 'AccessDeniedException', message: 'not authorized to perform logs:DescribeLogGroups' }) }) };
    expect(await results({ ...deliveredSecondsAgo(300), 'logs:DescribeLogGroups': denied })).toEqual(['audit unverified log-group-unknown']);
  });

  it('only a single-region trail delivers: it passes for itself, but the account fails (other regions raise no alarm)', async () => {
    await trail('audit', { multiRegion: false });
    expect(await results(deliveredSecondsAgo(300))).toEqual(['audit pass delivered', 'cloudtrail fail not-account-wide']);
  });

  it('the delivering trail records no management events (data events only): the account fails', async () => {
    await trail('audit');
    await aws.client(CloudTrailClient).send(
      new PutEventSelectorsCommand({ TrailName: 'audit', EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::phi-files/'] }] }] }),
    );
    expect(await results(deliveredSecondsAgo(300))).toEqual(['audit pass delivered', 'cloudtrail fail not-account-wide']);
  });

  it('a multi-region management trail that does not deliver beside a single-region one that does: both shown, the gap too', async () => {
    await trail('audit', { logGroup: null });
    await trail('regional', { multiRegion: false });
    expect(await results(deliveredSecondsAgo(300))).toEqual(['audit fail not-delivered', 'regional pass delivered', 'cloudtrail fail not-account-wide']);
  });
});
