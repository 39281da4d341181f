import { z } from '../zod.js';
import { defineFact } from '../model.js';
import { cloudtrailTrails, s3DataEvent } from './aws-account.js';

/** Detection and audit facts: GuardDuty, Security Hub, AWS Config, CloudWatch Logs groups, CloudTrail's encryption, delivery and data events. */

export const guardDutyDetectors = defineFact({
  id: 'aws.guardduty.detectors',
  description: 'GuardDuty detectors of each selected region, their status and the status of each protection plan (feature)',
  permissions: ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  schema: () => z.array(
    z.object({
      region: z.string(),
      detectors: z.array(
        z.object({
          id: z.string(),
          status: z.string().nullable(),
          /**
           * GetDetector's Features (S3_DATA_EVENTS, RDS_LOGIN_EVENTS, …), each ENABLED or DISABLED; a plan the answer
           * does not list is not known to be on. Absent: a snapshot from before.
           */
          features: z.array(z.object({ name: z.string(), status: z.string().nullable() })).optional(),
        }),
      ),
    }),
  ),
});

export const securityHubHubs = defineFact({
  id: 'aws.securityhub.hubs',
  description: 'Whether Security Hub is enabled in each selected region, and the security standards it evaluates there',
  permissions: ['securityhub:DescribeHub', 'securityhub:GetEnabledStandards'],
  schema: () => z.array(
    z.object({
      region: z.string(),
      enabled: z.boolean(),
      hubArn: z.string().nullable(),
      /**
       * The enabled hub's standards subscriptions (GetEnabledStandards), each with its StandardsStatus (READY, PENDING,
       * INCOMPLETE, FAILED, DELETING): only a READY standard's controls are evaluated. `read: false`: they could not be
       * read, with the reason. Absent: the hub is off, or a snapshot from before.
       */
      standards: z
        .discriminatedUnion('read', [
          z.object({
            read: z.literal(true),
            subscriptions: z.array(z.object({ standardsArn: z.string(), subscriptionArn: z.string(), status: z.string(), statusReason: z.string().nullable() })),
          }),
          z.object({ read: z.literal(false), reason: z.string() }),
        ])
        .optional(),
    }),
  ),
});

export const configRecorders = defineFact({
  id: 'aws.config.recorders',
  description: 'AWS Config configuration recorders of each selected region: what they record, whether they are recording, and whether the last delivery of their history to the bucket succeeded',
  permissions: ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus', 'config:DescribeDeliveryChannelStatus'],
  schema: () => z.array(
    z.object({
      region: z.string(),
      /**
       * The region's delivery channels (DescribeDeliveryChannelStatus) with the last delivery of configuration history
       * to their bucket: lastStatus Success, Failure or Not_Applicable (nothing attempted yet), and the error of a failure.
       * `read: false`: it could not be read, with the reason. Absent in older snapshots.
       */
      deliveryChannels: z
        .discriminatedUnion('read', [
          z.object({
            read: z.literal(true),
            channels: z.array(z.object({ name: z.string(), historyLastStatus: z.string().nullable(), historyLastErrorCode: z.string().nullable(), historyLastErrorMessage: z.string().nullable() })),
          }),
          z.object({ read: z.literal(false), reason: z.string() }),
        ])
        .optional(),
      recorders: z.array(
        z.object({
          name: z.string(),
          recording: z.boolean(),
          allSupported: z.boolean(),
          lastStatus: z.string().nullable(),
          /** The role the recorder reads resources with; null in older snapshots. */
          roleArn: z.string().nullable().default(null),
          /** Whether it records IAM's global resource types (users, roles, policies); null in older snapshots. */
          includesGlobalTypes: z.boolean().nullable().default(null),
        }),
      ),
    }),
  ),
});

export const logGroups = defineFact({
  id: 'aws.logs.log-groups',
  description: 'CloudWatch Logs log groups of the selected regions: retention and KMS key (never their events)',
  permissions: ['logs:DescribeLogGroups'],
  schema: () => z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      region: z.string(),
      /** null: never expire. */
      retentionDays: z.number().nullable(),
      kmsKeyId: z.string().nullable(),
    }),
  ),
});

export const cloudtrailTrailSettings = defineFact({
  id: 'aws.cloudtrail.trail-settings',
  description: 'For each CloudTrail trail: logging, KMS encryption, CloudWatch Logs delivery (and whether its log group exists) and the management and S3 data events it records (taken from aws.cloudtrail.trails: one read)',
  permissions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'kms:DescribeKey', 'logs:DescribeLogGroups'],
  schema: () => z.array(
    cloudtrailTrails.schema.element
      .pick({ name: true, arn: true, homeRegion: true, multiRegion: true, isLogging: true, latestCloudWatchLogsDeliveryTime: true })
      .extend({
        /** As aws.cloudtrail.trails reads them; absent in older snapshots. */
        managementEvents: cloudtrailTrails.schema.element.shape.managementEvents.unwrap().optional(),
        kmsKeyId: z.string().nullable(),
        /** DescribeKey's KeyState of kmsKeyId (Enabled, Disabled, PendingDeletion, …), 'NotFound' when the key does not exist; null when there is no key or it was not read (kmsKeyStateError says why); absent in older snapshots. */
        kmsKeyState: z.string().nullable().optional(),
        /** Why kmsKeyState could not be read; absent in older snapshots. */
        kmsKeyStateError: z.string().nullable().optional(),
        cloudWatchLogsLogGroupArn: z.string().nullable(),
        latestCloudWatchLogsDeliveryError: z.string().nullable(),
        /** Whether the log group cloudWatchLogsLogGroupArn names exists (DescribeLogGroups in its region); null when there is none or it was not read (cloudWatchLogsLogGroupError says why); absent in older snapshots. */
        cloudWatchLogsLogGroupExists: z.boolean().nullable().optional(),
        /** Why cloudWatchLogsLogGroupExists could not be read; absent in older snapshots. */
        cloudWatchLogsLogGroupError: z.string().nullable().optional(),
        s3DataEvents: z.array(s3DataEvent()),
      }),
  ),
});
