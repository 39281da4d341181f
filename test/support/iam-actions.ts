import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** IAM service prefix of each SDK client package (`@aws-sdk/client-<name>`). */
export const IAM_PREFIX_OF_PACKAGE: Record<string, string> = {
  acm: 'acm', 'api-gateway': 'apigateway', apigatewayv2: 'apigateway', cloudfront: 'cloudfront', cloudtrail: 'cloudtrail', cloudwatch: 'cloudwatch',
  'cognito-identity': 'cognito-identity', 'cognito-identity-provider': 'cognito-idp', 'cost-explorer': 'ce', iam: 'iam', rds: 'rds',
  s3: 's3', 's3-control': 's3', 'secrets-manager': 'secretsmanager', sns: 'sns', sts: 'sts',
  wafv2: 'wafv2', 'cloudwatch-logs': 'logs', kms: 'kms', 'route-53': 'route53', backup: 'backup', organizations: 'organizations',
  ec2: 'ec2', lambda: 'lambda', 'config-service': 'config', guardduty: 'guardduty', securityhub: 'securityhub',
};

/** IAM service prefix of each SDK client class, as the middleware context names it. */
export const IAM_PREFIX_OF_CLIENT: Record<string, string> = {
  ACMClient: 'acm', APIGatewayClient: 'apigateway', ApiGatewayV2Client: 'apigateway', CloudFrontClient: 'cloudfront', CloudTrailClient: 'cloudtrail', CloudWatchClient: 'cloudwatch',
  CognitoIdentityClient: 'cognito-identity', CognitoIdentityProviderClient: 'cognito-idp', CostExplorerClient: 'ce', IAMClient: 'iam', RDSClient: 'rds',
  S3Client: 's3', S3ControlClient: 's3', SecretsManagerClient: 'secretsmanager', SNSClient: 'sns', STSClient: 'sts',
  WAFV2Client: 'wafv2', CloudWatchLogsClient: 'logs', KMSClient: 'kms', Route53Client: 'route53', BackupClient: 'backup', OrganizationsClient: 'organizations',
  EC2Client: 'ec2', LambdaClient: 'lambda', ConfigServiceClient: 'config', GuardDutyClient: 'guardduty', SecurityHubClient: 'securityhub',
};

/** Where the IAM action is not `prefix:Operation`. */
const ACTION_OF: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
  's3:GetBucketCors': 's3:GetBucketCORS',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:HeadBucket': 's3:ListBucket',
};

/** Read-style names that must never be called: they hand out secret values. */
const FORBIDDEN = new Set(['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'kms:Decrypt', 'iam:GetCredentialReport']);
const READ_VERB = /^(Describe|List|Get|Head)[A-Z]/;

/** The IAM action an SDK operation needs. API Gateway authorises every read as `apigateway:GET`. */
export function iamAction(prefix: string, operation: string): string {
  if (prefix === 'apigateway') return `apigateway:${operation.startsWith('Get') ? 'GET' : operation}`;
  return ACTION_OF[`${prefix}:${operation}`] ?? `${prefix}:${operation}`;
}

export function isReadOnly(action: string): boolean {
  if (FORBIDDEN.has(action)) return false;
  if (action === 'apigateway:GET') return true;
  return READ_VERB.test(action.split(':')[1] ?? '');
}

/** Every action iam/readiness-policy.json allows. */
export async function grantedActions(): Promise<Set<string>> {
  const policy = JSON.parse(await readFile(join(import.meta.dirname, '../../iam/readiness-policy.json'), 'utf8')) as { Statement: { Effect: string; Action: string[] | string }[] };
  return new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

/** The recorded actions that are not read-only or not granted by the policy (expected: none). */
export async function unsafeActions(sent: Iterable<string>): Promise<string[]> {
  const granted = await grantedActions();
  return [...sent].filter((action) => !isReadOnly(action) || !granted.has(action)).sort();
}
