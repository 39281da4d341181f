import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACMClient, ImportCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { APIGatewayClient, CreateDeploymentCommand, CreateRestApiCommand, GetResourcesCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudFrontClient, CreateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand } from '@aws-sdk/client-config-service';
import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeRouteTablesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreateLoginProfileCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateDBSnapshotCommand, CreateDBSubnetGroupCommand, DescribeDBClustersCommand, ModifyDBSnapshotAttributeCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, GetBucketLifecycleConfigurationCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, Result } from '../../src/model.js';
import { selfSigned } from '../support/certificates.js';
import { runCli } from '../support/cli.js';
import { PROJECT_REF, projectRoutes, startManagementApi } from '../support/management-api-server.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';

const sh = promisify(execFile);

/**
 * A printed fix must do what it says when pasted. Each case names a check (and, where one check fails on
 * several resources in different ways, the resource): every failing result it claims has its command run
 * through the real AWS CLI (awscli, against moto) with `sh -c`, and the same check then passes on that
 * resource. A command that needs a choice carries `<placeholders>` and must be marked EDIT FIRST in the fix
 * plan; where the test can make the choice as a user would (`fill`), the edited command must round-trip too.
 * moto is test/support/moto-extended.py: moto_server plus the few writes it lacks (EnableAlarmActions, API Gateway v2
 * UpdateStage, cluster log exports). Where moto still cannot apply or show the change, the case is skipped with the reason.
 */
type Expectation =
  | { roundTrip: true }
  | { needsEdit: string[]; fill?: (seeded: Seeded) => Record<string, string>; note?: string }
  | { skip: string };

