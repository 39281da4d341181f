import { isDeepStrictEqual } from 'node:util';
import { CreateDBInstanceCommand, CreateDBParameterGroupCommand, ModifyDBParameterGroupCommand, RDSClient } from '@aws-sdk/client-rds';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsChecks } from '../../checks/aws/index.js';
import { infoChecks } from '../../checks/info/index.js';
import { monitoringChecks } from '../../checks/monitoring/index.js';
import { AwsSession } from '../../src/collectors/aws/session.js';
import { collectors } from '../../src/collectors/index.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { LoadedConfig } from '../../src/config/load.js';
import { collectFacts } from '../../src/engine/collect.js';
import { buildReport, collectLive } from '../../src/engine/run.js';
import { factOf, type AnyCheck, type FactDefinition, type FactOutcome, type Report, type Status } from '../../src/model.js';
import { acmCertificates, cloudfrontDistributions, rdsClusters, rdsInstanceParameterGroups, rdsInstances, s3Buckets } from '../../src/facts/aws.js';
import { cognitoIdentityPools, cognitoUserPools, secretsManagerSecrets } from '../../src/facts/aws-account.js';
import { makeConfig } from '../support/check-tester.js';
import { FAULTS, startFaultProxy } from '../support/fault-proxy.js';
import { buildMixedAccount, type MixedAccount } from '../support/mixed-account.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';
import { startBackupStandIn, type BackupStandIn } from '../support/backup-stand-in.js';
import { BackupClient, CreateBackupPlanCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';

/**
 * Fields of a fact that only some checks read, filled by a call of their own: a fault of that call changes
 * the fact for them, and leaves every other check's evidence as it was (wafv2:GetWebACL, DescribeManagedRuleGroup,
 * GetRuleGroup → webAcl).
 */
const FIELDS_READ_BY: Record<string, { field: string; checks: readonly string[] }> = {
  'aws.cloudfront.distributions': { field: 'webAcl', checks: ['aws.cloudfront.waf'] },
};

const withoutField = (value: unknown, field: string): unknown =>
  Array.isArray(value) ? value.map((item) => (item && typeof item === 'object' ? Object.fromEntries(Object.entries(item).filter(([key]) => key !== field)) : item)) : value;

// Every AWS call the collectors make, one at a time, answered through a fault proxy in front of moto
// with each fault of FAULTS. The estate is the mixed account (a good and a bad resource of every kind)
// plus a standalone PostgreSQL 16 instance whose parameter group turns rds.force_ssl off, an AWS Backup
// plan (its selections and the protected resources come from the backup stand-in in front of moto,
// which cannot serve them; every request passes through it) and an alarm topic under a customer key.
// For every combination: the run completes; a fact that read the faulted call either failed (unverified)
// or read exactly what it read without the fault; no result of a check using such a fact is `pass`
// unless it passed without the fault on unchanged evidence; no `fail` of the baseline turns into
// not_applicable, pass or nothing; the verdict is NOT_READY (exit code not 0).

const DAY_MS = 86_400_000;
const NOW = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
/**
 * A hung call ends at the collector's timeout; the others answer at once or after the SDK's retries.
 * On a loaded machine the calls before the hung one may use up the short timeout: the run is then
 * repeated with the longer one, so that the hang is really met.
 */
const HANG_TIMEOUT_MS = 4000;
const HANG_RETRY_TIMEOUT_MS = 15_000;
const CHECKS: AnyCheck[] = [...awsChecks, ...monitoringChecks, ...infoChecks];
const AWS_FACTS = [...collectors.values()].map((c) => c.fact).filter((fact) => fact.id.startsWith('aws.'));

let moto: Moto;
let account: MixedAccount;
/** What the fault proxies sit in front of: moto, behind the stand-in for AWS Backup's selections and protected resources. */
let upstream: BackupStandIn;

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
  delete process.env.AWS_PROFILE;
  account = await buildMixedAccount(moto, NOW);
  await createStandaloneInstance(moto);
  upstream = await startBackupStandIn(moto.endpoint);
  await createBackupAndAlertKey(moto, upstream);
}, 120_000);

