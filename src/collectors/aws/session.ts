import type { Config } from '../../config/schema.js';

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
type ClientOf<S extends AwsService> = InstanceType<Awaited<ReturnType<(typeof clientLoaders)[S]>>>;

export interface AwsSessionOptions {
  config: Config['aws'];
  env: NodeJS.ProcessEnv;
  profile?: string | undefined;
  region?: string | undefined;
}

/** One SDK client per service and region, created on first use and reused for the run. */
export class AwsSession {
  private readonly clients = new Map<string, Promise<unknown>>();
  readonly regions: string[];
  readonly defaultRegion: string;
  readonly endpoint: string | undefined;
  readonly profile: string | undefined;

  constructor(private readonly options: AwsSessionOptions) {
    const { config, env } = options;
    this.defaultRegion = options.region ?? config?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.regions = options.region ? [options.region] : (config?.regions ?? [this.defaultRegion]);
    this.endpoint = config?.endpoint ?? env.AWS_ENDPOINT_URL;
    this.profile = options.profile ?? config?.profile;
  }

  get configured(): boolean {
    return this.options.config !== undefined;
  }

  client<S extends AwsService>(service: S, region: string = this.defaultRegion): Promise<ClientOf<S>> {
    const key = `${service}:${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = clientLoaders[service]().then(
        (Client) =>
          new Client({
            region,
            maxAttempts: 3,
            ...(this.endpoint ? { endpoint: this.endpoint } : {}),
            ...(this.endpoint && service === 's3' ? { forcePathStyle: true } : {}),
            ...(this.profile ? { profile: this.profile } : {}),
          }),
      );
      this.clients.set(key, client);
    }
    return client as Promise<ClientOf<S>>;
  }

  destroy(): void {
    for (const client of this.clients.values()) {
      void client.then((c) => (c as { destroy?: () => void }).destroy?.()).catch(() => {});
    }
  }
}