interface Case {
  check: string;
  /** The failing resource this case claims (exact, or a pattern); without it, every failing resource of the check not claimed by another case. */
  resource?: string | RegExp;
  /** What the resource is, for the test's name. */
  what: string;
  expect: Expectation;
  /** Commands in a later wave run after the earlier ones: they edit what another command also edits (a bucket's lifecycle). */
  wave?: 2;
  /** The resource the passing result names, when it is not the failing one (a bucket's rule passes for an attestation's absence). */
  passesAs?: string;
  /** What the user types when the command asks (`read`); without it, the command's stdin is empty. */
  input?: string;
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const PROJECT = 'fix-roundtrip';
const DOMAIN = 'fixroundtrip.example';
const BUCKET = 'phi-uploads';
const RECORDS_BUCKET = 'phi-records';
const LOG_BUCKET = 'access-logs';
const CLUSTER = 'ehr-db';
const SERVERLESS = 'ehr-serverless';
const INSTANCE = 'ehr-public';
/** A standalone instance set up right but for its subnets, which route to an internet gateway. */
const EXPOSED = 'ehr-exposed';
const DR_REGION = 'us-west-2';
const CONFIG_ROLE = `arn:aws:iam::${ACCOUNT}:role/config-recorder`;
const CONFIG_BUCKET = 'config-history';
/** The scoped document the user writes for aws.iam.admin-policies, in the folder the commands run in. */
const SCOPED_POLICY_FILE = 'scoped-policy.json';

const SERVICES: Record<string, Case[]> = {
  s3: [
    { check: 'aws.s3.versioning', what: 'a required-versioning bucket with versioning off', expect: { roundTrip: true } },
    { check: 'aws.s3.encryption', what: 'a bucket without default encryption', expect: { roundTrip: true } },
    { check: 'aws.s3.public-access-block', what: 'a bucket without Block Public Access', expect: { roundTrip: true } },
    { check: 'aws.s3.tls-only', what: 'a bucket whose policy allows plain HTTP', expect: { roundTrip: true } },
    { check: 'aws.s3.lifecycle', what: 'a bucket with an unrelated lifecycle rule and no Glacier transition', expect: { roundTrip: true } },
    { check: 'aws.s3.access-logging', what: 'buckets without access logging; the config declares a log bucket', expect: { roundTrip: true } },
    // The AWS CLI sends S3 Control to <account>.<endpoint host>, which does not resolve: the shell's HTTP_PROXY takes it to moto.
    { check: 'aws.s3.account-public-access-block', what: 'the account without Block Public Access', expect: { roundTrip: true } },
    { check: 'app.data-retention', what: 'a PHI bucket with an unrelated lifecycle rule and no retention', expect: { roundTrip: true }, wave: 2, passesAs: BUCKET },
  ],
  rds: [
    { check: 'aws.rds.deletion-protection', what: 'clusters and an instance without deletion protection', expect: { roundTrip: true } },
    { check: 'aws.rds.backup-retention', what: 'databases keeping backups 1 day', expect: { roundTrip: true } },
    { check: 'aws.rds.force-ssl', what: 'clusters on the default parameter group (Aurora PostgreSQL 15)', expect: { roundTrip: true } },
    { check: 'aws.rds.public-access', what: 'a publicly accessible instance', expect: { roundTrip: true } },
    {
      check: 'aws.rds.storage-encrypted',
      what: 'unencrypted databases',
      expect: { needsEdit: ['<snapshot>'], note: 'encryption is set at creation: copying a snapshot encrypted, restoring it and switching over is a choice of snapshot and downtime' },
    },
    { check: 'aws.rds.serverless-scaling', what: 'a Serverless v2 cluster scaling above the planned maximum', expect: { roundTrip: true } },
    { check: 'aws.rds.multi-az', what: 'single-AZ clusters (a reader in another zone) and a single-AZ instance (Multi-AZ)', expect: { roundTrip: true } },
    { check: 'aws.rds.log-exports', resource: INSTANCE, what: 'an instance exporting no PostgreSQL log', expect: { roundTrip: true } },
    // moto's own ModifyDBCluster ignores CloudwatchLogsExportConfiguration: test/support/moto-extended.py applies it.
    { check: 'aws.rds.log-exports', resource: /^ehr-(db|serverless)$/, what: 'clusters exporting no PostgreSQL log', expect: { roundTrip: true } },
    { check: 'aws.rds.public-snapshots', what: 'a manual snapshot restorable by all', expect: { roundTrip: true } },
    {
      check: 'aws.rds.disaster-recovery',
      resource: /^ehr-(db|serverless)$/,
      what: 'clusters with no copy outside their region (the recovery region is a choice)',
      expect: { needsEdit: ['<other-region>'], fill: () => ({ '<other-region>': DR_REGION }) },
    },
    {
      check: 'aws.rds.disaster-recovery',
      resource: new RegExp(`^(${INSTANCE}|${EXPOSED})$`),
      what: 'standalone instances whose automated backups are not replicated to another region',
      expect: { needsEdit: ['<other-region>'], note: 'moto 5.2.1 has no StartDBInstanceAutomatedBackupsReplication: the filled command is not run' },
    },
    {
      check: 'aws.vpc.database-isolation',
      resource: EXPOSED,
      what: 'an instance in subnets routed to an internet gateway (one associated with a public table, one on a public main table)',
      expect: { needsEdit: ['<private-route-table-id>'], fill: (s) => ({ '<private-route-table-id>': s.privateRouteTable }) },
    },
  ],
  ec2: [
    { check: 'aws.vpc.database-isolation', what: 'a database security group open to 0.0.0.0/0 on 5432', expect: { roundTrip: true } },
    { check: 'aws.ec2.open-admin-ports', what: 'security groups opening 22 to the world', expect: { roundTrip: true } },
    { check: 'aws.vpc.flow-logs', what: 'a VPC holding a database without flow logs', expect: { roundTrip: true } },
    { check: 'aws.ec2.ebs-default-encryption', what: 'EBS default encryption off', expect: { roundTrip: true } },
  ],
  identity: [
    { check: 'aws.cognito.mfa', what: 'a staff pool with MFA off', expect: { roundTrip: true } },
    { check: 'aws.cognito.unauthenticated-identities', what: 'an identity pool allowing guests', expect: { roundTrip: true } },
    { check: 'aws.iam.password-policy', what: 'no account password policy', expect: { roundTrip: true } },
    { check: 'aws.iam.access-key-age', what: 'an access key 120 days old (the clock moved with --now)', expect: { roundTrip: true }, passesAs: 'iam' },
    { check: 'aws.kms.rotation', what: 'a customer-managed key encrypting a PHI bucket, not rotating', expect: { roundTrip: true } },
    {
      check: 'aws.secrets.rotation',
      what: 'a database password secret that does not rotate',
      // moto invokes the function once per rotation step: with use_docker off (seed) it answers without running it.
      expect: { needsEdit: ['<rotation-function-arn>'], fill: (s) => ({ '<rotation-function-arn>': s.rotationFunction }) },
    },
  ],
  detection: [
    { check: 'aws.guardduty.enabled', what: 'no GuardDuty detector', expect: { roundTrip: true } },
    // moto keeps no standards and has no GetEnabledStandards: test/support/moto-extended.py adds them.
    { check: 'aws.securityhub.enabled', what: 'Security Hub off', expect: { roundTrip: true } },
    { check: 'aws.cloudtrail.enabled', what: 'a single-region trail without log file validation', expect: { roundTrip: true } },
    {
      check: 'aws.cloudtrail.kms-encryption',
      what: 'a trail encrypted with SSE-S3 only',
      expect: { needsEdit: ['<kms-key-arn>'], fill: (s) => ({ '<kms-key-arn>': s.trailKey }) },
    },
    {
      check: 'aws.cloudtrail.cloudwatch-logs',
      what: 'a trail not delivering to CloudWatch Logs',
      expect: { needsEdit: ['<log-group-arn>', '<role-arn>'], fill: (s) => ({ '<log-group-arn>': s.trailLogGroup, '<role-arn>': s.trailRole }) },
    },
    // After aws.cloudtrail.enabled's fix, which puts the trail's management-event selectors: this one puts them with the data events.
    { check: 'aws.cloudtrail.data-events', what: 'PHI buckets without S3 data events', expect: { roundTrip: true }, wave: 2 },
    { check: 'aws.logs.retention', what: 'an application log group kept 30 days', expect: { roundTrip: true } },
  ],
  edge: [
    { check: 'aws.cloudfront.https-only', what: 'behaviours allowing plain HTTP (default and /api/*), an http-only origin allowing TLSv1', expect: { roundTrip: true } },
    { check: 'aws.cloudfront.logging', what: 'a distribution without logging; another logs to the log bucket', expect: { roundTrip: true } },
    { check: 'aws.cloudfront.tls-version', resource: 'own-certificate', what: 'an ACM certificate with TLSv1 allowed', expect: { roundTrip: true } },
    {
      check: 'aws.cloudfront.tls-version',
      resource: 'default-certificate',
      what: 'the default *.cloudfront.net certificate',
      expect: { needsEdit: ['<acm-certificate-arn>', '<alternate-domain-name>'], fill: (s) => ({ '<acm-certificate-arn>': s.certificate, '<alternate-domain-name>': `app.${DOMAIN}` }) },
    },
    { check: 'aws.acm.domain-certificate', what: 'no certificate for the domain', expect: { roundTrip: true } },
    {
      check: 'aws.apigateway.logging',
      what: 'a REST stage without access logging or throttling',
      expect: { roundTrip: true },
    },
    // moto has no API Gateway v2 UpdateStage: test/support/moto-extended.py adds it.
    { check: 'aws.apigateway.logging', resource: /\/\$default$/, what: 'an HTTP API $default stage without access logging or throttling', expect: { roundTrip: true } },
  ],
  monitoring: [
    {
      check: 'monitoring.alarms.required',
      what: 'a required alarm missing (its SNS topic is a choice)',
      expect: { needsEdit: ['<account>', '<topic>'], fill: () => ({ '<region>': REGION, '<account>': ACCOUNT, '<topic>': 'alerts' }) },
    },
    // moto's own EnableAlarmActions raises NotImplementedError: test/support/moto-extended.py implements it.
    { check: 'monitoring.alarms.actions', resource: 'db-cpu-disabled', what: 'an alarm with its actions disabled', expect: { roundTrip: true } },
    {
      check: 'monitoring.alarms.actions',
      resource: 'api-errors-unsubscribed',
      what: 'an alarm notifying a topic nobody subscribes to',
      expect: { needsEdit: ['<on-call-email>'], fill: () => ({ '<on-call-email>': 'oncall@fixroundtrip.example' }) },
    },
    {
      check: 'monitoring.alarms.actions',
      resource: 'queue-depth-silent',
      what: 'an alarm without any action',
      expect: { needsEdit: ['<account>', '<on-call-email>', '<other-alarm-settings>'], note: 'put-metric-alarm needs the whole alarm definition' },
    },
  ],
  account: [
    {
      check: 'aws.config.recorder',
      what: 'no AWS Config recorder (its role and bucket are choices)',
      expect: { needsEdit: ['<config-role-arn>', '<config-bucket>'], fill: () => ({ '<config-role-arn>': CONFIG_ROLE, '<config-bucket>': CONFIG_BUCKET }) },
    },
    // The user, at hand, scans the QR code and types two codes (moto takes any).
    { check: 'aws.iam.console-mfa', what: 'a console user without MFA', expect: { roundTrip: true }, input: '123456 654321\n' },
    {
      check: 'aws.iam.admin-policies',
      what: 'policies allowing * on *, and every action but IAM on *, attached to a role, and an inline * on * in it',
      expect: { needsEdit: ['<scoped-policy-file>'], fill: () => ({ '<scoped-policy-file>': SCOPED_POLICY_FILE }) },
    },
  ],
};

const CASES = Object.values(SERVICES).flat();
/** Checks whose results depend on the clock: their run moves it forward with --now. */
const CLOCK_CHECKS = new Set(['aws.iam.access-key-age']);
const LATER = new Date(Date.now() + 120 * 86_400_000).toISOString();

interface Seeded {
  trailKey: string;
  trailLogGroup: string;
  trailRole: string;
  certificate: string;
  distributions: Record<'default-certificate' | 'own-certificate', string>;
  /** A route table of the exposed database's VPC without an internet gateway route. */
  privateRouteTable: string;
  rotationFunction: string;
}

let moto: Moto;
let dir: string;
let env: Record<string, string>;
let awsShimDir: string;
let config: string;
let seeded: Seeded;
/** What happened to each failing result: before, the command run (as edited), its stderr, and after. */
interface Outcome {
  before: Result;
  command?: string;
  stderr?: string;
  after?: Result;
}
const outcomes = new Map<Case, Outcome[]>();
const unclaimed: Result[] = [];
let plan = '';
const runtime: Record<string, number> = {};

const awsCliAvailable = await sh('aws', ['--version']).then(
  () => true,
  () => false,
);

/** The user's shell: moto's credentials, and `aws` on PATH pointed at moto (not every AWS CLI service honours AWS_ENDPOINT_URL). */
const shellEnv = () => {
  const { AWS_PROFILE: _, ...rest } = { ...process.env, ...env };
  // S3 Control goes to <account>.127.0.0.1, which no resolver knows: through moto as the HTTP proxy (it serves
  // absolute-URI requests as its own), no name is looked up. Every other call reaches moto the same way.
  const proxy = { HTTP_PROXY: moto.endpoint, http_proxy: moto.endpoint, NO_PROXY: '', no_proxy: '' };
  // One retry: moto answers a call it does not implement with HTTP 500, which awscli would retry for seconds.
  return { ...rest, ...proxy, PATH: `${awsShimDir}:${process.env.PATH ?? ''}`, AWS_MAX_ATTEMPTS: '2' };
};

async function readiness(command: 'check' | 'plan', ids: string[], now?: string): Promise<string> {
  const { stdout } = await runCli([command, '--config', config, '--only', ids.join(','), ...(command === 'check' ? ['--format', 'json'] : []), ...(now ? ['--now', now] : [])], { ...env, AWS_PROFILE: undefined });
  return stdout;
}

const IDS = [...new Set(CASES.map((c) => c.check))];

/** Both runs: the clock-free checks now, the clock checks 120 days later. */
async function results(): Promise<Result[]> {
  const now = JSON.parse(await readiness('check', IDS.filter((id) => !CLOCK_CHECKS.has(id)))) as Report;
  const later = JSON.parse(await readiness('check', IDS.filter((id) => CLOCK_CHECKS.has(id)), LATER)) as Report;
  return [...now.results, ...later.results];
}

async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    runtime[phase] = Math.round(performance.now() - start);
    console.info(`fix round trip: ${phase} ${runtime[phase]} ms`);
  }
}