afterAll(async () => {
  await upstream?.stop();
  await moto?.stop();
});

/** A daily plan selecting the good bucket by ARN and the rest by a tag one bucket carries (recovery point), and an alarm topic under a customer-managed key. */
async function createBackupAndAlertKey(target: Moto, standIn: BackupStandIn): Promise<void> {
  const options = { region: 'us-east-1', endpoint: target.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const backup = new BackupClient(options);
  const kms = new KMSClient(options);
  const sns = new SNSClient(options);
  const cloudwatch = new CloudWatchClient(options);
  try {
    const plan = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'daily', Rules: [{ RuleName: 'daily-35d', TargetBackupVaultName: 'Default', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: { DeleteAfterDays: 35 } }] } }));
    standIn.selections.set(plan.BackupPlanId!, [
      { SelectionName: 'files', Resources: [`arn:aws:s3:::${account.buckets.good}`] },
      { SelectionName: 'tagged', ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] },
    ]);
    standIn.protectedResources.push({ ResourceArn: `arn:aws:s3:::${account.buckets.bad}`, ResourceType: 'S3', LastBackupTime: NOW });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
      ],
    });
    const key = (await kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'encrypted-alerts', Attributes: { KmsMasterKeyId: key } }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'oncall@example.com' }));
    await cloudwatch.send(
      new PutMetricAlarmCommand({ AlarmName: 'rds-storage-low', Namespace: 'AWS/RDS', MetricName: 'FreeStorageSpace', Statistic: 'Average', Period: 300, EvaluationPeriods: 1, Threshold: 1e9, ComparisonOperator: 'LessThanThreshold', AlarmActions: [topic] }),
    );
  } finally {
    for (const client of [backup, kms, sns, cloudwatch]) client.destroy();
  }
}

async function createStandaloneInstance(target: Moto): Promise<void> {
  const rds = new RDSClient({ region: 'us-east-1', endpoint: target.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  try {
    await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'reports-tls-off', DBParameterGroupFamily: 'postgres16', Description: 'TLS optional' }));
    await rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: 'reports-tls-off', Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '0', ApplyMethod: 'immediate' }] }));
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'ehr-reports', Engine: 'postgres', EngineVersion: '16.3', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20,
        DBParameterGroupName: 'reports-tls-off', MasterUsername: 'reports', MasterUserPassword: 'not-a-real-password-2', StorageEncrypted: true, BackupRetentionPeriod: 30,
      }),
    );
  } finally {
    rds.destroy();
  }
}

function configFor(endpoint: string): LoadedConfig {
  const { buckets } = account;
  const input: ConfigInput = {
    project: 'fault-matrix',
    aws: {
      region: 'us-east-1',
      endpoint,
      rds: { minBackupRetentionDays: 30 },
      s3: { buckets: [{ name: buckets.good, versioning: 'required', glacierAfterDays: 90 }, { name: buckets.bad, versioning: 'required', glacierAfterDays: 90 }] },
      cloudwatch: { requiredAlarms: [{ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80 }, { namespace: 'AWS/ApiGateway', metric: '5XXError' }] },
    },
    domain: { name: account.domain, hosts: { app: account.appHost } },
    budget: { monthlyUsd: 250 },
  };
  return { config: makeConfig(input), file: 'fault-matrix.yaml', hash: '', unsetVariables: [], locate: () => ({ file: 'fault-matrix.yaml' }), locateKey: () => ({ file: 'fault-matrix.yaml' }), lineOf: () => undefined };
}

const factsOf = (check: AnyCheck) => Object.values(check.facts).map((ref) => factOf(ref as never).id);

/**
 * As `readiness check` runs: collectLive (the CLI's collection, identity included), then buildReport.
 * Only `facts` are collected; the others are taken from `reuse` (the unfaulted baseline), which keeps
 * each faulted run down to the calls that can meet the fault.
 */
