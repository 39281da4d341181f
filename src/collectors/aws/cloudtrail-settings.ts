import type { GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { cloudtrailTrailSettings } from '../../facts/aws-detection.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireArray, requireAws, requireField } from './require.js';

type Settings = FactValue<typeof cloudtrailTrailSettings>[number];

/** Kept apart from aws.cloudtrail.trails so each fact stays small; the trails are described again (one cheap call per region). */
export const cloudtrailTrailSettingsCollector = defineCollector(cloudtrailTrailSettings, async (context) => {
  requireAws(context);
  const { DescribeTrailsCommand, GetTrailStatusCommand, GetEventSelectorsCommand } = await import('@aws-sdk/client-cloudtrail');
  const trails = new Map<string, Omit<Settings, 'isLogging' | 'latestCloudWatchLogsDeliveryError' | 's3DataEvents'>>();
  for (const region of context.aws.regions) {
    const client = await context.aws.client('cloudtrail', region);
    try {
      const answer = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: context.signal });
      for (const t of requireArray(answer.trailList, 'trailList', 'cloudtrail:DescribeTrails')) {
        const arn = t.TrailARN ?? t.Name ?? '';
        trails.set(arn, {
          name: t.Name ?? '',
          arn,
          homeRegion: t.HomeRegion ?? region,
          multiRegion: t.IsMultiRegionTrail === true,
          kmsKeyId: t.KmsKeyId ?? null,
          cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn ?? null,
        });
      }
    } catch (error) {
      throw awsFactError(error, 'cloudtrail:DescribeTrails');
    }
  }
  const out: Settings[] = [];
  for (const trail of trails.values()) {
    const client = await context.aws.client('cloudtrail', trail.homeRegion);
    let permission = 'cloudtrail:GetTrailStatus';
    try {
      const status = await client.send(new GetTrailStatusCommand({ Name: trail.arn }), { abortSignal: context.signal });
      permission = 'cloudtrail:GetEventSelectors';
      const selectors = await client.send(new GetEventSelectorsCommand({ TrailName: trail.arn }), { abortSignal: context.signal });
      out.push({ ...trail, isLogging: requireField(status, 'IsLogging', 'cloudtrail:GetTrailStatus') === true, latestCloudWatchLogsDeliveryError: status.LatestCloudWatchLogsDeliveryError || null, s3DataEvents: s3DataEvents(selectors) });
    } catch (error) {
      throw awsFactError(error, permission);
    }
  }
  return out;
});

const READ_WRITE = { All: 'All', ReadOnly: 'ReadOnly', WriteOnly: 'WriteOnly' } as const;

/** S3 object-level selectors, basic or advanced. An advanced selector that excludes ARNs is not counted (fail closed). */
function s3DataEvents(answer: GetEventSelectorsCommandOutput): Settings['s3DataEvents'] {
  const out: Settings['s3DataEvents'] = [];
  for (const selector of answer.EventSelectors ?? []) {
    for (const resource of selector.DataResources ?? []) {
      if (resource.Type === 'AWS::S3::Object') out.push({ arnPrefixes: resource.Values ?? [], readWrite: READ_WRITE[(selector.ReadWriteType ?? 'All') as keyof typeof READ_WRITE] ?? 'All' });
    }
  }
  for (const selector of answer.AdvancedEventSelectors ?? []) {
    const field = (name: string) => selector.FieldSelectors?.find((f) => f.Field === name);
    if (!field('eventCategory')?.Equals?.includes('Data') || !field('resources.type')?.Equals?.includes('AWS::S3::Object')) continue;
    const arn = field('resources.ARN');
    if (arn && (arn.NotStartsWith?.length || arn.NotEquals?.length || arn.EndsWith?.length || arn.NotEndsWith?.length)) continue;
    const prefixes = arn ? [...(arn.StartsWith ?? []), ...(arn.Equals ?? [])] : ['arn:aws:s3'];
    const readOnly = field('readOnly')?.Equals?.[0];
    out.push({ arnPrefixes: prefixes, readWrite: readOnly === 'true' ? 'ReadOnly' : readOnly === 'false' ? 'WriteOnly' : 'All' });
  }
  return out;
}
