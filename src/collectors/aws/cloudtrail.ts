import { cloudtrailTrails } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireField, requireList } from './require.js';

type Trail = FactValue<typeof cloudtrailTrails>[number];

export const cloudtrailTrailsCollector = defineCollector(cloudtrailTrails, async (context) => {
  requireAws(context);
  const { DescribeTrailsCommand, GetTrailStatusCommand } = await import('@aws-sdk/client-cloudtrail');
  const trails = new Map<string, Omit<Trail, 'isLogging' | 'latestDeliveryError'>>();
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
    try {
      const status = await client.send(new GetTrailStatusCommand({ Name: trail.arn }), { abortSignal: context.signal });
      out.push({ ...trail, isLogging: requireField(status, 'IsLogging', 'cloudtrail:GetTrailStatus') === true, latestDeliveryError: status.LatestDeliveryError || null });
    } catch (error) {
      throw awsFactError(error, 'cloudtrail:GetTrailStatus');
    }
  }
  return out;
});