async function assess(endpoint: string, facts: FactDefinition[], checks: AnyCheck[], options: { collectorTimeoutMs?: number; reuse?: Map<string, FactOutcome> } = {}) {
  const loaded = configFor(endpoint);
  const collected = await collectLive({ loaded, facts, now: NOW, env: { ...motoEnv(moto), AWS_ENDPOINT_URL: undefined }, // The run's budget bounds a hung call, as it does in the CLI (no per-collector cap).
    timeoutMs: options.collectorTimeoutMs ?? 30_000 });
  const outcomes = new Map([...(options.reuse ?? []), ...collected]);
  return { outcomes, report: buildReport({ loaded, checks, outcomes, now: NOW, source: { kind: 'live' } }) };
}

const allFacts = (checks: AnyCheck[]) => [...new Map(checks.flatMap((check) => Object.values(check.facts).map((ref) => factOf(ref as never))).map((f) => [f.id, f])).values()];

/** The actions each fact's collection sends (dependencies included), each fact collected alone behind its own proxy. */
async function actionsByFact(): Promise<Map<string, Set<string>>> {
  const byFact = new Map<string, Set<string>>();
  await Promise.all(
    AWS_FACTS.map(async (fact: FactDefinition) => {
      const proxy = await startFaultProxy(upstream.endpoint);
      const loaded = configFor(proxy.endpoint);
      const aws = new AwsSession({ config: loaded.config.aws, env: motoEnv(moto) });
      try {
        await collectFacts([fact], { collectors, context: { config: loaded.config, now: NOW, env: motoEnv(moto), baseDir: process.cwd(), aws }, collectorTimeoutMs: 30_000 });
        byFact.set(fact.id, new Set(proxy.seen.keys()));
      } finally {
        aws.destroy();
        await proxy.stop();
      }
    }),
  );
  return byFact;
}

type Key = string;
const keyOf = (r: { checkId: string; resource: string }): Key => `${r.checkId} ${r.resource}`;