function matches(c: Case, result: Result): boolean {
  if (c.check !== result.checkId) return false;
  const resource = c.resource;
  if (resource === undefined) return true;
  // Distributions are claimed by role: their ids are moto's.
  const id = typeof resource === 'string' && resource in (seeded?.distributions ?? {}) ? seeded.distributions[resource as keyof Seeded['distributions']] : resource;
  return typeof id === 'string' ? result.resource === id : id.test(result.resource);
}

/** The case that claims a failing result: one naming its resource first, then the check's catch-all. */
function claimOf(result: Result): Case | undefined {
  return CASES.find((c) => c.resource !== undefined && matches(c, result)) ?? CASES.find((c) => c.resource === undefined && matches(c, result));
}

const fill = (command: string, values: Record<string, string>) => Object.entries(values).reduce((text, [placeholder, value]) => text.replaceAll(placeholder, value), command);

/** A command as pasted in the user's shell, in a folder of its own (files it names are there), `input` typed at its prompts. */
async function runInShell(command: string, input = '', extraEnv: Record<string, string> = {}): Promise<string> {
  const running = sh('sh', ['-c', command], { env: { ...shellEnv(), ...extraEnv }, cwd: dir });
  running.child.stdin?.end(input);
  const run = await running.catch((error: { stderr: string }) => ({ stderr: `${error.stderr}`.trim() || 'failed', failed: true }));
  return 'failed' in run ? run.stderr : '';
}

/** Runs at most `limit` at a time: awscli is a Python process per call, and the machine is shared. */
async function inBatches<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  }));
}

