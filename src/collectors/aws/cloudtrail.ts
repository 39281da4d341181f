import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector, GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { cloudtrailTrails } from '../../facts/aws-account.js';
import { cloudtrailTrailSettings } from '../../facts/aws-detection.js';
import type { FactValue } from '../../model.js';
import { defineCollector, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws, requireField, requireList } from './require.js';

type Trail = FactValue<typeof cloudtrailTrails>[number];
type ManagementEvents = NonNullable<Trail['managementEvents']>;

/** The sources every selector leaves out: one a selector keeps is recorded. */
const leftOutByAll = (perSelector: string[][]) => (perSelector.length === 0 ? [] : perSelector.reduce((all, next) => all.filter((source) => next.includes(source))));

interface ManagementSelector {
  read: boolean;
  write: boolean;
  excluded: string[];
}

/**
 * Reads and writes are recorded apart: a source a read selector leaves out is unrecorded for reads (KMS Decrypt) even
 * when a write selector keeps it, so a source counts as left out when every selector of reads, or of writes, leaves it out.
 */
function managementEvents(selectors: ManagementSelector[]): ManagementEvents {
  const reads = selectors.filter((s) => s.read);
  const writes = selectors.filter((s) => s.write);
  return {
    read: reads.length > 0,
    write: writes.length > 0,
    excludedSources: [...new Set([...leftOutByAll(reads.map((s) => s.excluded)), ...leftOutByAll(writes.map((s) => s.excluded))])],
  };
}

/** Classic selectors: `IncludeManagementEvents` and `ReadWriteType` default to true and All; `ExcludeManagementEventSources` leaves sources out. */
function classicManagementEvents(selectors: EventSelector[]): ManagementEvents {
  return managementEvents(
    selectors
      .filter((s) => s.IncludeManagementEvents !== false)
      .map((s) => ({ read: (s.ReadWriteType ?? 'All') !== 'WriteOnly', write: (s.ReadWriteType ?? 'All') !== 'ReadOnly', excluded: s.ExcludeManagementEventSources ?? [] })),
  );
}

/** `readOnly` as Equals or NotEquals: 'true' for reads only, 'false' for writes only, undefined for both. */
function readOnlyOf(fields: AdvancedFieldSelector[]): string | undefined {
  const readOnly = fields.find((f) => f.Field === 'readOnly');
  return readOnly?.Equals?.[0] ?? (readOnly?.NotEquals?.[0] === 'true' ? 'false' : readOnly?.NotEquals?.[0] === 'false' ? 'true' : undefined);
}

/** Advanced selectors: a selector on `eventCategory = Management`, narrowed (or not) by `readOnly` and `eventSource`. */
function advancedManagementEvents(selectors: AdvancedEventSelector[]): ManagementEvents {
  const out: ManagementSelector[] = [];
  for (const selector of selectors) {
    const fields = selector.FieldSelectors ?? [];
    const category = fields.find((f) => f.Field === 'eventCategory');
    if (!category?.Equals?.includes('Management')) continue;
    const only = readOnlyOf(fields);
    const source = fields.find((f) => f.Field === 'eventSource');
    const kept = [...(source?.Equals ?? []), ...(source?.StartsWith ?? [])];
    // Any other field (eventName, userIdentity.arn, ...) records only the events it matches: fail closed.
    const narrowed = fields.filter((f) => !['eventCategory', 'readOnly', 'eventSource'].includes(f.Field ?? '')).map((f) => `events not matching ${f.Field}`);
    out.push({
      read: only !== 'false',
      write: only !== 'true',
      excluded: [...(source?.NotEquals ?? []), ...(source?.NotStartsWith ?? []), ...(kept.length ? [`all but ${kept.join(' ')}`] : []), ...narrowed],
    });
  }
  return managementEvents(out);
}

