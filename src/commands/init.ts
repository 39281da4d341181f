import { stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { InitOptions } from '../cli.js';
import { parseConfig } from '../config/load.js';
import { redact, secretValues } from '../engine/redact.js';
import { collectLive } from '../engine/run.js';
import { resolveRegion } from '../collectors/aws/session.js';
import { UsageError, errorMessage } from '../errors.js';
import { acmCertificates, awsIdentity, cloudfrontDistributions, rdsClusters, rdsInstances, s3AccessLogging, s3Buckets, s3Versioning } from '../facts/aws.js';
import { cloudtrailTrails, cognitoIdentityPools, cognitoUserPools } from '../facts/aws-account.js';
import { supabaseFunctions, supabaseProjectStatus } from '../facts/supabase-management.js';
import { discoverLocalSupabase, type LocalSupabase } from './init-supabase.js';
import type { FactDefinition, FactFailure, FactOutcome, FactValue } from '../model.js';
import { writeAtomically } from './output.js';
import { HEADER, templates } from './init-templates.js';
import { remainingMs } from '../deadline.js';
import { yaml } from '../yaml.js';

const DISCOVERY = [rdsClusters, rdsInstances, s3Buckets, s3Versioning, s3AccessLogging, cloudtrailTrails, cloudfrontDistributions, acmCertificates, cognitoUserPools, cognitoIdentityPools];

/** The default of `glacierAfterDays` for PHI buckets (the seed's lifecycle: Glacier after 90 days). */
const GLACIER_AFTER_DAYS = 90;

const WHAT: Record<string, string> = {
  [awsIdentity.id]: 'the account id',
  [rdsClusters.id]: 'RDS clusters',
  [rdsInstances.id]: 'RDS instances',
  [s3Buckets.id]: 'S3 buckets',
  [s3Versioning.id]: 'S3 bucket versioning',
  [s3AccessLogging.id]: 'S3 server access logging targets',
  [cloudtrailTrails.id]: 'CloudTrail trails',
  [acmCertificates.id]: 'ACM certificates',
  [supabaseProjectStatus.id]: 'the Supabase project',
  [supabaseFunctions.id]: 'the deployed Edge Functions',
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
  const region = resolveRegion({ config: undefined, env: process.env, profile: options.profile, region: options.region });
  if (options.supabase !== undefined && !/^[a-z]{20}$/.test(options.supabase)) throw new UsageError(`--supabase ${JSON.stringify(options.supabase)}: a project ref is 20 lowercase letters`);
  const supabase = options.supabase ? { projectRef: options.supabase, ...(process.env.SUPABASE_API_URL ? { apiUrl: process.env.SUPABASE_API_URL } : {}) } : undefined;
  const driver = parseConfig(JSON.stringify({ project: 'init', aws: { region, ...(options.profile ? { profile: options.profile } : {}) }, ...(supabase ? { supabase } : {}) }), file, {});
  const facts = supabase ? [...DISCOVERY, supabaseProjectStatus, supabaseFunctions] : DISCOVERY;
  const outcomes = await collectLive({ loaded: driver, facts, now: new Date(), profile: options.profile, region: options.region, timeoutMs: remainingMs(options.timeout, options.startedAt) });
  const discovery: Discovery = { outcomes, failures: [] };
  const project = options.project ?? (basename(dirname(file)) || 'my-product');
  const local = supabase ? await discoverLocalSupabase(file) : undefined;
  const secrets = secretValues({}, process.env);
  const text = redact(buildConfig(discovery, { project, region, profile: options.profile, supabase: supabase && local ? { ref: supabase.projectRef, local } : undefined }), secrets);
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
  if (!discovery.failures.some((f) => f.fact === fact.id)) discovery.failures.push({ fact: fact.id, failure: outcome?.ok === false ? outcome.failure : { kind: 'Timeout', message: 'no answer' } });
  return undefined;
}

/** The YAML comment at the spot of a failed discovery: what, why, and the fix. */
function failed(discovery: Discovery, fact: FactDefinition): string {
  const { failure } = discovery.failures.find((f) => f.fact === fact.id)!;
  return ` could not discover ${WHAT[fact.id]} (${fact.id}) (${failure.kind}: ${oneLine(failure.message)})${failure.fix ? `: ${oneLine(failure.fix)}` : ''}`;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

function buildConfig(discovery: Discovery, settings: { project: string; region: string; profile?: string | undefined; supabase?: { ref: string; local: LocalSupabase } | undefined }): string {
  const identity = value(discovery, awsIdentity);
  const clusters = value(discovery, rdsClusters);
  const instances = value(discovery, rdsInstances);
  const buckets = value(discovery, s3Buckets);
  const distributions = value(discovery, cloudfrontDistributions);
  const userPools = value(discovery, cognitoUserPools);
  const identityPools = value(discovery, cognitoIdentityPools);

  const standalone = instances?.filter((i) => i.clusterId === null) ?? [];
  const existing = buckets?.filter((b) => b.exists) ?? [];
  const notPhi = existing.length ? notPhiBuckets(discovery, existing.map((b) => b.name)) : new Map<string, string>();
  const regions = [...new Set([settings.region, ...existing.map((b) => b.region).filter((r): r is string => !!r)])];
  const domain = domainFrom(distributions, existing.length || clusters?.length ? value(discovery, acmCertificates) : undefined);
  const aws = {
    ...(regions.length > 1 ? { regions } : { region: settings.region }),
    ...(settings.profile ? { profile: settings.profile } : {}),
    // Pinned through the environment, so one file serves staging and production accounts alike.
    accountId: '${AWS_ACCOUNT_ID}',
    rds: {
      ...(clusters?.length ? { clusters: clusters.map((c) => c.id) } : {}),
      ...(standalone.length ? { instances: standalone.map((i) => i.id) } : {}),
      minBackupRetentionDays: 30,
    },
    // HIPAA's default is that a bucket may hold PHI: versioned and archived, unless it is recognisably a log or asset bucket.
    s3: existing.length
      ? { buckets: existing.map((b) => (notPhi.has(b.name) ? { name: b.name, versioning: 'optional', phi: false } : { name: b.name, versioning: 'required', phi: true, glacierAfterDays: GLACIER_AFTER_DAYS })) }
      : {},
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
  const supabase = settings.supabase && supabaseSection(settings.supabase.ref, settings.supabase.local);
  const { Document, isSeq } = yaml();
  const doc = new Document({ project: settings.project, aws, ...(supabase ? { supabase } : {}), ...(domain ? { domain } : {}) });
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
  note(['aws', 'accountId'], ' the account the credentials must belong to (any other makes every AWS check unverified): set AWS_ACCOUNT_ID per environment; unset, nothing is pinned');
  if (identity) note(['aws', 'accountId'], ` discovered: ${identity.account}`);
  else note(['aws', 'accountId'], failed(discovery, awsIdentity));
  if (regions.length > 1) note(['aws', 'regions'], ' every region where a resource was found');
  note(['aws', 'rds'], ' clusters / instances to assess (omitted: every one in the region)');
  if (!clusters) note(['aws', 'rds'], failed(discovery, rdsClusters));
  else if (!clusters.length) note(['aws', 'rds'], ' no RDS cluster found');
  if (!instances) note(['aws', 'rds'], failed(discovery, rdsInstances));
  label(['aws', 'rds', 'clusters'], clusters?.map((c) => `${c.engine}${c.engineVersion ? ` ${c.engineVersion}` : ''}`) ?? []);
  note(['aws', 's3'], ` buckets to assess (omitted: every bucket); every bucket is taken to hold PHI (versioning required, Glacier after ${GLACIER_AFTER_DAYS} days) unless it is recognisably a log or asset bucket`);
  if (!buckets) note(['aws', 's3'], failed(discovery, s3Buckets));
  else if (!existing.length) note(['aws', 's3'], ' no S3 bucket found');
  label(['aws', 's3', 'buckets'], existing.map((b) => (notPhi.has(b.name) ? `not PHI: ${notPhi.get(b.name)}` : versioned(discovery, b.name))));
  if (existing.length && discovery.failures.some((f) => f.fact === s3Versioning.id)) note(['aws', 's3'], failed(discovery, s3Versioning));
  for (const fact of [s3AccessLogging, cloudtrailTrails, cloudfrontDistributions]) {
    if (existing.length && discovery.failures.some((f) => f.fact === fact.id)) note(['aws', 's3'], `${failed(discovery, fact)}\n its log buckets could not be recognised: they are taken as PHI`);
  }
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

  if (settings.supabase) describeSupabase(discovery, settings.supabase.local, note);
  if (domain) note(['domain'], ' from the CloudFront aliases and ACM certificate names found; add productionOrigins (CORS) and probes');
  const cloudfront = distributions
    ? distributions.map((d) => `CloudFront ${d.id}: ${d.domainName}${d.aliases.length ? ` (aliases: ${d.aliases.join(', ')})` : ''}`)
    : [failed(discovery, cloudfrontDistributions).trim()];
  if (distributions?.length) cloudfront.unshift('CloudFront distributions found (their aliases are candidates for domain.hosts):');
  doc.comment = templates(cloudfront, { domain: !domain, supabase: !supabase });
  const text = doc.toString({ lineWidth: 0 });
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** `supabase:` from the project ref and the repository; the token and database URL come from the environment. */
function supabaseSection(ref: string, local: LocalSupabase) {
  return {
    projectRef: ref,
    accessToken: '${SUPABASE_ACCESS_TOKEN}',
    dbUrl: '${SUPABASE_DB_URL}',
    ...(local.functionsDir ? { functionsDir: local.functionsDir } : {}),
    ...(local.migrationsDir ? { migrationsDir: local.migrationsDir } : {}),
    requiredSecrets: local.requiredSecrets,
    publicFunctions: [],
    phiTables: local.phiTables,
    publicBuckets: [],
  };
}

function describeSupabase(discovery: Discovery, local: LocalSupabase, note: (path: string[], text: string) => void): void {
  const project = value(discovery, supabaseProjectStatus);
  if (project) note(['supabase', 'projectRef'], ` ${project.name} (${project.region}), ${project.status}${project.databaseVersion ? `, Postgres ${project.databaseVersion}` : ''}`);
  else note(['supabase', 'projectRef'], failed(discovery, supabaseProjectStatus));
  const deployed = project && value(discovery, supabaseFunctions);
  if (deployed) note(['supabase', 'publicFunctions'], ` functions allowed to skip JWT verification (deployed without it now: ${deployed.filter((f) => f.verifyJwt === false).map((f) => f.slug).join(', ') || 'none'})`);
  note(['supabase', 'accessToken'], ' Management API token and direct Postgres URL: from the environment, never literals');
  if (!local.functionsDir) note(['supabase', 'requiredSecrets'], ' no supabase/functions folder found near this file: add functionsDir');
  else note(['supabase', 'requiredSecrets'], ` secrets the functions read with Deno.env.get (values are never read)`);
  note(['supabase', 'phiTables'], local.migrationsDir ? ' tables whose migrations create PHI-looking columns; add every table holding PHI' : ' no supabase/migrations folder found near this file: list the tables holding PHI');
}

/** Buckets that recognisably hold no PHI, with the reason: log targets, trail buckets, CDK assets. */
function notPhiBuckets(discovery: Discovery, names: string[]): Map<string, string> {
  const reasons = new Map<string, string>();
  const known = new Set(names);
  const mark = (bucket: string | null | undefined, reason: string) => bucket && known.has(bucket) && !reasons.has(bucket) && reasons.set(bucket, reason);
  for (const logging of value(discovery, s3AccessLogging) ?? []) if (logging.bucket !== logging.targetBucket) mark(logging.targetBucket, `server access log target of ${logging.bucket}`);
  for (const trail of value(discovery, cloudtrailTrails) ?? []) mark(trail.s3Bucket, `CloudTrail bucket of trail ${trail.name}`);
  for (const distribution of value(discovery, cloudfrontDistributions) ?? []) mark(bucketOfDomain(distribution.logging.bucket), `CloudFront log bucket of distribution ${distribution.id}`);
  for (const name of names) if (/^cdk-[a-z0-9]+-assets-\d{12}-[a-z0-9-]+$/.test(name)) mark(name, 'CDK assets bucket');
  return reasons;
}

/** CloudFront names its log bucket by domain: `logs.s3.amazonaws.com` or `logs.s3.eu-west-1.amazonaws.com`. */
function bucketOfDomain(domain: string | null): string | null {
  return domain?.replace(/\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/, '') ?? null;
}

function versioned(discovery: Discovery, bucket: string): string {
  const states = value(discovery, s3Versioning);
  if (!states) return 'versioning state unknown (see above)';
  return states.find((v) => v.bucket === bucket)?.status === 'Enabled' ? 'versioning on' : 'versioning not on yet: aws.s3.versioning fails until it is';
}

/** `domain:` from the names the account serves: CloudFront aliases first, then ACM certificate names. */
function domainFrom(distributions: FactValue<typeof cloudfrontDistributions> | undefined, certificates: FactValue<typeof acmCertificates> | undefined) {
  const names = [...new Set([...(distributions ?? []).flatMap((d) => d.aliases), ...(certificates ?? []).flatMap((c) => [c.domainName, ...c.subjectAlternativeNames])])]
    .map((name) => name.toLowerCase())
    .filter((name) => !name.startsWith('*.') && name.includes('.'));
  if (!names.length) return undefined;
  const apexCounts = new Map<string, number>();
  for (const name of names) {
    const apex = name.split('.').slice(-2).join('.');
    apexCounts.set(apex, (apexCounts.get(apex) ?? 0) + 1);
  }
  const apex = [...apexCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  const hosts: Record<string, string> = {};
  for (const name of names.filter((n) => n.endsWith(`.${apex}`))) {
    const key = name.slice(0, -apex.length - 1).replace(/\./g, '-');
    hosts[key] ??= name;
  }
  return { name: apex, hosts };
}

function pairAt(doc: Document, path: string[]): Pair | undefined {
  const { isMap, isScalar } = yaml();
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
