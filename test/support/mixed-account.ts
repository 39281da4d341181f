import { ACMClient, ImportCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { CloudFrontClient, CreateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutDashboardCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBInstanceCommand,
  ModifyDBClusterParameterGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { selfSigned } from './certificates.js';
import type { Moto } from './moto.js';

/** The names, ids and ARNs of what `buildMixedAccount` created: one good and one bad of each kind. */
export interface MixedAccount {
  domain: string;
  appHost: string;
  clusters: { good: string; bad: string };
  buckets: { good: string; bad: string; logs: string };
  distributions: { good: string; bad: string };
  certificates: { good: string; expiring: string };
  alarms: { good: string; bad: string };
  topic: string;
  dashboard: string;
  trail: string;
  userPools: { good: string; bad: string };
  identityPools: { good: string; bad: string };
  secrets: { good: string; bad: string };
  stages: { good: string; bad: string };
  /** The default VPC's security group, which moto creates with the account (its id differs every run). */
  defaultSecurityGroup: string;
}

const REGION = 'us-east-1';
const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** The config that selects the account's resources, in YAML, for `readiness check --config`. */
export function mixedAccountConfig(account: MixedAccount, endpoint: string): string {
  const { buckets } = account;
  return [
    'project: mixed-account',
    'aws:',
    `  region: ${REGION}`,
    `  endpoint: ${endpoint}`,
    '  rds: { minBackupRetentionDays: 30 }',
    '  s3:',
    '    buckets:',
    `      - { name: ${buckets.good}, versioning: required, glacierAfterDays: 90 }`,
    `      - { name: ${buckets.bad}, versioning: required, glacierAfterDays: 90 }`,
    '  cloudwatch:',
    '    requiredAlarms:',
    '      - { namespace: AWS/RDS, metric: CPUUtilization, maxThreshold: 80 }',
    '      - { namespace: AWS/ApiGateway, metric: 5XXError }',
    'domain:',
    `  name: ${account.domain}`,
    `  hosts: { app: ${account.appHost} }`,
    '',
  ].join('\n');
}

/**
 * Creates, through the real SDK against moto, a good and a bad resource for every AWS service
 * the tool reads. `now` dates the imported certificate that expires in 10 days.
 */
export async function buildMixedAccount(moto: Moto, now: Date): Promise<MixedAccount> {
  const options = { region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const clients = {
    rds: new RDSClient(options),
    s3: new S3Client({ ...options, forcePathStyle: true }),
    cloudfront: new CloudFrontClient(options),
    acm: new ACMClient(options),
    cloudwatch: new CloudWatchClient(options),
    sns: new SNSClient(options),
    cloudtrail: new CloudTrailClient(options),
    idp: new CognitoIdentityProviderClient(options),
    identity: new CognitoIdentityClient(options),
    secrets: new SecretsManagerClient(options),
    apigateway: new APIGatewayClient(options),
    wafv2: new WAFV2Client(options),
  };
  try {
    const domain = 'example.com';
    const appHost = `app.${domain}`;
    const clusters = await createClusters(clients.rds);
    const buckets = await createBuckets(clients.s3);
    const good = await clients.acm.send(new RequestCertificateCommand({ DomainName: domain, SubjectAlternativeNames: [`*.${domain}`], ValidationMethod: 'DNS' }));
    const { certificate, privateKey } = selfSigned('legacy.example.net', 10, now);
    const expiring = await clients.acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(certificate), PrivateKey: Buffer.from(privateKey) }));
    const certificates = { good: good.CertificateArn!, expiring: expiring.CertificateArn! };
    const webAcls = await createWebAcls(clients.wafv2);
    const distributions = await createDistributions(clients.cloudfront, appHost, certificates, webAcls);
    const { alarms, topic, dashboard } = await createMonitoring(clients.cloudwatch, clients.sns);
    const trail = 'org-trail';
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'org-trail-logs' }));
    await clients.cloudtrail.send(new CreateTrailCommand({ Name: trail, S3BucketName: 'org-trail-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
    // moto gives a new trail no event selectors; AWS gives it this default one (every management event).
    await clients.cloudtrail.send(new PutEventSelectorsCommand({ TrailName: trail, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
    await clients.cloudtrail.send(new StartLoggingCommand({ Name: trail }));
    const userPools = await createUserPools(clients.idp);
    const identityPools = {
      good: (await clients.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'staff', AllowUnauthenticatedIdentities: false }))).IdentityPoolId!,
      bad: (await clients.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'uploads', AllowUnauthenticatedIdentities: true }))).IdentityPoolId!,
    };
    const secrets = await createSecrets(clients.secrets);
    const stages = { good: await createStage(clients.apigateway, 'ehr-api', true), bad: await createStage(clients.apigateway, 'legacy-api', false) };
    const { EC2Client, DescribeSecurityGroupsCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = new EC2Client(options);
    const defaultSecurityGroup = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups?.[0]?.GroupId ?? '';
    ec2.destroy();
    return { domain, appHost, clusters, buckets, distributions, certificates, alarms, topic, dashboard, trail, userPools, identityPools, secrets, stages, defaultSecurityGroup };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

async function createClusters(rds: RDSClient): Promise<MixedAccount['clusters']> {
  const login = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };
  await rds.send(new CreateDBClusterParameterGroupCommand({ DBClusterParameterGroupName: 'tls-on', DBParameterGroupFamily: 'aurora-postgresql15', Description: 'force TLS' }));
  await rds.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: 'tls-on', Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', ApplyMethod: 'immediate' }] }));
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'ehr-hardened', Engine: 'aurora-postgresql', EngineVersion: '15.3', DBClusterParameterGroupName: 'tls-on',
      DeletionProtection: true, StorageEncrypted: true, KmsKeyId: KMS_KEY, BackupRetentionPeriod: 30, ...login,
    }),
  );
  await rds.send(
    new CreateDBClusterCommand({ DBClusterIdentifier: 'ehr-careless', Engine: 'aurora-postgresql', EngineVersion: '15.3', DeletionProtection: false, StorageEncrypted: false, BackupRetentionPeriod: 7, ...login }),
  );
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ehr-hardened-writer', DBClusterIdentifier: 'ehr-hardened', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', PubliclyAccessible: false }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ehr-careless-writer', DBClusterIdentifier: 'ehr-careless', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', PubliclyAccessible: true }));
  return { good: 'ehr-hardened', bad: 'ehr-careless' };
}