beforeAll(async () => {
  if (!awsCliAvailable) return;
  moto = await startMoto({ MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' }, { extended: true });
  env = { ...(motoEnv(moto) as Record<string, string>), AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' };
  const pools = await timed('seed', () => seed(moto.endpoint));
  seeded = pools.seeded;
  dir = await mkdtemp(join(tmpdir(), 'readiness-fix-'));
  await seedIdentityAndConfig(moto.endpoint, dir);
  awsShimDir = join(dir, 'bin');
  await mkdir(awsShimDir);
  // Past pyenv's shim when there is one: it runs two bash scripts before every call.
  const realAws = (await sh('sh', ['-c', 'pyenv which aws 2>/dev/null || command -v aws'])).stdout.trim();
  await writeFile(join(awsShimDir, 'aws'), `#!/bin/sh\nexec '${realAws}' --endpoint-url "$AWS_ENDPOINT_URL" "$@"\n`);
  await chmod(join(awsShimDir, 'aws'), 0o755);
  config = join(dir, 'readiness.config.yaml');
  await writeFile(
    config,
    [
      `project: ${PROJECT}`,
      'aws:',
      `  region: ${REGION}`,
      `  rds: { clusters: [${CLUSTER}, ${SERVERLESS}], instances: [${INSTANCE}, ${EXPOSED}], minBackupRetentionDays: 30, serverless: { minCapacity: 0.5, maxCapacity: 8 } }`,
      '  s3:',
      '    buckets:',
      `      - { name: ${BUCKET}, versioning: required, phi: true, glacierAfterDays: 90 }`,
      `      - { name: ${RECORDS_BUCKET}, phi: true }`,
      `      - { name: ${LOG_BUCKET}, phi: false }`,
      `  cognito: { userPools: [${pools.userPool}], identityPools: [${pools.identityPool}], patientPools: [] }`,
      '  cloudwatch:',
      '    requiredAlarms:',
      `      - { namespace: AWS/RDS, metric: CPUUtilization, maxThreshold: 80, dimensions: { DBClusterIdentifier: ${CLUSTER} } }`,
      `domain: { name: ${DOMAIN} }`,
      '',
    ].join('\n'),
  );

  const before = await timed('check before', results);
  plan = await timed('plan', () => readiness('plan', IDS.filter((id) => !CLOCK_CHECKS.has(id))));
  const runs: { case: Case; outcome: Outcome }[] = [];
  for (const result of before.filter((r) => r.status === 'fail')) {
    const claim = claimOf(result);
    if (!claim) {
      unclaimed.push(result);
      continue;
    }
    const outcome: Outcome = { before: result };
    outcomes.set(claim, [...(outcomes.get(claim) ?? []), outcome]);
    // The JSON report leaves out `remediation` when a result has neither a command nor text of its own.
    const command = result.remediation?.command;
    if (!command || 'skip' in claim.expect) continue;
    if ('roundTrip' in claim.expect) outcome.command = command;
    else if (claim.expect.fill) outcome.command = fill(command, claim.expect.fill(seeded));
    if (outcome.command) runs.push({ case: claim, outcome });
  }
  // As a user pastes them: one command at a time per resource (two edits of one distribution would race on its
  // ETag), several resources at once.
  await timed('commands', async () => {
    for (const wave of [undefined, 2]) {
      const byResource = Map.groupBy(
        runs.filter((r) => r.case.wave === wave),
        (r) => r.outcome.before.resource,
      );
      await inBatches([...byResource.values()], 4, async (serial) => {
        for (const { case: c, outcome } of serial) outcome.stderr = await runInShell(outcome.command!, c.input);
      });
    }
  });
  const after = await timed('check after', results);
  for (const [c, list] of outcomes) {
    for (const outcome of list) outcome.after = after.find((r) => r.checkId === outcome.before.checkId && r.resource === (c.passesAs ?? outcome.before.resource));
  }
  console.info(`fix round trip: ${runs.length} commands; ms per phase ${JSON.stringify(runtime)}`);
}, 1_200_000);

afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!awsCliAvailable)('fix commands, pasted into a shell, fix what they say', () => {
  it('every failing result of the assessed checks is claimed by a case', () => {
    expect(unclaimed.map((r) => `${r.checkId} ${r.resource} ${r.code}`)).toEqual([]);
  });

  for (const [service, cases] of Object.entries(SERVICES)) {
    describe(service, () => {
      for (const c of cases) {
        const name = `${c.check}: ${c.what}`;
        const { expect: expectation } = c;
        if ('skip' in expectation) {
          it.skip(`${name} — moto cannot show it: ${expectation.skip}`, () => {});
          continue;
        }
        if ('roundTrip' in expectation) {
          it(`${name}: the printed command makes it pass`, () => {
            const list = outcomes.get(c) ?? [];
            expect(list.length, `${c.check} fails before its fix`).toBeGreaterThan(0);
            for (const { before, command, stderr, after } of list) {
              expect(command, `${before.checkId} ${before.resource} (${before.code}) prints a command`).toBeDefined();
              expect(command, 'a command with a placeholder cannot be pasted as is').not.toMatch(/<[a-z][\w-]*>/i);
              expect(stderr, command).toBe('');
              expect([before.resource, after?.resource, after?.status]).toEqual([before.resource, c.passesAs ?? before.resource, 'pass']);
            }
          });
          continue;
        }
        it(`${name}: the command is marked EDIT FIRST with ${expectation.needsEdit.join(', ')}${expectation.fill ? ', and once filled in it makes it pass' : ` (${expectation.note})`}`, () => {
          const list = outcomes.get(c) ?? [];
          expect(list.length, `${c.check} fails before its fix`).toBeGreaterThan(0);
          for (const { before, command, stderr, after } of list) {
            const printed = before.remediation?.command ?? '';
            for (const placeholder of expectation.needsEdit) expect(printed).toContain(placeholder);
            expect(plan).toContain(`# ${printed}`);
            expect(plan.split('\n')[plan.split('\n').indexOf(`# ${printed}`) - 1]).toMatch(/^# EDIT FIRST: replace </);
            if (!expectation.fill) continue;
            expect(command, 'every placeholder is filled').not.toMatch(/<[a-z][\w-]*>/i);
            expect(stderr, command).toBe('');
            expect([before.resource, after?.resource, after?.status]).toEqual([before.resource, c.passesAs ?? before.resource, 'pass']);
          }
        });
      }
    });
  }

  it('app.data-retention keeps the lifecycle rules it does not own: after both fixes the bucket has all three', async () => {
    const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }));
    s3.destroy();
    expect(Rules?.map((r) => r.ID).toSorted()).toEqual(['abort-uploads', 'readiness-archive', 'readiness-retention']);
  });

  // The check reads an attestation: no command can make it pass. The printed restore is the test's first step, so it
  // must run as pasted, put the copy (PHI) where the source is, and leave the source as it was; the user then records it.
  it('aws.rds.restore-tested: the printed restore runs as pasted, places the copy beside the source and leaves the source alone; once the test is attested the check passes', async () => {
    const restoreTested = async (file: string) => {
      const { stdout } = await runCli(['check', '--config', file, '--only', 'aws.rds.restore-tested', '--format', 'json'], { ...env, AWS_PROFILE: undefined });
      return (JSON.parse(stdout) as Report).results;
    };
    const [before] = await restoreTested(config);
    expect([before?.resource, before?.status, before?.code]).toEqual(['restore-test', 'fail', 'attestation-missing']);
    const command = before?.remediation?.command ?? '';
    expect(command, 'the configured cluster and its placement fill the command').not.toMatch(/<[a-z][\w-]*>/i);
    const rds = new RDSClient({ region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      // LatestRestorableTime moves with the clock: everything else about the source must stay as it was.
      const cluster = async (id: string) => {
        const { LatestRestorableTime: _, ...settled } = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!;
        return settled;
      };
      const source = await cluster(CLUSTER);
      expect(await runInShell(command), command).toBe('');
      const copy = await cluster(`${CLUSTER}-restore-test`);
      const placement = (c: typeof copy) => [c.DBSubnetGroup, c.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)];
      expect(placement(source)[1]).toHaveLength(1);
      expect(placement(copy)).toEqual(placement(source));
      expect(await cluster(CLUSTER)).toEqual(source);
    } finally {
      rds.destroy();
    }
    await writeFile(join(dir, 'restore-test.md'), '# Restore test\n\nRestored ehr-db to ehr-db-restore-test, row counts matched, copy deleted.\n');
    const attested = join(dir, 'attested.yaml');
    const today = new Date().toISOString().slice(0, 10);
    await writeFile(attested, `${await readFile(config, 'utf8')}attestations:\n  restore-test: { date: ${today}, by: Ops, evidence: restore-test.md }\n`);
    const [after] = await restoreTested(attested);
    expect([after?.resource, after?.status, after?.code]).toEqual(['restore-test', 'pass', 'attested']);
  });
});

