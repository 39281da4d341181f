import { z } from '../zod.js';
import { defineFact } from '../model.js';
import { kmsKeys } from './aws-network.js';

/** Account-level, identity and operations facts: SNS, dashboards, IAM, CloudTrail, Cognito, Secrets Manager, API Gateway, cost, Artifact. */

export const snsTopics = defineFact({
  id: 'aws.sns.topics',
  description: 'SNS topics in the selected regions, with the confirmation state of each subscription (endpoints are not kept)',
  permissions: ['sns:ListTopics', 'sns:ListSubscriptionsByTopic'],
  schema: () => z.array(
    z.object({
      arn: z.string(),
      region: z.string(),
      subscriptions: z.array(z.object({ protocol: z.string(), confirmed: z.boolean() })),
    }),
  ),
});

export const snsAlarmTopicEncryption = defineFact({
  id: 'aws.sns.alarm-topic-encryption',
  description: 'For each SNS topic an alarm notifies: its KMS key, who manages the key, and whether the key policy lets CloudWatch use it',
  permissions: ['sns:GetTopicAttributes', 'kms:DescribeKey', 'kms:GetKeyPolicy'],
  schema: () => z.array(
    z.object({
      arn: z.string(),
      region: z.string(),
      /** False when the topic does not exist (monitoring.alarms.actions reports it). */
      found: z.boolean(),
      /** KmsMasterKeyId as set on the topic (key id, ARN or alias); null: not encrypted. */
      kmsKeyId: z.string().nullable(),
      /** null: no key set, or the key could not be found. */
      key: z
        .object({
          arn: z.string().nullable(),
          manager: kmsKeys.schema.element.shape.manager,
          /** The actions the key policy's Allow statements give cloudwatch.amazonaws.com (or everyone); null when not read (AWS-managed keys). */
          cloudWatchActions: z.array(z.string()).nullable(),
          /** DescribeKey's KeyState (Enabled, Disabled, PendingDeletion, …); null for an AWS-managed alias not described; absent in older snapshots. */
          state: z.string().nullable().optional(),
        })
        .nullable(),
    }),
  ),
});

export const cloudwatchDashboards = defineFact({
  id: 'aws.cloudwatch.dashboards',
  description: 'CloudWatch dashboards of the account, with what each body graphs: its metric widgets and their namespaces (not the body itself)',
  permissions: ['cloudwatch:ListDashboards', 'cloudwatch:GetDashboard'],
  schema: () =>
    z.array(
      z.object({
        name: z.string(),
        arn: z.string(),
        lastModified: z.string().nullable(),
        // Absent in snapshots written before bodies were read.
        body: z.union([z.object({ metricWidgets: z.number().int(), namespaces: z.array(z.string()) }), z.object({ unreadable: z.string() })]).optional(),
      }),
    ),
});

export const iamAccountSummary = defineFact({
  id: 'aws.iam.account-summary',
  description: 'IAM account summary: root MFA and root access keys',
  permissions: ['iam:GetAccountSummary'],
  schema: () => z.object({ rootMfaEnabled: z.boolean(), rootAccessKeysPresent: z.boolean(), users: z.number().nullable() }),
});

/** S3 object-level events a trail records: ARN prefixes (`arn:aws:s3` alone: every bucket) and which of read/write. */
export const s3DataEvent = () => z.object({ arnPrefixes: z.array(z.string()), readWrite: z.enum(['All', 'ReadOnly', 'WriteOnly']) });

export const cloudtrailTrails = defineFact({
  id: 'aws.cloudtrail.trails',
  description: 'CloudTrail trails visible from the selected regions: logging status, encryption, CloudWatch Logs delivery, and the management and S3 data events they record',
  permissions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  schema: () => z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      homeRegion: z.string(),
      multiRegion: z.boolean(),
      organizationTrail: z.boolean(),
      logFileValidation: z.boolean(),
      s3Bucket: z.string().nullable(),
      isLogging: z.boolean(),
      latestDeliveryError: z.string().nullable(),
      /**
       * Management events the event selectors (classic or advanced) record, and the event sources they all leave out
       * (`kms.amazonaws.com`; `all but <sources>` for a selector naming the only ones it keeps); null when not read (older snapshots).
       */
      managementEvents: z.object({ read: z.boolean(), write: z.boolean(), excludedSources: z.array(z.string()).default([]) }).nullable().default(null),
      /** The fields below are read for aws.cloudtrail.trail-settings; older snapshots lack them (that fact is recorded apart). */
      kmsKeyId: z.string().nullable().default(null),
      cloudWatchLogsLogGroupArn: z.string().nullable().default(null),
      latestCloudWatchLogsDeliveryError: z.string().nullable().default(null),
      /** GetTrailStatus's LatestCloudWatchLogsDeliveryTime (ISO 8601); null: none reported (never delivered); absent in older snapshots. */
      latestCloudWatchLogsDeliveryTime: z.string().nullable().optional(),
      s3DataEvents: z.array(s3DataEvent()).default([]),
    }),
  ),
});

