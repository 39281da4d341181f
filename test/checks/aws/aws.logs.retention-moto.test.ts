import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import logsRetention from '../../../checks/aws/aws.logs.retention.js';
import { logGroups } from '../../../src/facts/aws-detection.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import { startFaultProxy } from '../../support/fault-proxy.js';
import { jsonAnswer, startRewritingProxy } from '../../support/rewriting-proxy.js';

const aws = motoForFile();

const byName = (results: [string, string, string][]) =>
  Object.fromEntries(results.map(([resource, status, code]) => [resource.replace(/^arn:aws:logs:[^:]+:123456789012:log-group:/, '').replace(/:\*$/, ''), `${status} ${code}`]));

describe('aws.logs.retention against moto: which groups, and all of them', () => {
  it('the audit trail’s log group kept a few days fails, as do Lambda and API Gateway groups kept a month', async () => {
    const logs = aws.client(CloudWatchLogsClient);
    for (const name of ['cloudtrail/audit', '/aws/lambda/ehr-api', 'API-Gateway-Execution-Logs_abc123/prod']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'cloudtrail/audit', retentionInDays: 3 }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/ehr-api', retentionInDays: 30 }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'API-Gateway-Execution-Logs_abc123/prod', retentionInDays: 30 }));
    await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: 'audit-logs' }));
    const cloudtrail = aws.client(CloudTrailClient);
    await cloudtrail.send(
      new CreateTrailCommand({
        Name: 'audit', S3BucketName: 'audit-logs', IsMultiRegionTrail: true,
        CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail/audit:*', CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/trail-to-logs',
      }),
    );
    await cloudtrail.send(new StartLoggingCommand({ Name: 'audit' }));
    expect(byName((await collectAws(aws.moto, [logGroups])).results(logsRetention))).toEqual({
      'cloudtrail/audit': 'fail too-short',
      '/aws/lambda/ehr-api': 'fail too-short',
      'API-Gateway-Execution-Logs_abc123/prod': 'fail too-short',
    });
  });

  it('DescribeLogGroups is followed to its last page (nextToken): a short group on page two fails', async () => {
    const logs = aws.client(CloudWatchLogsClient);
    const names = Array.from({ length: 55 }, (_, i) => `/app/group-${String(i).padStart(2, '0')}`);
    for (const name of names) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: names.at(-1)!, retentionInDays: 1 }));
    const proxy = await startFaultProxy(aws.moto.endpoint);
    try {
      const results = byName((await collectAws({ endpoint: proxy.endpoint }, [logGroups])).results(logsRetention));
      expect(Object.keys(results)).toHaveLength(55);
      expect(results[names.at(-1)!]).toBe('fail too-short');
      expect(proxy.seen.get('logs:DescribeLogGroups')).toBe(2);
    } finally {
      await proxy.stop();
    }
  });

  it('a page that cannot be read leaves the check unverified, not a pass on the pages read', async () => {
    const logs = aws.client(CloudWatchLogsClient);
    for (let i = 0; i < 55; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/app/group-${String(i).padStart(2, '0')}` }));
    const denied = jsonAnswer(400, { __type: 'AccessDeniedException', message: 'not authorized to perform logs:DescribeLogGroups' });
    const proxy = await startRewritingProxy(aws.moto.endpoint, {
      'logs:DescribeLogGroups': { answer: (answer, request) => ((JSON.parse(request) as { nextToken?: string }).nextToken ? denied : answer) },
    });
    try {
      const run = await collectAws({ endpoint: proxy.endpoint }, [logGroups]);
      expect(run.results(logsRetention).map(([, status, code]) => `${status} ${code}`)).toEqual(['unverified fact-unavailable']);
    } finally {
      await proxy.close();
    }
  });
});