async function createBuckets(s3: S3Client): Promise<MixedAccount['buckets']> {
  const buckets = { good: 'phi-hardened', bad: 'phi-bare', logs: 'phi-access-logs' };
  for (const bucket of Object.values(buckets)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const bucket = buckets.good;
  await s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY }, BucketKeyEnabled: true }] } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  const denyPlainHttp = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  };
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(denyPlainHttp) }));
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: [{ ID: 'archive', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 90, StorageClass: 'GLACIER' }] }] },
    }),
  );
  // moto accepts a logging target only when its ACL lets the log delivery group write (AWS prefers a bucket policy).
  const logDelivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';
  await s3.send(new PutBucketAclCommand({ Bucket: buckets.logs, GrantWrite: logDelivery, GrantReadACP: logDelivery }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: buckets.logs, TargetPrefix: `${bucket}/` } } }));
  return buckets;
}

function behavior(viewerProtocolPolicy: 'allow-all' | 'redirect-to-https' | 'https-only') {
  return { TargetOriginId: 'origin', ViewerProtocolPolicy: viewerProtocolPolicy, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' as const } }, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } };
}

/** A web ACL that blocks (rate limit) and one that only counts: attached, the second protects nothing. */
async function createWebAcls(wafv2: WAFV2Client): Promise<{ blocking: string; countOnly: string }> {
  const create = async (name: string, action: 'Block' | 'Count') =>
    (
      await wafv2.send(
        new CreateWebACLCommand({
          Name: name,
          Scope: 'CLOUDFRONT',
          DefaultAction: { Allow: {} },
          Rules: [{ Name: 'rate-limit', Priority: 0, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } }, Action: { [action]: {} }, VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'rate-limit' } }],
          VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: name },
        }),
      )
    ).Summary!.ARN!;
  return { blocking: await create('app', 'Block'), countOnly: await create('legacy', 'Count') };
}