describe('fault matrix: every AWS call × every fault, through a proxy in front of moto', () => {
  it('never reads a faulted answer as evidence: no pass from it, no fail turned away, never READY', async () => {
    const started = Date.now();
    const byFact = await actionsByFact();
    const factsByAction = new Map<string, Set<string>>();
    for (const [fact, actions] of byFact) for (const action of actions) factsByAction.set(action, (factsByAction.get(action) ?? new Set()).add(fact));
    // The calls of aws.backup.plan, aws.sns.encryption and the unlisted buckets are in the matrix.
    expect([...factsByAction.keys()]).toEqual(
      expect.arrayContaining(['backup:ListBackupPlans', 'backup:GetBackupPlan', 'backup:ListBackupSelections', 'backup:GetBackupSelection', 'backup:ListProtectedResources', 'sns:GetTopicAttributes', 'kms:GetKeyPolicy']),
    );
    expect(factsByAction.get('s3:GetBucketPolicy')).toContain('aws.s3.unlisted-bucket-settings');

    const discovered = Date.now();
    const clean = await startFaultProxy(upstream.endpoint);
    const baseline = await assess(clean.endpoint, allFacts(CHECKS), CHECKS);
    await clean.stop();
    const baselineStatus = new Map<Key, Status>(baseline.report.results.map((r) => [keyOf(r), r.status]));
    // The estate must give both outcomes, or "no pass" would prove nothing.
    expect(baseline.report.summary.pass).toBeGreaterThan(10);
    expect(baseline.report.summary.fail).toBeGreaterThan(10);

    const violations: string[] = [];
    const counts = { combinations: 0, notApplicable: 0, results: 0, pass: 0, passOnUnchangedEvidence: 0, fail: 0, unverified: 0, other: 0, factsFailed: 0, factsUnchanged: 0, factsChanged: 0 };
    const runs: (() => Promise<void>)[] = [];
    const secondsByFault = new Map<string, number>();
    for (const [action, faultedFacts] of [...factsByAction].sort(([a], [b]) => a.localeCompare(b))) {
      const checks = CHECKS.filter((check) => factsOf(check).some((id) => faultedFacts.has(id)));
      for (const fault of FAULTS) {
        runs.push(async () => {
          const runStarted = Date.now();
          const facts = AWS_FACTS.filter((fact) => faultedFacts.has(fact.id));
          const attempt = async (collectorTimeoutMs: number) => {
            const proxy = await startFaultProxy(upstream.endpoint, { action, fault });
            try {
              return { proxy, run: await assess(proxy.endpoint, facts, checks, { reuse: baseline.outcomes, collectorTimeoutMs }) };
            } finally {
              await proxy.stop();
            }
          };
          let { proxy, run } = await attempt(fault === 'hang' ? HANG_TIMEOUT_MS : 15_000);
          if (fault === 'hang' && proxy.injected === 0) ({ proxy, run } = await attempt(HANG_RETRY_TIMEOUT_MS));
          const where = `${action} × ${fault}`;
          secondsByFault.set(fault, (secondsByFault.get(fault) ?? 0) + (Date.now() - runStarted) / 1000);
          if (proxy.injected === 0) {
            // Only `missing-list` can find nothing to do (an answer without a list); anything else means the action was not reached.
            if (fault === 'missing-list') counts.notApplicable++;
            else violations.push(`${where}: the fault was never injected`);
            return;
          }
          counts.combinations++;
          check(where, faultedFacts, run);
        });
      }
    }

    function check(where: string, faultedFacts: Set<string>, run: Awaited<ReturnType<typeof assess>>): void {
      // A fact whose change lies only in a field some checks read is changed for those checks alone.
      const changed = new Map<string, readonly string[] | 'every check'>();
      for (const id of faultedFacts) {
        const outcome = run.outcomes.get(id);
        const before = baseline.outcomes.get(id);
        if (!outcome || !outcome.ok) counts.factsFailed++;
        else if (before?.ok && isDeepStrictEqual(outcome.value, before.value)) counts.factsUnchanged++;
        else {
          counts.factsChanged++;
          const part = FIELDS_READ_BY[id];
          const elsewhere = !part || !before?.ok || !isDeepStrictEqual(withoutField(outcome.value, part.field), withoutField(before.value, part.field));
          changed.set(id, elsewhere ? 'every check' : part.checks);
        }
      }
      const changedFor = (checkId: string, factId: string) => {
        const readers = changed.get(factId);
        return readers === 'every check' || (readers !== undefined && readers.includes(checkId));
      };
      const results = new Map(run.report.results.map((r) => [keyOf(r), r]));
      // An account-level check may name its one result differently when the caller identity is unreadable ('root' for the account id).
      const single = (report: Report, checkId: string) => {
        const of = report.results.filter((r) => r.checkId === checkId);
        return of.length === 1 ? of[0] : undefined;
      };
      const baselineOf = (r: Report['results'][number]) => baselineStatus.get(keyOf(r)) ?? (single(run.report, r.checkId) ? single(baseline.report, r.checkId)?.status : undefined);
      for (const result of results.values()) {
        counts.results++;
        counts[result.status === 'fail' ? 'fail' : result.status === 'unverified' ? 'unverified' : result.status === 'pass' ? 'passOnUnchangedEvidence' : 'other']++;
        const uses = factsOf(CHECKS.find((c) => c.meta.id === result.checkId)!);
        const before = baselineOf(result);
        // A pass may stand only where the check passed without the fault, on evidence the fault did not change.
        if (result.status === 'pass') {
          if (before !== 'pass' || uses.some((id) => changedFor(result.checkId, id))) {
            counts.passOnUnchangedEvidence--;
            counts.pass++;
            violations.push(`${where}: ${keyOf(result)} is pass (${result.code}); without the fault: ${before ?? 'absent'}`);
          }
        }
        if (result.status === 'not_applicable' && before !== 'not_applicable') violations.push(`${where}: ${keyOf(result)} is not_applicable (${result.code}); without the fault: ${before ?? 'absent'}`);
      }
      // A fail of the baseline stays a fail or becomes unverified (per resource, or for the whole check).
      for (const before of baseline.report.results.filter((r) => r.status === 'fail' && run.report.results.some((x) => x.checkId === r.checkId))) {
        const now = (results.get(keyOf(before)) ?? (single(baseline.report, before.checkId) ? single(run.report, before.checkId) : undefined))?.status;
        const checkUnverified = run.report.results.some((x) => x.checkId === before.checkId && x.status === 'unverified');
        if (now === 'fail' || now === 'unverified' || (now === undefined && checkUnverified)) continue;
        violations.push(`${where}: ${keyOf(before)} failed without the fault and is ${now ?? 'gone'} with it`);
      }
      if (run.report.verdict === 'READY') violations.push(`${where}: verdict READY (exit 0)`);
    }

    // Each run has its own proxy; runs only read moto, so they may overlap.
    const limit = pLimit(10);
    await Promise.all(runs.map((run) => limit(run)));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const total = counts.combinations + counts.notApplicable;
    console.log(
      `fault matrix: ${factsByAction.size} actions × ${FAULTS.length} faults = ${total} runs (${counts.combinations} faulted, ${counts.notApplicable} missing-list without a list to remove) in ${seconds} s; ` +
        `${counts.results} results of the checks using a faulted fact: pass from a faulted answer ${counts.pass}, fail ${counts.fail}, unverified ${counts.unverified}, ` +
        `other ${counts.other}, pass of another resource on unchanged evidence ${counts.passOnUnchangedEvidence}; ` +
        `faulted facts: ${counts.factsFailed} unverified, ${counts.factsUnchanged} read as without the fault, ${counts.factsChanged} read differently; violations ${violations.length}`,
    );
    console.log(`discovery ${((discovered - started) / 1000).toFixed(1)} s; run time summed per fault: ${[...secondsByFault].map(([f, t]) => `${f} ${t.toFixed(0)} s`).join(', ')}`);
    expect(violations).toEqual([]);
  }, 300_000);
});

