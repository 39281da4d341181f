import { z } from '../zod-package.js';
import { expectationSchema, jsonPath, regexSource } from './expect.js';

/** Namespaces of the built-in checks: a declarative check takes another (`custom.` is the usual one). */
export const BUILT_IN_NAMESPACES = ['aws', 'supabase', 'app', 'domain', 'monitoring', 'compliance', 'info'];

/**
 * The AWS SDK v3 clients an `aws` check may call, by the name of their package (`@aws-sdk/client-<name>`),
 * with the key the run's AwsSession loads them by (one client per service and region, lazily).
 */
export const AWS_SERVICES = {
  acm: 'acm',
  'api-gateway': 'apiGateway',
  apigatewayv2: 'apiGatewayV2',
  backup: 'backup',
  cloudfront: 'cloudfront',
  cloudtrail: 'cloudtrail',
  cloudwatch: 'cloudwatch',
  'cloudwatch-logs': 'cloudwatchLogs',
  'cognito-identity': 'cognitoIdentity',
  'cognito-identity-provider': 'cognitoIdentityProvider',
  'config-service': 'configService',
  'cost-explorer': 'costExplorer',
  ec2: 'ec2',
  guardduty: 'guardDuty',
  iam: 'iam',
  kms: 'kms',
  rds: 'rds',
  s3: 's3',
  'secrets-manager': 'secretsManager',
  securityhub: 'securityHub',
  sns: 'sns',
  sts: 'sts',
} as const;
export type AwsServiceName = keyof typeof AWS_SERVICES;

/**
 * Get operations that read data or secrets, or hand out credentials: refused although their names
 * look read-only. The tool never reads PHI or secret values (GetObject, GetSecretValue), nor mints
 * credentials or identities (GetSessionToken, GetId).
 */
export const REFUSED_OPERATIONS = [
  'GetObject',
  'GetObjectTorrent',
  'GetSecretValue',
  'GetRandomPassword',
  'GetPasswordData',
  'GetSessionToken',
  'GetFederationToken',
  'GetCredentialsForIdentity',
  'GetId',
  'GetOpenIdToken',
  'GetOpenIdTokenForDeveloperIdentity',
  'GetKeyPairs',
];

const severity = z.enum(['critical', 'high', 'medium', 'low']);
const timeoutMs = z.number().int().positive().max(120_000);

const http = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('The URL to request; a ${NAME} in it is read from the environment.'),
    method: z.enum(['GET', 'HEAD', 'OPTIONS']).default('GET').describe('Read-only methods only.'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a header name'), z.string()).default({}).describe('Request headers; use ${NAME} for a token. Their values are never written to a report or snapshot.'),
    expectStatus: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]).default(200).describe('The status (or statuses) the answer must have.'),
    headerMatches: z.record(z.string(), regexSource).default({}).describe('Response headers that must be present and match a regular expression.'),
    bodyMatches: regexSource.optional().describe('A regular expression the response body must match.'),
    json: z.array(expectationSchema).default([]).describe('JSON path expectations over the response body (which must be JSON).'),
    requireTls: z.boolean().default(true).describe('The URL must be https:// with a certificate this machine trusts.'),
    timeoutMs: timeoutMs.default(5000),
  })
  .describe('Requests a URL (through the same probe machinery as the built-in probes) and tests its answer.');

const sql = z
  .strictObject({
    query: z
      .string()
      .min(1)
      .refine((query) => /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*(select|with|values|table)\b/i.test(query), 'only a SELECT (or WITH … SELECT) query is accepted')
      .describe('A read-only query on supabase.dbUrl, run in a read-only transaction with a statement timeout.'),
    expect: z
      .union([
        z.literal('none'),
        z
          .strictObject({ min: z.number().optional(), max: z.number().optional() })
          .refine((bounds) => bounds.min !== undefined || bounds.max !== undefined, 'give min, max or both'),
      ])
      .default('none')
      .describe('`none`: the query must return no rows (each row is a failing resource); `{ min, max }`: it returns one number within bounds.'),
    resource: z.string().min(1).optional().describe('With expect none: the column naming each row (default: the first column).'),
    timeoutMs: timeoutMs.default(5000).describe('Statement timeout.'),
  })
  .describe('Runs a read-only query on the Supabase database.');