async function createDistributions(cloudfront: CloudFrontClient, appHost: string, certificates: MixedAccount['certificates'], webAcls: { blocking: string; countOnly: string }): Promise<MixedAccount['distributions']> {
  const create = async (reference: string, over: Partial<DistributionConfig>) =>
    (
      await cloudfront.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: reference, Comment: reference, Enabled: true,
            Origins: { Quantity: 1, Items: [{ Id: 'origin', DomainName: 'frontend.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
            DefaultCacheBehavior: behavior('redirect-to-https'),
            Logging: { Enabled: true, IncludeCookies: false, Bucket: 'phi-access-logs.s3.amazonaws.com', Prefix: `cloudfront/${reference}/` },
            ...over,
          },
        }),
      )
    ).Distribution!.Id!;
  const good = await create('app', {
    // moto's GetDistributionConfig drops S3OriginConfig (the origin's kind is then unknown): the good one uses a custom origin.
    Origins: { Quantity: 1, Items: [{ Id: 'origin', DomainName: `origin.${appHost}`, CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only', OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] } } }] },
    Aliases: { Quantity: 1, Items: [appHost] },
    CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: '/assets/*', ...behavior('https-only') }] },
    ViewerCertificate: { ACMCertificateArn: certificates.good, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
    WebACLId: webAcls.blocking,
  });
  const bad = await create('legacy', {
    Aliases: { Quantity: 1, Items: ['legacy.example.net'] },
    CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: '/api/*', ...behavior('allow-all') }] },
    ViewerCertificate: { ACMCertificateArn: certificates.expiring, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
    WebACLId: webAcls.countOnly,
  });
  return { good, bad };
}

async function createMonitoring(cloudwatch: CloudWatchClient, sns: SNSClient): Promise<Pick<MixedAccount, 'alarms' | 'topic' | 'dashboard'>> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'oncall' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'oncall@example.com' }));
  const alarm = (name: string, namespace: string, metric: string, threshold: number, actions: string[]) =>
    cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name, Namespace: namespace, MetricName: metric, Statistic: 'Average', Period: 300, EvaluationPeriods: 2,
        Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', ActionsEnabled: true, AlarmActions: actions,
      }),
    );
  const alarms = { good: 'rds-cpu-high', bad: 'api-5xx' };
  await alarm(alarms.good, 'AWS/RDS', 'CPUUtilization', 80, [TopicArn!]);
  await alarm(alarms.bad, 'AWS/ApiGateway', '5XXError', 5, []);
  const dashboard = 'ehr-health';
  await cloudwatch.send(new PutDashboardCommand({ DashboardName: dashboard, DashboardBody: JSON.stringify({ widgets: [] }) }));
  return { alarms, topic: TopicArn!, dashboard };
}

async function createUserPools(idp: CognitoIdentityProviderClient): Promise<MixedAccount['userPools']> {
  const pool = async (name: string, mfa: 'ON' | 'OPTIONAL') => {
    const id = (await idp.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, SoftwareTokenMfaConfiguration: { Enabled: true }, MfaConfiguration: mfa }));
    return id;
  };
  return { good: await pool('staff', 'ON'), bad: await pool('clinicians', 'OPTIONAL') };
}

async function createSecrets(secrets: SecretsManagerClient): Promise<MixedAccount['secrets']> {
  // Dummy values: the collector lists secrets and never reads a value.
  const good = (await secrets.send(new CreateSecretCommand({ Name: 'prod/database/credentials', SecretString: '{"password":"dummy-value"}' }))).ARN!;
  const bad = (await secrets.send(new CreateSecretCommand({ Name: 'prod/database/replica', SecretString: '{"password":"dummy-value"}' }))).ARN!;
  // moto turns rotation on without a rotation Lambda (AWS requires one unless RDS manages the secret).
  await secrets.send(new RotateSecretCommand({ SecretId: good, RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false }));
  return { good, bad };
}

/** A REST API with one mock GET method, deployed to a `prod` stage. Returns the API id. */
export async function deployRestApi(apigateway: APIGatewayClient, name: string): Promise<string> {
  const { id } = await apigateway.send(new CreateRestApiCommand({ name }));
  const { items } = await apigateway.send(new GetResourcesCommand({ restApiId: id }));
  const root = items!.find((r) => r.path === '/')!.id!;
  await apigateway.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
  await apigateway.send(new PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
  const deployment = await apigateway.send(new CreateDeploymentCommand({ restApiId: id }));
  await apigateway.send(new CreateStageCommand({ restApiId: id, stageName: 'prod', deploymentId: deployment.id }));
  return id!;
}

/** A REST API deployed to `prod`; with `hardened`, access logging and throttling set. Returns `<apiId>/prod`. */
async function createStage(apigateway: APIGatewayClient, name: string, hardened: boolean): Promise<string> {
  const id = await deployRestApi(apigateway, name);
  if (hardened) {
    await apigateway.send(
      new UpdateStageCommand({
        restApiId: id, stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:123456789012:log-group:${name}-access` },
          { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' },
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '200' },
        ],
      }),
    );
  }
  return `${id}/prod`;
}