/** Collects the facts through the real collectors behind `endpoint`, in `region`, with no bucket list in the config. */
async function collectPlain(endpoint: string, facts: FactDefinition[], region = 'us-east-1'): Promise<Map<string, FactOutcome>> {
  const config = makeConfig({ project: 'lists', aws: { region, endpoint } });
  const aws = new AwsSession({ config: config.aws, env: motoEnv(moto) });
  try {
    return await collectFacts(facts, { collectors, context: { config, now: NOW, env: motoEnv(moto), baseDir: process.cwd(), aws }, collectorTimeoutMs: 30_000 });
  } finally {
    aws.destroy();
  }
}

describe('"there are none" versus "the answer had no list"', () => {
  const LISTS: [string, FactDefinition][] = [
    ['rds:DescribeDBClusters', rdsClusters],
    ['rds:DescribeDBInstances', rdsInstances],
    ['rds:DescribeDBParameters', rdsInstanceParameterGroups],
    ['cloudfront:ListDistributions', cloudfrontDistributions],
    ['acm:ListCertificates', acmCertificates],
    ['secretsmanager:ListSecrets', secretsManagerSecrets],
    ['cognito-idp:ListUserPools', cognitoUserPools],
    ['s3:ListBuckets', s3Buckets],
  ];

  it.each(LISTS)('%s answering 200 without its list (empty body, HTML, bare root, list element taken out) is MalformedResponse', async (action, fact) => {
    const kinds: Record<string, string> = {};
    for (const fault of ['empty-200', 'html-200', 'bare-root', 'missing-list'] as const) {
      const proxy = await startFaultProxy(moto.endpoint, { action, fault });
      try {
        const outcome = (await collectPlain(proxy.endpoint, [fact])).get(fact.id);
        expect(proxy.injected, `${action} × ${fault} reached`).toBeGreaterThan(0);
        kinds[fault] = outcome?.ok ? 'collected' : outcome!.failure.kind;
      } finally {
        await proxy.stop();
      }
    }
    expect(kinds).toEqual({ 'empty-200': 'MalformedResponse', 'html-200': 'MalformedResponse', 'bare-root': 'MalformedResponse', 'missing-list': 'MalformedResponse' });
  });

  it('a well-formed empty list (a region with nothing in it) is still "none"', async () => {
    const facts = [rdsClusters, rdsInstances, secretsManagerSecrets, cognitoUserPools, cognitoIdentityPools];
    const outcomes = await collectPlain(moto.endpoint, facts, 'eu-west-3');
    expect(facts.map((fact) => [fact.id, outcomes.get(fact.id)])).toEqual(facts.map((fact) => [fact.id, { ok: true, value: [] }]));
  });
});
