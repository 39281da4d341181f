import { stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { InitOptions } from '../cli.js';
import { parseConfig } from '../config/load.js';
import { redact, secretValues } from '../engine/redact.js';
import { collectLive } from '../engine/run.js';
import { UsageError, errorMessage } from '../errors.js';
import { awsIdentity, cloudfrontDistributions, rdsClusters, rdsInstances, s3Buckets, s3Versioning } from '../facts/aws.js';
import { cognitoIdentityPools, cognitoUserPools } from '../facts/aws-account.js';
import type { FactDefinition, FactFailure, FactOutcome, FactValue } from '../model.js';
import { writeAtomically } from './output.js';
import { HEADER, templates } from './init-templates.js';
import { remainingMs } from '../deadline.js';

const DISCOVERY = [rdsClusters, rdsInstances, s3Buckets, s3Versioning, cloudfrontDistributions, cognitoUserPools, cognitoIdentityPools];

const WHAT: Record<string, string> = {
  [awsIdentity.id]: 'the account id',
  [rdsClusters.id]: 'RDS clusters',
  [rdsInstances.id]: 'RDS instances',
  [s3Buckets.id]: 'S3 buckets',
  [s3Versioning.id]: 'S3 bucket versioning',
  [cloudfrontDistributions.id]: 'CloudFront distributions',
  [cognitoUserPools.id]: 'Cognito user pools',
  [cognitoIdentityPools.id]: 'Cognito identity pools',
};

interface Discovery {
  outcomes: ReadonlyMap<string, FactOutcome>;
  failures: { fact: string; failure: FactFailure }[];
}

/** init: discover the account's resources (read-only, through the collectors) and write a first, commented config. */
export async function runInit(options: InitOptions): Promise<number> {
  const file = resolve(options.out);
  if (!options.force && (await exists(file))) throw new UsageError(`${options.out} already exists (pass --force to overwrite it)`);
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const driver = parseConfig(JSON.stringify({ project: 'init', aws: { region, ...(options.profile ? { profile: options.profile } : {}) } }), file, {});
  const outcomes = await collectLive({ loaded: driver, facts: DISCOVERY, now: new Date(), profile: options.profile, region: options.region, timeoutMs: remainingMs(options.timeout, options.startedAt) });
  const discovery: Discovery = { outcomes, failures: [] };
  const project = options.project ?? (basename(dirname(file)) || 'my-product');
  const secrets = secretValues({}, process.env);
  const text = redact(buildConfig(discovery, { project, region, profile: options.profile }), secrets);
  // The file must load as written: a config `init` cannot read back would be a bug, not a user's error.
  parseConfig(text, file, {});
  await write(file, text, options);
  for (const { fact, failure } of discovery.failures) {
    const fix = failure.fix ? ` (${failure.fix})` : '';
    process.stderr.write(redact(`readiness: init: could not discover ${WHAT[fact]} (${fact}): ${failure.kind}: ${oneLine(failure.message)}${fix}`, secrets) + '\n');
  }
  const note = discovery.failures.length ? `; ${discovery.failures.length} could not be discovered (see the comments in it)` : '';
  process.stdout.write(`Wrote ${options.out}${note}. Review it, then run: readiness check --config ${options.out}\n`);
  return 0;
}

/** The fact's value, or undefined with the failure recorded (for its comment and its stderr line). */
function value<F extends FactDefinition>(discovery: Discovery, fact: F): FactValue<F> | undefined {
  const outcome = discovery.outcomes.get(fact.id);
  if (outcome?.ok) return outcome.value as FactValue<F>;
  discovery.failures.push({ fact: fact.id, failure: outcome?.ok === false ? outcome.failure : { kind: 'Timeout', message: 'no answer' } });
  return undefined;
}

/** The YAML comment at the spot of a failed discovery: what, why, and the fix. */
function failed(discovery: Discovery, fact: FactDefinition): string {
  const { failure } = discovery.failures.find((f) => f.fact === fact.id)!;
  return ` could not discover ${WHAT[fact.id]} (${fact.id}) (${failure.kind}: ${oneLine(failure.message)})${failure.fix ? `: ${oneLine(failure.fix)}` : ''}`;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

function buildConfig(discovery: Discovery, settings: { project: string; region: string; profile?: string | undefined }): string {
  const identity = value(discovery, awsIdentity);
  const clusters = value(discovery, rdsClusters);
  const instances = value(discovery, rdsInstances);
  const buckets = value(discovery, s3Buckets);
  const versioning = buckets && value(discovery, s3Versioning);
  const distributions = value(discovery, cloudfrontDistributions);
  const userPools = value(discovery, cognitoUserPools);
  const identityPools = value(discovery, cognitoIdentityPools);

  const standalone = instances?.filter((i) => i.clusterId === null) ?? [];
  const versioned = new Set(versioning?.filter((v) => v.status === 'Enabled').map((v) => v.bucket));
  const existing = buckets?.filter((b) => b.exists) ?? [];
  const aws = {
    region: settings.region,
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(identity ? { accountId: identity.account } : {}),
    rds: {
      ...(clusters?.length ? { clusters: clusters.map((c) => c.id) } : {}),
      ...(standalone.length ? { instances: standalone.map((i) => i.id) } : {}),
      minBackupRetentionDays: 30,
    },
    s3: existing.length ? { buckets: existing.map((b) => ({ name: b.name, versioning: versioned.has(b.name) ? 'required' : 'optional', phi: true })) } : {},
    cloudwatch: {
      requiredAlarms: [
        ...(clusters ?? []).map((c) => ({ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80, dimensions: { DBClusterIdentifier: c.id } })),
        { namespace: 'AWS/ApiGateway', metric: '5XXError' },
      ],
    },
    ...(userPools?.length || identityPools?.length || !userPools || !identityPools
      ? {
          cognito: {
            ...(userPools?.length ? { userPools: userPools.map((p) => p.id) } : {}),
            ...(identityPools?.length ? { identityPools: identityPools.map((p) => p.id) } : {}),
            patientPools: [],
          },
        }
      : {}),
  };
  const doc = new Document({ project: settings.project, aws });
  doc.commentBefore = HEADER;
  const note = (path: string[], text: string) => {
    const pair = pairAt(doc, path);
    if (pair) (pair.key as Node).commentBefore = [(pair.key as Node).commentBefore, text].filter(Boolean).join('\n');
  };
  const label = (path: string[], labels: string[]) => {
    const seq = doc.getIn(path, true);
    if (isSeq(seq)) seq.items.forEach((item, i) => labels[i] && ((item as Node).comment = ` ${labels[i]}`));
  };

  if (settings.profile === undefined) note(['aws', 'region'], ' credentials: --profile / AWS_PROFILE or the default chain; AWS_ENDPOINT_URL is honoured for LocalStack and moto');
  if (!identity) note(['aws', 'region'], `${failed(discovery, awsIdentity)}\n add accountId: <12 digits> so credentials of another account are caught`);
  else note(['aws', 'accountId'], ' the account the credentials must belong to: any other makes every AWS check unverified');
  note(['aws', 'rds'], ' clusters / instances to assess (omitted: every one in the region)');
  if (!clusters) note(['aws', 'rds'], failed(discovery, rdsClusters));
  else if (!clusters.length) note(['aws', 'rds'], ' no RDS cluster found');
  if (!instances) note(['aws', 'rds'], failed(discovery, rdsInstances));
  label(['aws', 'rds', 'clusters'], clusters?.map((c) => `${c.engine}${c.engineVersion ? ` ${c.engineVersion}` : ''}`) ?? []);
  note(['aws', 's3'], ' buckets to assess (omitted: every bucket); versioning: required where it is already on; phi: false for buckets without PHI');
  if (!buckets) note(['aws', 's3'], failed(discovery, s3Buckets));
  else if (!existing.length) note(['aws', 's3'], ' no S3 bucket found');
  else if (!versioning) note(['aws', 's3'], `${failed(discovery, s3Versioning)}\n every bucket is left at versioning: optional`);
  note(['aws', 'cloudwatch'], ' suggested alarms: CPU of each discovered cluster ≤ 80 %, API Gateway 5XX errors; adjust to your alarms');
  if (!clusters) note(['aws', 'cloudwatch'], ' no RDS CPU alarm suggested: the clusters could not be discovered');
  if (aws.cognito) {
    note(['aws', 'cognito'], ' pools to assess (omitted: all); patientPools: patient pools, where MFA OPTIONAL is accepted (staff pools need ON)');
    if (!userPools) note(['aws', 'cognito'], failed(discovery, cognitoUserPools));
    if (!identityPools) note(['aws', 'cognito'], failed(discovery, cognitoIdentityPools));
    if (userPools?.length === 0) note(['aws', 'cognito'], ' no user pool found');
    if (identityPools?.length === 0) note(['aws', 'cognito'], ' no identity pool found');
    label(['aws', 'cognito', 'userPools'], userPools?.map((p) => `${p.name} (MFA ${p.mfa})`) ?? []);
    label(['aws', 'cognito', 'identityPools'], identityPools?.map((p) => p.name) ?? []);
  } else (doc.get('aws', true) as YAMLMap).comment = ' no Cognito pool found';

  const cloudfront = distributions
    ? distributions.map((d) => `CloudFront ${d.id}: ${d.domainName}${d.aliases.length ? ` (aliases: ${d.aliases.join(', ')})` : ''}`)
    : [failed(discovery, cloudfrontDistributions).trim()];
  if (distributions?.length) cloudfront.unshift('CloudFront distributions found (their aliases are candidates for domain.hosts):');
  doc.comment = templates(cloudfront);
  const text = doc.toString({ lineWidth: 0 });
  return text.endsWith('\n') ? text : `${text}\n`;
}

function pairAt(doc: Document, path: string[]): Pair | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  return parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1));
}

async function write(file: string, text: string, options: InitOptions): Promise<void> {
  if (options.force) return writeAtomically(file, text);
  try {
    await writeFile(file, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${options.out} already exists (pass --force to overwrite it)`);
    throw new UsageError(`cannot write ${options.out} (${code ?? errorMessage(error)})`);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