export const cloudtrailTrailsCollector = defineCollector(cloudtrailTrails, async (context) => {
  requireAws(context);
  const { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } = await import('@aws-sdk/client-cloudtrail');
  const trails = new Map<string, Omit<Trail, 'isLogging' | 'latestDeliveryError' | 'managementEvents' | 'latestCloudWatchLogsDeliveryError' | 'latestCloudWatchLogsDeliveryTime' | 's3DataEvents'>>();
  for (const region of context.aws.regions) {
    const client = await context.aws.client('cloudtrail', region);
    try {
      // DescribeTrails is not paginated; shadow trails show multi-region trails homed elsewhere.
      const answer = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: context.signal });
      for (const t of requireList(answer, 'trailList', 'cloudtrail:DescribeTrails')) {
        const arn = t.TrailARN ?? t.Name ?? '';
        trails.set(arn, {
          name: t.Name ?? '',
          arn,
          homeRegion: t.HomeRegion ?? region,
          multiRegion: t.IsMultiRegionTrail === true,
          organizationTrail: t.IsOrganizationTrail === true,
          logFileValidation: t.LogFileValidationEnabled === true,
          s3Bucket: t.S3BucketName ?? null,
          kmsKeyId: t.KmsKeyId ?? null,
          cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn ?? null,
        });
      }
    } catch (error) {
      throw awsFactError(error, 'cloudtrail:DescribeTrails');
    }
  }
  const out: Trail[] = [];
  for (const trail of trails.values()) {
    const client = await context.aws.client('cloudtrail', trail.homeRegion);
    let status;
    try {
      status = await client.send(new GetTrailStatusCommand({ Name: trail.arn }), { abortSignal: context.signal });
    } catch (error) {
      throw awsFactError(error, 'cloudtrail:GetTrailStatus');
    }
    let selectors;
    try {
      selectors = await client.send(new GetEventSelectorsCommand({ TrailName: trail.arn }), { abortSignal: context.signal });
    } catch (error) {
      throw awsFactError(error, 'cloudtrail:GetEventSelectors');
    }
    // A trail uses either classic or advanced selectors; with neither it records nothing.
    const managementEvents = selectors.AdvancedEventSelectors?.length
      ? advancedManagementEvents(selectors.AdvancedEventSelectors)
      : classicManagementEvents(selectors.EventSelectors ?? []);
    out.push({
      ...trail,
      isLogging: requireField(status, 'IsLogging', 'cloudtrail:GetTrailStatus') === true,
      latestDeliveryError: status.LatestDeliveryError || null,
      latestCloudWatchLogsDeliveryError: status.LatestCloudWatchLogsDeliveryError || null,
      latestCloudWatchLogsDeliveryTime: status.LatestCloudWatchLogsDeliveryTime?.toISOString() ?? null,
      managementEvents,
      s3DataEvents: s3DataEvents(selectors),
    });
  }
  return out;
});

type KeyState = Pick<FactValue<typeof cloudtrailTrailSettings>[number], 'kmsKeyState' | 'kmsKeyStateError'>;
type LogGroupState = Pick<FactValue<typeof cloudtrailTrailSettings>[number], 'cloudWatchLogsLogGroupExists' | 'cloudWatchLogsLogGroupError'>;

/** The same trails, read once by aws.cloudtrail.trails, in the shape the detection checks read, with the state of each trail's key and log group. */
export const cloudtrailTrailSettingsCollector = defineCollector(cloudtrailTrailSettings, async (context) => {
  // Trails may share a key: each is described once, in its region (its ARN names it; else the trail's home region).
  const states = new Map<string, Promise<KeyState>>();
  const out = [];
  for (const trail of await context.fact(cloudtrailTrails)) {
    let state: KeyState = { kmsKeyState: null, kmsKeyStateError: null };
    if (trail.kmsKeyId) {
      const region = /^arn:[^:]+:kms:([^:]+):/.exec(trail.kmsKeyId)?.[1] ?? trail.homeRegion;
      const id = `${region} ${trail.kmsKeyId}`;
      if (!states.has(id)) states.set(id, keyState(context, region, trail.kmsKeyId));
      state = await states.get(id)!;
    }
    const group: LogGroupState = trail.cloudWatchLogsLogGroupArn ? await logGroupState(context, trail.cloudWatchLogsLogGroupArn) : { cloudWatchLogsLogGroupExists: null, cloudWatchLogsLogGroupError: null };
    out.push(cloudtrailTrailSettings.schema.element.parse({ ...trail, ...state, ...group }));
  }
  return out;
});

