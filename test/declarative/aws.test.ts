import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMotoCredentials } from '../support/aws-collect.js';
import { startFaultProxy, type Fault } from '../support/fault-proxy.js';
import { startMoto, type Moto } from '../support/moto.js';
import { entry, runDeclared, tempFolder } from './support.js';

let moto: Moto;
let folder: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  folder = await tempFolder();
  const rds = new RDSClient({ region: 'us-east-1', endpoint: moto.endpoint });
  const credentials = { MasterUsername: 'admin', MasterUserPassword: 'planted-password-1' };
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'tagged', Engine: 'aurora-postgresql', Tags: [{ Key: 'data-class', Value: 'phi' }], ...credentials }));
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'untagged', Engine: 'aurora-postgresql', Tags: [{ Key: 'team', Value: 'core' }], ...credentials }));
  rds.destroy();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  await folder?.cleanup();
});

const config = (endpoint: string, ...entries: string[]) => `project: test\naws: { region: us-east-1, endpoint: "${endpoint}" }\ncustomChecks:\n${entries.join('')}`;
const aws = (body: string) => `aws:\n  ${body.trim().split('\n').join('\n  ')}`;
const CLUSTER_TAGS = aws(`service: rds\noperation: DescribeDBClusters\neach: $.DBClusters[*]\nresource: $.DBClusterIdentifier\nexpect: { path: "$.TagList[*].Key", includes: data-class }`);
const BUCKET_TAGS = aws(`service: s3\noperation: ListBuckets\neach: $.Buckets[*]\nresource: $.Name\nexpect: { path: $.Name, matches: "^phi-" }`);

async function throughFault(action: string, fault: Fault, check: string) {
  const proxy = await startFaultProxy(moto.endpoint, { action, fault });
  try {
    return await runDeclared(config(proxy.endpoint, check), folder.dir);
  } finally {
    await proxy.stop();
  }
}

describe('declared AWS checks against moto: holes first', () => {
  it('AccessDenied, throttling and an empty body are unverified, never a pass', async () => {
    const denied = await throughFault('rds:DescribeDBClusters', 'http-403', entry('custom.cluster-tags', CLUSTER_TAGS, 'aws'));
    expect(denied.outcomes.get('custom.cluster-tags.aws')).toMatchObject({ ok: false, failure: { kind: 'AccessDenied' } });
    expect(denied.results[0]!.remediation.text).toContain('grant rds:DescribeDBClusters');
    const throttled = await throughFault('rds:DescribeDBClusters', 'throttled', entry('custom.cluster-tags', CLUSTER_TAGS, 'aws'));
    expect(throttled.outcomes.get('custom.cluster-tags.aws')).toMatchObject({ ok: false, failure: { kind: 'Throttled' } });
    const empty = await throughFault('rds:DescribeDBClusters', 'empty-200', entry('custom.cluster-tags', CLUSTER_TAGS, 'aws'));
    expect(empty.outcomes.get('custom.cluster-tags.aws')).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
    for (const run of [denied, throttled, empty]) expect(run.rows.map(([, , status]) => status)).toEqual(['unverified']);
  }, 60_000);

  it('an answer without the list the path names is malformed, not "no elements"', async () => {
    const run = await throughFault('rds:DescribeDBClusters', 'missing-list', entry('custom.cluster-tags', CLUSTER_TAGS, 'aws'));
    expect(run.outcomes.get('custom.cluster-tags.aws')).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
    expect(run.rows.map(([, , status]) => status)).toEqual(['unverified']);
  });

  it('"every element" over a well-formed empty list fails (no vacuous pass), or is not applicable with allowNone', async () => {
    const run = await runDeclared(config(moto.endpoint, entry('custom.bucket-names', BUCKET_TAGS, 'aws'), entry('custom.bucket-names-optional', `${BUCKET_TAGS}\n  allowNone: true`, 'aws')), folder.dir);
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.bucket-names', 'fail', 'none'],
      ['custom.bucket-names-optional', 'not_applicable', 'none-allowed'],
    ]);
  });

  it('credentials of another account than aws.accountId: unverified, like the built-in AWS facts', async () => {
    const yaml = config(moto.endpoint, entry('custom.cluster-tags', CLUSTER_TAGS, 'aws')).replace('region: us-east-1,', 'region: us-east-1, accountId: "999999999999",');
    const run = await runDeclared(yaml, folder.dir);
    expect(run.outcomes.get('custom.cluster-tags.aws')).toMatchObject({ ok: false, failure: { kind: 'NoCredentials' } });
  });
});

describe('declared AWS checks against moto: the happy path', () => {
  it('every cluster must carry the data-class tag: one result per cluster, named by its identifier', async () => {
    const run = await runDeclared(config(moto.endpoint, entry('custom.cluster-tags', CLUSTER_TAGS, 'aws')), folder.dir);
    expect(run.rows.map(([, resource, status, code]) => [resource, status, code]).sort()).toEqual([
      ['tagged', 'pass', 'met'],
      ['untagged', 'fail', 'unmet'],
    ]);
    expect(run.results.find((r) => r.resource === 'untagged')!.evidence).toMatchObject({ action: 'rds:DescribeDBClusters', values: ['team'] });
  });

  it('a count within bounds passes, outside fails', async () => {
    const count = (min: number, max: number) => aws(`service: rds\noperation: DescribeDBClusters\ncount: { path: "$.DBClusters[*]", min: ${min}, max: ${max} }`);
    const run = await runDeclared(config(moto.endpoint, entry('custom.two-clusters', count(2, 2), 'aws'), entry('custom.one-cluster', count(1, 1), 'aws')), folder.dir);
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.two-clusters', 'pass', 'count-within'],
      ['custom.one-cluster', 'fail', 'count-outside'],
    ]);
  });
});