/** The failing account: one or more failing resources for every case, created with real API calls. */
async function seed(endpoint: string): Promise<{ userPool: string; identityPool: string; seeded: Seeded }> {
  const aws = { region: REGION, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const rds = new RDSClient(aws);
  const ec2 = new EC2Client(aws);
  const kms = new KMSClient(aws);
  const iam = new IAMClient(aws);
  const logs = new CloudWatchLogsClient(aws);
  const trail = new CloudTrailClient(aws);
  const cloudfront = new CloudFrontClient(aws);
  const acm = new ACMClient(aws);
  const apigateway = new APIGatewayClient(aws);
  const apigatewayv2 = new ApiGatewayV2Client(aws);
  const cloudwatch = new CloudWatchClient(aws);
  const sns = new SNSClient(aws);
  const secrets = new SecretsManagerClient(aws);
  const idp = new CognitoIdentityProviderClient(aws);
  const identity = new CognitoIdentityClient(aws);
  try {
    // S3: the PHI bucket has a lifecycle rule of its own that no fix may drop; the records bucket is encrypted with a key that does not rotate.
    for (const Bucket of [BUCKET, RECORDS_BUCKET, LOG_BUCKET, 'trail-logs']) await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: BUCKET,
        LifecycleConfiguration: { Rules: [{ ID: 'abort-uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }] },
      }),
    );
    // The declared log bucket is set up as one: the S3 logging service may write to it.
    const logDelivery = { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: ['s3:PutObject'], Resource: `arn:aws:s3:::${LOG_BUCKET}/*` };
    await s3.send(new PutBucketPolicyCommand({ Bucket: LOG_BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [logDelivery] }) }));
    const bucketKey = (await kms.send(new CreateKeyCommand({ Description: 'phi-records' }))).KeyMetadata!.Arn!;
    await s3.send(new PutBucketEncryptionCommand({ Bucket: RECORDS_BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: bucketKey } }] } }));

    // Network: a VPC whose database security group opens 5432 to the world, and an admin group opening 22.
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
    const subnets = [];
    for (const [cidr, zone] of [['10.20.1.0/24', 'us-east-1a'], ['10.20.2.0/24', 'us-east-1b']] as const) {
      subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!);
    }
    const dbGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ehr-db', Description: 'database', VpcId: vpc }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: dbGroup, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const adminGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bastion', Description: 'admin', VpcId: vpc }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: adminGroup, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }));
    await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'ehr-private', DBSubnetGroupDescription: 'ehr', SubnetIds: subnets }));

    // RDS: two Aurora clusters with one member each (one Serverless v2 above plan), a public single-AZ instance, a public snapshot.
    const password = 'not-a-real-password-1';
    const clusterGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ehr-db-cluster', Description: 'cluster, reached from the app only', VpcId: vpc }))).GroupId!;
    await rds.send(
      new CreateDBClusterCommand({ DBClusterIdentifier: CLUSTER, Engine: 'aurora-postgresql', EngineVersion: '15.3', MasterUsername: 'admin_user', MasterUserPassword: password, BackupRetentionPeriod: 1, DBSubnetGroupName: 'ehr-private', VpcSecurityGroupIds: [clusterGroup] }),
    );
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: SERVERLESS,
        Engine: 'aurora-postgresql',
        EngineVersion: '15.3',
        MasterUsername: 'admin_user',
        MasterUserPassword: password,
        BackupRetentionPeriod: 1,
        DBSubnetGroupName: 'ehr-private',
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
      }),
    );
    for (const [cluster, instanceClass] of [[CLUSTER, 'db.r6g.large'], [SERVERLESS, 'db.serverless']] as const) {
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${cluster}-1`, DBClusterIdentifier: cluster, Engine: 'aurora-postgresql', DBInstanceClass: instanceClass, AvailabilityZone: 'us-east-1a', DBSubnetGroupName: 'ehr-private', PubliclyAccessible: false }));
    }
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: INSTANCE,
        Engine: 'postgres',
        EngineVersion: '15.4',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin_user',
        MasterUserPassword: password,
        BackupRetentionPeriod: 1,
        PubliclyAccessible: true,
        AvailabilityZone: 'us-east-1a',
        DBSubnetGroupName: 'ehr-private',
        VpcSecurityGroupIds: [dbGroup],
      }),
    );
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: INSTANCE, DBSnapshotIdentifier: 'ehr-public-manual' }));
    await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'ehr-public-manual', AttributeName: 'restore', ValuesToAdd: ['all'] }));

    // A second VPC whose database subnets route to the internet: one through a public table of its own, one through the
    // VPC's main table; a private table (no route out) is there to choose. Everything else about the database is right.
    const exposedVpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }))).Vpc!.VpcId!;
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: exposedVpc }));
    const mainTable = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [exposedVpc] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0]!.RouteTableId!;
    const publicTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: exposedVpc }))).RouteTable!.RouteTableId!;
    for (const table of [mainTable, publicTable]) await ec2.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    const privateRouteTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: exposedVpc }))).RouteTable!.RouteTableId!;
    const exposedSubnets = [];
    for (const [cidr, zone] of [['10.30.1.0/24', 'us-east-1a'], ['10.30.2.0/24', 'us-east-1b']] as const) {
      exposedSubnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: exposedVpc, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!);
    }
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicTable, SubnetId: exposedSubnets[0] }));
    await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'ehr-exposed', DBSubnetGroupDescription: 'routed to the internet', SubnetIds: exposedSubnets }));
    const appOnly = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ehr-exposed-db', Description: 'database', VpcId: exposedVpc }))).GroupId!;
    await s3.send(new CreateBucketCommand({ Bucket: 'exposed-flow-logs' }));
    await ec2.send(new CreateFlowLogsCommand({ ResourceIds: [exposedVpc], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::exposed-flow-logs' }));
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: EXPOSED,
        Engine: 'postgres',
        EngineVersion: '15.4',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin_user',
        MasterUserPassword: password,
        BackupRetentionPeriod: 30,
        DeletionProtection: true,
        StorageEncrypted: true,
        MultiAZ: true,
        PubliclyAccessible: false,
        EnableCloudwatchLogsExports: ['postgresql'],
        DBSubnetGroupName: 'ehr-exposed',
        VpcSecurityGroupIds: [appOnly],
      }),
    );

    // Identity: MFA off, guests allowed, an old key, a database secret that does not rotate.
    const userPool = (await idp.send(new CreateUserPoolCommand({ PoolName: 'staff' }))).UserPool!.Id!;
    const identityPool = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'uploads', AllowUnauthenticatedIdentities: true }))).IdentityPoolId!;
    await iam.send(new CreateUserCommand({ UserName: 'ci-deployer' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }));
    await secrets.send(new CreateSecretCommand({ Name: 'ehr-db-master-password', SecretString: 'not-read' }));
    // The rotation function a user would pick (AWS's single-user PostgreSQL rotation); moto invokes it without a container runtime.
    await fetch(`${endpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ lambda: { use_docker: false } }) });
    const lambdaTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const rotationRole = (await iam.send(new CreateRoleCommand({ RoleName: 'secrets-rotation', AssumeRolePolicyDocument: JSON.stringify(lambdaTrust) }))).Role!.Arn!;
    const rotationFunction = await createFunction(endpoint, 'SecretsManagerRDSPostgreSQLRotationSingleUser', rotationRole);

    // Detection: a single-region trail, logging, with neither KMS nor CloudWatch Logs nor data events; a log group kept 30 days.
    await trail.send(new CreateTrailCommand({ Name: 'ehr-audit', S3BucketName: 'trail-logs' }));
    await trail.send(new StartLoggingCommand({ Name: 'ehr-audit' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ehr/app' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ehr/app', retentionInDays: 30 }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ehr/cloudtrail' }));
    const trailKey = (await kms.send(new CreateKeyCommand({ Description: 'cloudtrail' }))).KeyMetadata!.Arn!;
    const trailRole = (await iam.send(new CreateRoleCommand({ RoleName: 'cloudtrail-to-logs', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }))).Role!.Arn!;

    // Edge: two distributions serving plain HTTP to viewers and to their origin, one on the default certificate, one on its own with TLSv1 and logging on; a REST stage.
    const certificate = (await acm.send(new RequestCertificateCommand({ DomainName: `app.${DOMAIN}`, ValidationMethod: 'DNS' }))).CertificateArn!;
    const distribution = (reference: string, extra: Partial<DistributionConfig>): DistributionConfig => ({
      CallerReference: reference,
      Comment: reference,
      Enabled: true,
      Origins: { Quantity: 1, Items: [{ Id: 'app', DomainName: 'origin.fixroundtrip.example', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only', OriginSslProtocols: { Quantity: 2, Items: ['TLSv1', 'TLSv1.2'] } } }] },
      DefaultCacheBehavior: { TargetOriginId: 'app', ViewerProtocolPolicy: 'allow-all', MinTTL: 0, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } }, TrustedSigners: { Enabled: false, Quantity: 0 } },
      CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: '/api/*', TargetOriginId: 'app', ViewerProtocolPolicy: 'allow-all', MinTTL: 0, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } }, TrustedSigners: { Enabled: false, Quantity: 0 } }] },
      ...extra,
    });
    const defaultCertificate = (await cloudfront.send(new CreateDistributionCommand({ DistributionConfig: distribution('default-certificate', {}) }))).Distribution!.Id!;
    const ownCertificate = (
      await cloudfront.send(
        new CreateDistributionCommand({
          DistributionConfig: distribution('own-certificate', {
            Aliases: { Quantity: 1, Items: [`app.${DOMAIN}`] },
            ViewerCertificate: { ACMCertificateArn: certificate, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1' },
            Logging: { Enabled: true, IncludeCookies: false, Bucket: `${LOG_BUCKET}.s3.amazonaws.com`, Prefix: 'cloudfront/' },
          }),
        }),
      )
    ).Distribution!.Id!;
    const api = (await apigateway.send(new CreateRestApiCommand({ name: 'ehr-api' }))).id!;
    const root = (await apigateway.send(new GetResourcesCommand({ restApiId: api }))).items![0]!.id!;
    await apigateway.send(new PutMethodCommand({ restApiId: api, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigateway.send(new PutIntegrationCommand({ restApiId: api, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
    await apigateway.send(new CreateDeploymentCommand({ restApiId: api, stageName: 'prod' }));
    const httpApi = (await apigatewayv2.send(new CreateApiCommand({ Name: 'ehr-http', ProtocolType: 'HTTP' }))).ApiId!;
    await apigatewayv2.send(new CreateStageCommand({ ApiId: httpApi, StageName: '$default' }));

    // Monitoring: a topic with a subscriber, one without; alarms with actions disabled, on the unsubscribed topic, without any action.
    const alerts = (await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: alerts, Protocol: 'email', Endpoint: 'oncall@fixroundtrip.example' }));
    const unsubscribed = (await sns.send(new CreateTopicCommand({ Name: 'api-alerts' }))).TopicArn!;
    const alarm = (AlarmName: string, AlarmActions: string[], ActionsEnabled = true) =>
      cloudwatch.send(new PutMetricAlarmCommand({ AlarmName, AlarmActions, ActionsEnabled, Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 300, EvaluationPeriods: 2, Threshold: 90, ComparisonOperator: 'GreaterThanThreshold' }));
    await alarm('db-cpu-disabled', [alerts], false);
    await alarm('api-errors-unsubscribed', [unsubscribed]);
    await alarm('queue-depth-silent', []);

    return {
      userPool,
      identityPool,
      seeded: {
        trailKey,
        trailLogGroup: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ehr/cloudtrail:*`,
        trailRole,
        certificate,
        distributions: { 'default-certificate': defaultCertificate, 'own-certificate': ownCertificate },
        privateRouteTable,
        rotationFunction,
      },
    };
  } finally {
    for (const client of [s3, rds, ec2, kms, iam, logs, trail, cloudfront, acm, apigateway, apigatewayv2, cloudwatch, sns, secrets, idp, identity]) client.destroy();
  }
}

/**
 * The account's identity and AWS Config: a console user without MFA, two customer policies and an inline one granting (almost) everything,
 * no Config recorder; and what the user prepares for the fixes that need a choice: the recorder's role and bucket,
 * a scoped policy document.
 */
async function seedIdentityAndConfig(endpoint: string, folder: string): Promise<void> {
  const aws = { region: REGION, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const iam = new IAMClient(aws);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  try {
    await iam.send(new CreateUserCommand({ UserName: 'jdoe' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'jdoe', Password: 'Not-a-real-Passw0rd!' }));
    const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'ops-admin', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const allButIam = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }] };
    for (const [name, document] of [['god-mode', everything], ['power-user', allButIam]] as const) {
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(document) }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'ops-admin', PolicyArn: Policy!.Arn! }));
    }
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ops-admin', PolicyName: 'break-glass', PolicyDocument: JSON.stringify(everything) }));
    await writeFile(join(folder, SCOPED_POLICY_FILE), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${BUCKET}/*` }] }));
    await iam.send(new CreateRoleCommand({ RoleName: 'config-recorder', AssumeRolePolicyDocument: trust('config.amazonaws.com') }));
    await s3.send(new CreateBucketCommand({ Bucket: CONFIG_BUCKET }));
  } finally {
    iam.destroy();
    s3.destroy();
  }
}