const aws = z
  .strictObject({
    service: z.enum(Object.keys(AWS_SERVICES) as [AwsServiceName, ...AwsServiceName[]]).describe('The SDK client, by package name: @aws-sdk/client-<service>.'),
    operation: z
      .string()
      .regex(/^(Describe|List|Get)[A-Z][A-Za-z0-9]*$/, 'only Describe*, List* and Get* operations are accepted')
      .refine((operation) => !REFUSED_OPERATIONS.includes(operation), 'this operation reads data or secrets, or mints credentials: refused')
      .describe('The operation, as the SDK names it without "Command" (ListBuckets, DescribeDBClusters).'),
    input: z.record(z.string(), z.unknown()).default({}).describe('The operation input, as the SDK takes it.'),
    region: z.string().min(1).optional().describe('Default: the run\'s default region.'),
    each: jsonPath.optional().describe('The list whose every element must meet `expect`, e.g. $.DBClusters[*] (must end in [*]).'),
    resource: jsonPath.optional().describe('Path, within an element, of its name (e.g. $.DBClusterIdentifier); default: its position.'),
    expect: expectationSchema.optional().describe('What every element must meet (paths relative to the element).'),
    allowNone: z.boolean().default(false).describe('With `each`: an empty list is not applicable instead of failing.'),
    count: z
      .strictObject({ path: jsonPath, min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
      .refine((c) => c.min !== undefined || c.max !== undefined, 'give min, max or both')
      .optional()
      .describe('The number of elements a path (ending in [*]) selects must be within bounds.'),
  })
  .refine((a) => (a.each !== undefined && a.expect !== undefined && a.count === undefined) || (a.count !== undefined && a.each === undefined && a.expect === undefined), {
    message: 'give either `each` with `expect`, or `count`',
  })
  .refine((a) => [a.each, a.count?.path].every((path) => path === undefined || path.endsWith('[*]')), { message: '`each` and `count.path` select a list: end them in [*]' })
  .describe('One read-only AWS SDK v3 call and an assertion over its answer.');

const file = z
  .strictObject({
    path: z.string().min(1).describe('Relative to the config file.'),
    matches: regexSource.optional().describe('A regular expression the content must match (multiline).'),
    notMatches: regexSource.optional().describe('A regular expression the content must not match (e.g. TODO).'),
    reviewedWithinDays: z.number().int().positive().optional().describe('A `reviewed: YYYY-MM-DD` line (else the last commit) no older than this.'),
  })
  .describe('A file that must exist, match a pattern, and have been reviewed recently.');

const attestation = z
  .strictObject({
    name: z.string().min(1).describe('The key under `attestations:`.'),
    maxAgeDays: z.number().int().positive().describe('The attestation is dated no older than this.'),
  })
  .describe('A named attestation (under `attestations:`) with a maximum age.');

export const DECLARATIVE_KINDS = ['http', 'sql', 'aws', 'file', 'attestation'] as const;
export type DeclarativeKind = (typeof DECLARATIVE_KINDS)[number];

export const customCheckSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/, 'a namespaced id, lowercase: <namespace>.<name>, e.g. custom.health-endpoint')
      .refine((id) => !BUILT_IN_NAMESPACES.includes(id.split('.')[0]!), `the namespaces ${BUILT_IN_NAMESPACES.join(', ')} belong to the built-in checks: use custom.<name>`),
    title: z.string().min(1).describe('What passing means, e.g. "The billing export is empty".'),
    failureTitle: z.string().min(1).optional().describe('What failing means (default: "Not met: <title>").'),
    description: z.string().min(1).optional().describe('Why it matters (shown as the risk).'),
    section: z.enum(['aws', 'supabase', 'application', 'domain', 'monitoring', 'compliance']),
    severity,
    hipaa: z.array(z.string().regex(/^164\.\d+/, 'a 45 CFR citation, e.g. 164.312(b)')).default([]).describe('45 CFR citations, e.g. 164.312(b).'),
    layer: z.enum(['infrastructure', 'application', 'operational']).optional().describe('Default: by section.'),
    phase: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional().describe('Critical-path phase (default: by section).'),
    remediation: z.strictObject({
      text: z.string().min(1),
      command: z.string().min(1).optional().describe('Copy-pasteable; {{resource}} is filled from the finding.'),
      effortMinutes: z.number().int().positive().default(60),
      effortLabel: z.string().min(1).optional(),
    }),
    http: http.optional(),
    sql: sql.optional(),
    aws: aws.optional(),
    file: file.optional(),
    attestation: attestation.optional(),
  })
  .refine((entry) => DECLARATIVE_KINDS.filter((kind) => entry[kind] !== undefined).length === 1, { message: `give exactly one of ${DECLARATIVE_KINDS.join(', ')}` })
  .describe('A check written in the config: what it asks (one of http, sql, aws, file, attestation) and how it is reported.');
export type CustomCheck = z.output<typeof customCheckSchema>;
export type CustomCheckInput = z.input<typeof customCheckSchema>;

export const includeSchema = z.strictObject({ include: z.string().min(1).describe('A YAML file (relative to this one) holding a list of custom checks.') });

/** `customChecks:` — entries, and `- include: file` items that bring a file's list in. */
export const customChecksSchema = z
  .array(z.union([includeSchema, customCheckSchema]))
  .default([])
  .describe('Declarative checks (http, sql, aws, file, attestation), scored like the built-ins. Not under `checks:`, which holds per-check settings.');

export function kindOf(entry: CustomCheck): DeclarativeKind {
  return DECLARATIVE_KINDS.find((kind) => entry[kind] !== undefined)!;
}
