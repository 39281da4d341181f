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
}

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

  constructor(private readonly options: AwsSessionOptions) {
    const { config, env } = options;
    this.profile = options.profile ?? config?.profile;
    this.shared = readSharedProfile(this.profile ?? env.AWS_PROFILE ?? 'default', env);
    this.defaultRegion = resolveRegion(options);
    this.regions = options.region ? [options.region] : (config?.regions ?? [this.defaultRegion]);
    this.endpoint = config?.endpoint ?? env.AWS_ENDPOINT_URL;
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
            ...(this.profile ? { profile: this.profile } : {}),
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