const SECOND_ACCOUNT = '222233334444';
const SECOND_DOMAIN = 'second.example';
/** The bucket the user prepares for the new trail: its policy lets CloudTrail check its ACL and write the account's logs. */
const TRAIL_BUCKET = 'second-trail-logs';

/**
 * A second account, with nothing set up: moto keeps one state per account, and the first has the trail and the
 * certificates other cases need. No trail at all; a stopped AWS Config recorder of selected types; an imported
 * certificate expiring in 5 days on the distribution of the configured domain.
 */
describe.skipIf(!awsCliAvailable)('a second account with nothing set up: the printed commands, filled where they need a choice, set it up', () => {
  const ids = ['aws.cloudtrail.enabled', 'aws.config.recorder', 'aws.acm.expiry'];
  let credentials: Record<string, string>;
  let configFile: string;
  let before: Result[];
  let after: Result[];
  let script = '';
  let imported: string;
  let distribution: string;
  let replacement: string;
  const ran = new Map<string, { command: string; stderr: string }>();

  const readinessIn = async (argv: string[]) => (await runCli(argv, { ...env, ...credentials, AWS_PROFILE: undefined })).stdout;
  const check = async (...more: string[]) => (JSON.parse(await readinessIn(['check', '--config', configFile, '--only', ids.join(','), '--format', 'json', ...more])) as Report).results;
  const of = (results: Result[], checkId: string) => results.filter((r) => r.checkId === checkId).map((r) => [r.resource, r.status, r.code]);
  /** The plan shows the command commented out, after a line saying which placeholders to replace. */
  const editFirstNote = (command: string) => {
    const lines = script.split('\n');
    return lines[lines.indexOf(`# ${command}`) - 1];
  };

  beforeAll(async () => {
    const sts = new STSClient({ region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    // moto gives credentials of an assumed role the role's account: a fresh one, empty.
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${SECOND_ACCOUNT}:role/setup`, RoleSessionName: 'fix-roundtrip' }));
    sts.destroy();
    credentials = { AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!, AWS_SESSION_TOKEN: Credentials!.SessionToken! };
    ({ imported, distribution } = await seedSecondAccount(moto.endpoint, credentials));
    configFile = join(dir, 'second.config.yaml');
    await writeFile(configFile, ['project: second-account', 'aws:', `  region: ${REGION}`, `domain: { name: ${SECOND_DOMAIN} }`, ''].join('\n'));
    before = await check();
    script = await readinessIn(['plan', '--config', configFile, '--only', ids.join(',')]);
    // The user's choices: the bucket prepared for CloudTrail, and a certificate requested as the fix's text says (moto issues it at once).
    const request = `aws acm request-certificate --domain-name cdn.${SECOND_DOMAIN} --validation-method DNS --region ${REGION} --query CertificateArn --output text`;
    replacement = (await sh('sh', ['-c', request], { env: { ...shellEnv(), ...credentials }, cwd: dir })).stdout.trim();
    const choices = { '<log-bucket>': TRAIL_BUCKET, '<new-certificate-arn>': replacement };
    for (const result of before.filter((r) => r.status === 'fail')) {
      const command = fill(result.remediation.command ?? '', choices);
      ran.set(result.checkId, { command, stderr: await runInShell(command, '', credentials) });
    }
    after = await check();
  }, 600_000);

  it('aws.cloudtrail.enabled, no trail at all: marked EDIT FIRST with <log-bucket>; filled, it makes a multi-region trail, logging every management event, validated', () => {
    expect(of(before, 'aws.cloudtrail.enabled')).toEqual([['cloudtrail', 'fail', 'no-trails']]);
    const printed = before.find((r) => r.checkId === 'aws.cloudtrail.enabled')!.remediation.command!;
    expect(editFirstNote(printed)).toMatch(/^# EDIT FIRST: replace <log-bucket>,/);
    expect(ran.get('aws.cloudtrail.enabled')?.stderr).toBe('');
    const trail = `arn:aws:cloudtrail:${REGION}:${SECOND_ACCOUNT}:trail/second-account-audit`;
    expect(of(after, 'aws.cloudtrail.enabled')).toEqual([[trail, 'pass', 'compliant']]);
    // moto gives a created trail no event selectors (AWS gives the default): the command puts them, or the trail would fail no-management-events.
    expect(after.find((r) => r.checkId === 'aws.cloudtrail.enabled')!.evidence).toEqual({ trails: ['second-account-audit (multi-region, logging, management events read+write, validated)'] });
  });

  it('aws.config.recorder, a stopped recorder of selected types: the printed command records every type with its own role and starts it', () => {
    expect(of(before, 'aws.config.recorder')).toEqual([[REGION, 'fail', 'not-recording']]);
    const { command, stderr } = ran.get('aws.config.recorder')!;
    expect(command).not.toMatch(/<[a-z][\w-]*>/i);
    expect(command).toContain(`"roleARN":"arn:aws:iam::${SECOND_ACCOUNT}:role/config"`);
    expect(stderr).toBe('');
    expect(of(after, 'aws.config.recorder')).toEqual([[REGION, 'pass', 'recording']]);
  });

  it('aws.acm.expiry, an imported certificate expiring in 5 days on a distribution: given the new certificate, the command puts it there and deletes the old', async () => {
    expect(of(before, 'aws.acm.expiry')).toEqual([[imported, 'fail', 'expiring']]);
    const printed = before.find((r) => r.checkId === 'aws.acm.expiry')!.remediation.command!;
    expect(editFirstNote(printed)).toMatch(/^# EDIT FIRST: replace <new-certificate-arn>,/);
    expect(ran.get('aws.acm.expiry')?.stderr).toBe('');
    const { stdout } = await sh('sh', ['-c', `aws cloudfront get-distribution-config --id ${distribution} --query DistributionConfig.ViewerCertificate.ACMCertificateArn --output text`], { env: { ...shellEnv(), ...credentials } });
    expect(stdout.trim()).toBe(replacement);
    // The old certificate is gone. The new one is far from expiry, and moto reports every certificate INELIGIBLE for
    // renewal, so attached it fails for that alone here.
    const [newResult, ...others] = after.filter((r) => r.checkId === 'aws.acm.expiry');
    expect(others).toEqual([]);
    expect([newResult?.resource, newResult?.status, newResult?.code, newResult?.evidence.renewalEligibility]).toEqual([replacement, 'fail', 'not-renewable', 'INELIGIBLE']);
    expect(newResult?.evidence.daysLeft).toBeGreaterThan(300);
    // With what AWS reports for an in-use, DNS-validated certificate (ELIGIBLE) in place of moto's constant, it passes.
    const snapshot = join(dir, 'second.snapshot.json');
    await readinessIn(['collect', '--config', configFile, '--only', 'aws.acm.expiry', '--out', snapshot]);
    const recorded = JSON.parse(await readFile(snapshot, 'utf8')) as { facts: Record<string, { value: { arn: string; renewalEligibility: string }[] }> };
    for (const certificate of recorded.facts['aws.acm.certificates']!.value) if (certificate.arn === replacement) certificate.renewalEligibility = 'ELIGIBLE';
    await writeFile(snapshot, JSON.stringify(recorded));
    expect(of(await check('--snapshot', snapshot), 'aws.acm.expiry')).toEqual([[replacement, 'pass', 'valid']]);
  });
});

async function seedSecondAccount(endpoint: string, credentials: Record<string, string>): Promise<{ imported: string; distribution: string }> {
  const aws = { region: REGION, endpoint, credentials: { accessKeyId: credentials.AWS_ACCESS_KEY_ID!, secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY!, sessionToken: credentials.AWS_SESSION_TOKEN! } };
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const config = new ConfigServiceClient(aws);
  const acm = new ACMClient(aws);
  const cloudfront = new CloudFrontClient(aws);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: TRAIL_BUCKET }));
    const cloudtrail = { Service: 'cloudtrail.amazonaws.com' };
    const statements = [
      { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: cloudtrail, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${TRAIL_BUCKET}` },
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: cloudtrail, Action: 's3:PutObject', Resource: `arn:aws:s3:::${TRAIL_BUCKET}/AWSLogs/${SECOND_ACCOUNT}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
    ];
    await s3.send(new PutBucketPolicyCommand({ Bucket: TRAIL_BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));

    await s3.send(new CreateBucketCommand({ Bucket: 'second-config-history' }));
    const recordingGroup = { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: ['AWS::S3::Bucket' as const] };
    await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${SECOND_ACCOUNT}:role/config`, recordingGroup } }));
    await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'second-config-history' } }));

    const { certificate, privateKey } = selfSigned(`cdn.${SECOND_DOMAIN}`, 5);
    const imported = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(certificate), PrivateKey: Buffer.from(privateKey) }))).CertificateArn!;
    const behaviour = { TargetOriginId: 'cdn', ViewerProtocolPolicy: 'redirect-to-https' as const, MinTTL: 0, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' as const } }, TrustedSigners: { Enabled: false, Quantity: 0 } };
    const distribution = (
      await cloudfront.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: 'cdn',
            Comment: 'cdn',
            Enabled: true,
            Aliases: { Quantity: 1, Items: [`cdn.${SECOND_DOMAIN}`] },
            Origins: { Quantity: 1, Items: [{ Id: 'cdn', DomainName: `origin.${SECOND_DOMAIN}`, CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
            DefaultCacheBehavior: behaviour,
            ViewerCertificate: { ACMCertificateArn: imported, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
          },
        }),
      )
    ).Distribution!.Id!;
    return { imported, distribution };
  } finally {
    for (const client of [s3, config, acm, cloudfront]) client.destroy();
  }
}

