import type { AdvancedEventSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { cloudtrailTrails } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';

type Trail = FactValue<typeof cloudtrailTrails>[number];
type ManagementEvents = NonNullable<Trail['managementEvents']>;

/** Classic selectors: `IncludeManagementEvents` and `ReadWriteType` default to true and All. */
function classicManagementEvents(selectors: EventSelector[]): ManagementEvents {
  const recording = selectors.filter((s) => s.IncludeManagementEvents !== false);
  return {
    read: recording.some((s) => (s.ReadWriteType ?? 'All') !== 'WriteOnly'),
    write: recording.some((s) => (s.ReadWriteType ?? 'All') !== 'ReadOnly'),
  };
}

/** Advanced selectors: a selector on `eventCategory = Management`, narrowed (or not) by `readOnly`. */
function advancedManagementEvents(selectors: AdvancedEventSelector[]): ManagementEvents {
  const out = { read: false, write: false };
  for (const selector of selectors) {
    const fields = selector.FieldSelectors ?? [];
    const category = fields.find((f) => f.Field === 'eventCategory');
    if (!category?.Equals?.includes('Management')) continue;
    const readOnly = fields.find((f) => f.Field === 'readOnly');
    const only = readOnly?.Equals?.[0] ?? (readOnly?.NotEquals?.[0] === 'true' ? 'false' : readOnly?.NotEquals?.[0] === 'false' ? 'true' : undefined);
    if (only !== 'false') out.read = true;
    if (only !== 'true') out.write = true;
  }
  return out;
}

export const cloudtrailTrailsCollector = defineCollector(cloudtrailTrails, async (context) => {
  requireAws(context);
  const { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } = await import('@aws-sdk/client-cloudtrail');
  const trails = new Map<string, Omit<Trail, 'isLogging' | 'latestDeliveryError' | 'managementEvents'>>();
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
    out.push({ ...trail, isLogging: requireField(status, 'IsLogging', 'cloudtrail:GetTrailStatus') === true, latestDeliveryError: status.LatestDeliveryError || null, managementEvents });
  }
  return out;
});