/** Whether the trail's log group still exists: CloudTrail keeps the ARN of a deleted group, and delivers nothing to it. */
async function logGroupState(context: CollectContext, groupArn: string): Promise<LogGroupState> {
  const parsed = /^arn:[^:]+:logs:([^:]+):[^:]*:log-group:([^:]+)/.exec(groupArn);
  if (!parsed) return { cloudWatchLogsLogGroupExists: null, cloudWatchLogsLogGroupError: `${groupArn} is not a log group ARN` };
  const [, region, name] = parsed as unknown as [string, string, string];
  const { paginateDescribeLogGroups } = await import('@aws-sdk/client-cloudwatch-logs');
  try {
    const client = await context.aws.client('cloudwatchLogs', region);
    for await (const page of pages(paginateDescribeLogGroups, { client }, { logGroupNamePrefix: name }, context.signal)) {
      if (requireArray(page.logGroups, 'logGroups', 'logs:DescribeLogGroups').some((g) => g.logGroupName === name)) return { cloudWatchLogsLogGroupExists: true, cloudWatchLogsLogGroupError: null };
    }
    return { cloudWatchLogsLogGroupExists: false, cloudWatchLogsLogGroupError: null };
  } catch (error) {
    // As for the key: only the CloudWatch Logs check is left unverified.
    return { cloudWatchLogsLogGroupExists: null, cloudWatchLogsLogGroupError: awsFactError(error, 'logs:DescribeLogGroups').message };
  }
}

/** DescribeKey's KeyState: CloudTrail writes no log file with a key that is not Enabled. */
async function keyState(context: CollectContext, region: string, keyId: string): Promise<KeyState> {
  const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
  try {
    const client = await context.aws.client('kms', region);
    const state = (await client.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal: context.signal })).KeyMetadata?.KeyState;
    return state ? { kmsKeyState: state, kmsKeyStateError: null } : { kmsKeyState: null, kmsKeyStateError: 'kms:DescribeKey answered without a KeyState' };
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return { kmsKeyState: 'NotFound', kmsKeyStateError: null };
    // Other checks read these trails: a key that cannot be described leaves only the encryption check unverified.
    return { kmsKeyState: null, kmsKeyStateError: awsFactError(error, 'kms:DescribeKey').message };
  }
}

const READ_WRITE = { All: 'All', ReadOnly: 'ReadOnly', WriteOnly: 'WriteOnly' } as const;

/** The fields of an S3 data-event advanced selector that pick what it records by resource and read/write, not by event or caller. */
const S3_SELECTOR_FIELDS = ['eventCategory', 'resources.type', 'resources.ARN', 'readOnly'];

/**
 * S3 object-level selectors, basic or advanced. An advanced selector that excludes ARNs, names single objects
 * (`resources.ARN` Equals) or is narrowed by any other field (eventName, userIdentity.arn, ...) is not counted (fail closed).
 */
function s3DataEvents(answer: GetEventSelectorsCommandOutput): Trail['s3DataEvents'] {
  const out: Trail['s3DataEvents'] = [];
  for (const selector of answer.EventSelectors ?? []) {
    for (const resource of selector.DataResources ?? []) {
      if (resource.Type === 'AWS::S3::Object') out.push({ arnPrefixes: resource.Values ?? [], readWrite: READ_WRITE[(selector.ReadWriteType ?? 'All') as keyof typeof READ_WRITE] ?? 'All' });
    }
  }
  for (const selector of answer.AdvancedEventSelectors ?? []) {
    const fields = selector.FieldSelectors ?? [];
    const field = (name: string) => fields.find((f) => f.Field === name);
    if (!field('eventCategory')?.Equals?.includes('Data') || !field('resources.type')?.Equals?.includes('AWS::S3::Object')) continue;
    if (fields.some((f) => !S3_SELECTOR_FIELDS.includes(f.Field ?? ''))) continue;
    const arn = field('resources.ARN');
    if (arn && (arn.NotStartsWith?.length || arn.NotEquals?.length || arn.EndsWith?.length || arn.NotEndsWith?.length)) continue;
    // Equals on S3 objects matches one object's ARN exactly, never a whole bucket: only StartsWith is a prefix.
    const prefixes = arn ? (arn.StartsWith ?? []) : ['arn:aws:s3'];
    const readOnly = readOnlyOf(fields);
    out.push({ arnPrefixes: prefixes, readWrite: readOnly === 'true' ? 'ReadOnly' : readOnly === 'false' ? 'WriteOnly' : 'All' });
  }
  return out;
}
