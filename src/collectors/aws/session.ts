import pLimit, { type LimitFunction } from 'p-limit';
import type { Config } from '../../config/schema.js';
import { FactError } from '../types.js';
import { readSharedProfile, type SharedProfile } from './shared-config.js';

/** SDK client classes, imported only when a collector first needs one (keeps --help fast). */
const clientLoaders = {
  rds: async () => (await import('@aws-sdk/client-rds')).RDSClient,
  s3: async () => (await import('@aws-sdk/client-s3')).S3Client,
  cloudwatch: async () => (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient,
  sts: async () => (await import('@aws-sdk/client-sts')).STSClient,
  cloudfront: async () => (await import('@aws-sdk/client-cloudfront')).CloudFrontClient,
  acm: async () => (await import('@aws-sdk/client-acm')).ACMClient,
  sns: async () => (await import('@aws-sdk/client-sns')).SNSClient,
  iam: async () => (await import('@aws-sdk/client-iam')).IAMClient,
  cloudtrail: async () => (await import('@aws-sdk/client-cloudtrail')).CloudTrailClient,
  cognitoIdentityProvider: async () => (await import('@aws-sdk/client-cognito-identity-provider')).CognitoIdentityProviderClient,
  cognitoIdentity: async () => (await import('@aws-sdk/client-cognito-identity')).CognitoIdentityClient,
  secretsManager: async () => (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient,
  apiGateway: async () => (await import('@aws-sdk/client-api-gateway')).APIGatewayClient,
  apiGatewayV2: async () => (await import('@aws-sdk/client-apigatewayv2')).ApiGatewayV2Client,
  costExplorer: async () => (await import('@aws-sdk/client-cost-explorer')).CostExplorerClient,
  ec2: async () => (await import('@aws-sdk/client-ec2')).EC2Client,
  guardDuty: async () => (await import('@aws-sdk/client-guardduty')).GuardDutyClient,
  securityHub: async () => (await import('@aws-sdk/client-securityhub')).SecurityHubClient,
  configService: async () => (await import('@aws-sdk/client-config-service')).ConfigServiceClient,
  kms: async () => (await import('@aws-sdk/client-kms')).KMSClient,
  cloudwatchLogs: async () => (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient,
  backup: async () => (await import('@aws-sdk/client-backup')).BackupClient,
  organizations: async () => (await import('@aws-sdk/client-organizations')).OrganizationsClient,
  wafv2: async () => (await import('@aws-sdk/client-wafv2')).WAFV2Client,
};
export type AwsService = keyof typeof clientLoaders;

/**
 * Per-resource reads in flight at once, per service, shared by every fact of the run. S3's
 * bucket-configuration reads tolerate thousands of requests a second; the others are control
 * planes with low per-account rates, where the adaptive retry mode slows down on throttling.
 */
export const IN_FLIGHT: Partial<Record<AwsService, number>> & { default: number } = { s3: 48, default: 8 };
/** Sockets per client: above the largest pool, so a pool is never queued behind the HTTP agent. */
const MAX_SOCKETS = 64;
/** Attempts per call (the first and two retries), for SDK clients and the few raw signed requests alike. */
export const MAX_ATTEMPTS = 3;
type ClientOf<S extends AwsService> = InstanceType<Awaited<ReturnType<(typeof clientLoaders)[S]>>>;

export interface AwsSessionOptions {
  config: Config['aws'];
  env: NodeJS.ProcessEnv;
  profile?: string | undefined;
  region?: string | undefined;
  /** Overrides IN_FLIGHT (benchmarks measure the pool sizes). */
  inFlight?: Partial<Record<AwsService | 'default', number>>;
  /** Another account: every client uses this role's temporary credentials, obtained with the caller's. */
  assumeRole?: { roleArn: string; externalId?: string | undefined } | undefined;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
type CredentialProvider = () => Promise<Credentials>;

/** One SDK client per service and region, created on first use and reused for the run. */
export class AwsSession {
  private readonly clients = new Map<string, Promise<unknown>>();
  private readonly pools = new Map<AwsService, LimitFunction>();
  readonly regions: string[];
  readonly defaultRegion: string;
  readonly endpoint: string | undefined;
  readonly profile: string | undefined;

  /** The named profile, when one was chosen (--profile, aws.profile, AWS_PROFILE) or the default one is read for its region. */
  private readonly shared: SharedProfile;
  /** With `assumeRole`: the role's credentials, assumed once and shared by every client (renewed near expiry). */
  private readonly assumed: CredentialProvider | undefined;

  constructor(private readonly options: AwsSessionOptions) {
    const { config, env } = options;
    this.profile = options.profile ?? config?.profile;
    this.shared = readSharedProfile(this.profile ?? env.AWS_PROFILE ?? 'default', env);
    this.defaultRegion = resolveRegion(options);
    this.regions = options.region ? [options.region] : (config?.regions ?? [this.defaultRegion]);
    this.endpoint = config?.endpoint ?? env.AWS_ENDPOINT_URL;
    this.assumed = options.assumeRole ? this.assumeRoleProvider(options.assumeRole) : undefined;
  }

  /**
   * Assumes the role once, before any fact is read: a role that cannot be assumed is one clear reason for every
   * fact of its account ("cannot assume …"), not a misleading "grant s3:ListBuckets" on each.
   */
  async assumeRole(): Promise<FactError | undefined> {
    const { assumeRole } = this.options;
    if (!assumeRole || !this.assumed) return undefined;
    const missing = this.missingProfile();
    if (missing) return missing;
    try {
      await this.assumed();
      return undefined;
    } catch (error) {
      const { awsFactError } = await import('./errors.js');
      const cause = awsFactError(error, 'sts:AssumeRole');
      if (cause.kind === 'Timeout' || cause.kind === 'Unreachable' || cause.kind === 'Throttled' || cause.kind === 'NoCredentials') return cause;
      const trust = assumeRole.externalId ? ' with its external id' : '';
      return new FactError(
        'AccessDenied',
        `cannot assume ${assumeRole.roleArn}: ${cause.message}`,
        `let the caller assume ${assumeRole.roleArn}${trust}: sts:AssumeRole in the caller's policy, and the role's trust policy naming the caller (README: Required permissions)`,
      );
    }
  }

  private assumeRoleProvider({ roleArn, externalId }: { roleArn: string; externalId?: string | undefined }): CredentialProvider {
    let current: Promise<Credentials> | undefined;
    const load = async (): Promise<Credentials> => {
      const { fromTemporaryCredentials, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      const provider = fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: 'readiness', ...(externalId ? { ExternalId: externalId } : {}) },
        ...(this.profile ? { masterCredentials: fromNodeProviderChain({ profile: this.profile }) } : {}),
        clientConfig: { region: this.defaultRegion, maxAttempts: MAX_ATTEMPTS, ...(this.endpoint ? { endpoint: this.endpoint } : {}) },
      });
      return provider();
    };
    return async () => {
      const credentials = current ? await current.catch(() => undefined) : undefined;
      // Renewed five minutes before they expire: a long collection never signs with expired credentials.
      if (!current || !credentials || (credentials.expiration && credentials.expiration.getTime() - Date.now() < 300_000)) {
        current = load();
      }
      return current;
    };
  }

  get configured(): boolean {
    return this.options.config !== undefined;
  }

  client<S extends AwsService>(service: S, region: string = this.defaultRegion): Promise<ClientOf<S>> {
    const key = `${service}:${region}`;
    let client = this.clients.get(key);
    if (!client) {
      const missing = this.missingProfile();
      if (missing) return Promise.reject(missing);
      client = clientLoaders[service]().then(
        (Client) =>
          new Client({
            region,
            // Adaptive: on throttling the client also paces its own requests, so a big account slows down instead of failing.
            retryMode: 'adaptive',
            maxAttempts: MAX_ATTEMPTS,
            requestHandler: { httpAgent: { keepAlive: true, maxSockets: MAX_SOCKETS }, httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS } },
            ...(this.endpoint ? { endpoint: this.endpoint } : {}),
            ...(this.endpoint && service === 's3' ? { forcePathStyle: true } : {}),
            ...(this.assumed ? { credentials: this.assumed } : this.profile ? { profile: this.profile } : {}),
          }),
      );
      this.clients.set(key, client);
    }
    return client as Promise<ClientOf<S>>;
  }

  /** The bound on per-resource reads of one service, shared across the run's facts. */
  pool(service: AwsService): LimitFunction {
    let pool = this.pools.get(service);
    if (!pool) {
      const inFlight = { ...IN_FLIGHT, ...this.options.inFlight };
      pool = pLimit(inFlight[service] ?? inFlight.default);
      this.pools.set(service, pool);
    }
    return pool;
  }

  /** A profile named explicitly but written in neither shared file would only give "could not load credentials". */
  private missingProfile(): FactError | undefined {
    const named = this.profile ?? this.options.env.AWS_PROFILE;
    if (!named || this.shared.exists) return undefined;
    return new FactError(
      'NoCredentials',
      `the AWS profile "${named}" does not exist (not in ~/.aws/config nor ~/.aws/credentials)`,
      `pass an existing profile (aws configure list-profiles), or create it: aws configure --profile ${named}`,
    );
  }

  destroy(): void {
    for (const client of this.clients.values()) {
      void client.then((c) => (c as { destroy?: () => void }).destroy?.()).catch(() => {});
    }
  }
}

/** The region, like the AWS CLI: --region > aws.region > AWS_REGION (AWS_DEFAULT_REGION) > the profile's region > us-east-1. */
export function resolveRegion({ config, env, profile, region }: AwsSessionOptions): string {
  const fromProfile = () => readSharedProfile(profile ?? config?.profile ?? env.AWS_PROFILE ?? 'default', env).region;
  return region ?? config?.region ?? (env.AWS_REGION || undefined) ?? (env.AWS_DEFAULT_REGION || undefined) ?? fromProfile() ?? 'us-east-1';
}