/** Lambda CreateFunction, signed by hand (no Lambda client among the dependencies); the code is an empty zip, never run. */
async function createFunction(endpoint: string, name: string, role: string): Promise<string> {
  const url = new URL('/2015-03-31/functions', endpoint);
  const emptyZip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]).toString('base64');
  const body = JSON.stringify({ FunctionName: name, Runtime: 'python3.12', Role: role, Handler: 'lambda_function.lambda_handler', Code: { ZipFile: emptyZip } });
  const signer = new SignatureV4({ service: 'lambda', region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, sha256: Sha256 });
  const request = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'content-type': 'application/json' }, body });
  const response = await fetch(url, { method: 'POST', headers: request.headers, body });
  const answer = (await response.json()) as { FunctionArn?: string };
  if (!response.ok || !answer.FunctionArn) throw new Error(`CreateFunction: HTTP ${response.status} ${JSON.stringify(answer)}`);
  return answer.FunctionArn;
}

describe('supabase.backups.pitr: the printed command enables PITR', () => {
  it('turns the failing PITR result into a pass through the Management API (local stand-in)', async () => {
    const routes = projectRoutes();
    // PITR off: no WAL archive, so no restore window either (the add-on opens one).
    Object.assign(routes[`/v1/projects/${PROJECT_REF}/database/backups`] as object, { pitr_enabled: false, physical_backup_data: {} });
    const api = await startManagementApi(routes);
    const pitrDir = await mkdtemp(join(tmpdir(), 'readiness-pitr-'));
    try {
      const file = join(pitrDir, 'supabase.yaml');
      await writeFile(file, `project: pitr\nsupabase:\n  projectRef: ${PROJECT_REF}\n  apiUrl: ${api.url}\n`);
      const pitr = async () => {
        const { stdout } = await runCli(['check', '--config', file, '--only', 'supabase.backups.pitr', '--format', 'json'], { SUPABASE_ACCESS_TOKEN: 'sbp_fix' });
        return (JSON.parse(stdout) as Report).results.find((r) => r.resource === 'pitr')!;
      };
      const before = await pitr();
      expect(before.status).toBe('fail');
      await sh('sh', ['-c', before.remediation.command!], { env: { ...process.env, SUPABASE_ACCESS_TOKEN: 'sbp_fix' } });
      expect(api.requests.find((r) => r.method === 'PATCH')?.authorization).toBe('Bearer sbp_fix');
      expect((await pitr()).status).toBe('pass');
    } finally {
      await api.stop();
      await rm(pitrDir, { recursive: true, force: true });
    }
  });
});