export const cognitoUserPools = defineFact({
  id: 'aws.cognito.user-pools',
  description: 'Cognito user pools (configured, else every pool of the regions) and their MFA setting',
  permissions: ['cognito-idp:ListUserPools', 'cognito-idp:DescribeUserPool', 'cognito-idp:ListIdentityProviders'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      arn: z.string().nullable(),
      region: z.string(),
      mfa: z.enum(['ON', 'OFF', 'OPTIONAL', 'unknown']),
      missing: z.boolean().default(false),
      /** Whether anyone can sign up (AdminCreateUserConfig.AllowAdminCreateUserOnly off, the default); absent in snapshots from before it was collected. */
      selfSignUp: z.boolean().optional(),
      /** The pool's external identity providers (SAML, OIDC, Google, …): Cognito asks their users for no second factor; absent in snapshots from before they were collected. */
      identityProviders: z.array(z.object({ name: z.string(), type: z.string() })).optional(),
    }),
  ),
});

export const cognitoIdentityPools = defineFact({
  id: 'aws.cognito.identity-pools',
  description: 'Cognito identity pools (configured, else every pool of the regions) and whether they admit unauthenticated identities',
  permissions: ['cognito-identity:ListIdentityPools', 'cognito-identity:DescribeIdentityPool'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      region: z.string(),
      allowUnauthenticated: z.boolean(),
      missing: z.boolean().default(false),
      /** The keys of SupportedLoginProviders (public social sign-in: accounts.google.com, graph.facebook.com, …); absent in snapshots from before they were collected. */
      loginProviders: z.array(z.string()).optional(),
      /** How many OpenIdConnectProviderARNs and SamlProviderARNs the pool trusts. */
      openIdConnectProviders: z.number().optional(),
      samlProviders: z.number().optional(),
      /** CognitoIdentityProviders: the user pools it trusts (providerName `cognito-idp.<region>.amazonaws.com/<user pool id>`); absent in snapshots from before they were collected. */
      cognitoProviders: z.array(z.object({ providerName: z.string(), clientId: z.string().nullable() })).optional(),
    }),
  ),
});

export const secretsManagerSecrets = defineFact({
  id: 'aws.secretsmanager.secrets',
  description: 'Secrets Manager secret metadata (never values): name, description, tags, rotation',
  permissions: ['secretsmanager:ListSecrets'],
  schema: () => z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      region: z.string(),
      description: z.string().nullable(),
      tags: z.record(z.string(), z.string()),
      owningService: z.string().nullable(),
      rotationEnabled: z.boolean(),
      rotationDays: z.number().nullable(),
      lastRotated: z.string().nullable(),
      /** When the secret was created: how long a secret that never rotated has gone without it. */
      created: z.string().nullable().default(null),
    }),
  ),
});

export const apiGatewayStages = defineFact({
  id: 'aws.apigateway.stages',
  description: 'Stages of every API Gateway REST API: access logging and throttling',
  permissions: ['apigateway:GET'],
  schema: () => z.array(
    z.object({
      apiId: z.string(),
      apiName: z.string(),
      region: z.string(),
      stage: z.string(),
      accessLogDestination: z.string().nullable(),
      // Stage-wide throttling (method settings key "*/*"); null when the stage sets none.
      throttling: z.object({ burstLimit: z.number().nullable(), rateLimit: z.number().nullable() }).nullable(),
    }),
  ),
});

export const apiGatewayV2Stages = defineFact({
  id: 'aws.apigatewayv2.stages',
  description: 'Stages of every API Gateway HTTP and WebSocket API (v2): access logging and default route throttling',
  permissions: ['apigateway:GET'],
  schema: () => z.array(
    z.object({
      apiId: z.string(),
      apiName: z.string(),
      /** HTTP or WEBSOCKET. */
      protocol: z.string(),
      region: z.string(),
      stage: z.string(),
      accessLogDestination: z.string().nullable(),
      // DefaultRouteSettings throttling; null when the stage sets none.
      throttling: z.object({ burstLimit: z.number().nullable(), rateLimit: z.number().nullable() }).nullable(),
    }),
  ),
});

const costPeriod = () => z.object({
  start: z.string(),
  end: z.string(),
  estimated: z.boolean(),
  total: z.number(),
  byService: z.record(z.string(), z.number()),
});

export const costByService = defineFact({
  id: 'aws.cost.by-service',
  description: 'Unblended cost by service, for the last full month and the current month to date (Cost Explorer: one request per run, billed $0.01)',
  permissions: ['ce:GetCostAndUsage'],
  schema: () => z.object({ currency: z.string(), lastMonth: costPeriod().nullable(), monthToDate: costPeriod().nullable() }),
});

export const artifactAgreements = defineFact({
  id: 'aws.artifact.agreements',
  description: 'Customer agreements accepted in AWS Artifact (e.g. the Business Associate Addendum)',
  permissions: ['artifact:ListCustomerAgreements'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      arn: z.string(),
      agreementArn: z.string().nullable(),
      state: z.string(),
      type: z.string().nullable(),
      effectiveStart: z.string().nullable(),
      effectiveEnd: z.string().nullable(),
    }),
  ),
});
