import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { configRecorders, guardDutyDetectors, logGroups, securityHubHubs } from '../../facts/aws-detection.js';
import type { FactValue } from '../../model.js';
import { defineCollector, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws, requireField, requireList } from './require.js';

export const guardDutyDetectorsCollector = defineCollector(guardDutyDetectors, async (context) => {
  requireAws(context);
  const { paginateListDetectors, GetDetectorCommand } = await import('@aws-sdk/client-guardduty');
  const out: FactValue<typeof guardDutyDetectors> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('guardDuty', region);
    const ids: string[] = [];
    try {
      for await (const page of pages(paginateListDetectors, { client }, {}, context.signal)) ids.push(...requireArray(page.DetectorIds, 'DetectorIds', 'guardduty:ListDetectors'));
    } catch (error) {
      throw awsFactError(error, 'guardduty:ListDetectors');
    }
    const detectors: FactValue<typeof guardDutyDetectors>[number]['detectors'] = [];
    for (const id of ids) {
      try {
        const detector = await client.send(new GetDetectorCommand({ DetectorId: id }), { abortSignal: context.signal });
        const features = (detector.Features ?? []).flatMap((f) => (f.Name ? [{ name: f.Name, status: f.Status ?? null }] : []));
        detectors.push({ id, status: detector.Status ?? null, features });
      } catch (error) {
        throw awsFactError(error, 'guardduty:GetDetector');
      }
    }
    out.push({ region, detectors });
  }
  return out;
});

export const securityHubHubsCollector = defineCollector(securityHubHubs, async (context) => {
  requireAws(context);
  const { DescribeHubCommand } = await import('@aws-sdk/client-securityhub');
  const out: FactValue<typeof securityHubHubs> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('securityHub', region);
    let hubArn: string;
    try {
      const hub = await client.send(new DescribeHubCommand({}), { abortSignal: context.signal });
      // An answer without the hub's ARN (an empty or HTML 200) is malformed, never "enabled".
      hubArn = requireField(hub, 'HubArn', 'securityhub:DescribeHub');
    } catch (error) {
      // The one answer that means "off": Security Hub says the account is not subscribed in this region.
      const e = error as { name?: string; message?: string };
      if (e.name === 'InvalidAccessException' && /not subscribed/i.test(e.message ?? '')) {
        out.push({ region, enabled: false, hubArn: null });
        continue;
      }
      throw awsFactError(error, 'securityhub:DescribeHub');
    }
    out.push({ region, enabled: true, hubArn, standards: await enabledStandards(context, client) });
  }
  return out;
});

type HubStandards = NonNullable<FactValue<typeof securityHubHubs>[number]['standards']>;

/**
 * A hub evaluates controls only of the standards it subscribes to. Their failure is recorded on the region, not
 * thrown: the hub was read, and the check says unverified with the reason.
 */
async function enabledStandards(context: CollectContext, client: SecurityHubClient): Promise<HubStandards> {
  const operation = 'securityhub:GetEnabledStandards';
  try {
    const { paginateGetEnabledStandards } = await import('@aws-sdk/client-securityhub');
    const subscriptions: Extract<HubStandards, { read: true }>['subscriptions'] = [];
    for await (const page of pages(paginateGetEnabledStandards, { client }, {}, context.signal)) {
      for (const s of requireList(page, 'StandardsSubscriptions', operation)) {
        subscriptions.push({
          standardsArn: requireField(s, 'StandardsArn', operation),
          subscriptionArn: requireField(s, 'StandardsSubscriptionArn', operation),
          status: requireField(s, 'StandardsStatus', operation),
          statusReason: s.StandardsStatusReason?.StatusReasonCode ?? null,
        });
      }
    }
    return { read: true, subscriptions };
  } catch (error) {
    return { read: false, reason: awsFactError(error, operation).message };
  }
}

export const configRecordersCollector = defineCollector(configRecorders, async (context) => {
  requireAws(context);
  const { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand, DescribeDeliveryChannelStatusCommand } = await import('@aws-sdk/client-config-service');
  const out: FactValue<typeof configRecorders> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('configService', region);
    let permission = 'config:DescribeConfigurationRecorders';
    try {
      const described = await client.send(new DescribeConfigurationRecordersCommand({}), { abortSignal: context.signal });
      const recorders = requireArray(described.ConfigurationRecorders, 'ConfigurationRecorders', permission);
      permission = 'config:DescribeConfigurationRecorderStatus';
      const statuses = requireArray((await client.send(new DescribeConfigurationRecorderStatusCommand({}), { abortSignal: context.signal })).ConfigurationRecordersStatus, 'ConfigurationRecordersStatus', permission);
      // Recorded on the region, not thrown: what the recorders do is known without it.
      let deliveryChannels: FactValue<typeof configRecorders>[number]['deliveryChannels'];
      try {
        const operation = 'config:DescribeDeliveryChannelStatus';
        const channels = requireArray((await client.send(new DescribeDeliveryChannelStatusCommand({}), { abortSignal: context.signal })).DeliveryChannelsStatus, 'DeliveryChannelsStatus', operation);
        deliveryChannels = {
          read: true,
          channels: channels.map((c) => {
            const history = c.configHistoryDeliveryInfo;
            return { name: requireField(c, 'name', operation), historyLastStatus: history?.lastStatus ?? null, historyLastErrorCode: history?.lastErrorCode ?? null, historyLastErrorMessage: history?.lastErrorMessage ?? null };
          }),
        };
      } catch (error) {
        deliveryChannels = { read: false, reason: awsFactError(error, 'config:DescribeDeliveryChannelStatus').message };
      }
      out.push({
        region,
        deliveryChannels,
        recorders: recorders.map((r) => {
          const status = statuses.find((s) => s.name === r.name);
          return { name: r.name ?? '', recording: status?.recording === true, allSupported: r.recordingGroup?.allSupported === true, lastStatus: status?.lastStatus ?? null, roleArn: r.roleARN ?? null, includesGlobalTypes: r.recordingGroup?.includeGlobalResourceTypes === true };
        }),
      });
    } catch (error) {
      throw awsFactError(error, permission);
    }
  }
  return out;
});

export const logGroupsCollector = defineCollector(logGroups, async (context) => {
  requireAws(context);
  const { paginateDescribeLogGroups } = await import('@aws-sdk/client-cloudwatch-logs');
  const out: FactValue<typeof logGroups> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('cloudwatchLogs', region);
    try {
      for await (const page of pages(paginateDescribeLogGroups, { client }, {}, context.signal)) {
        for (const group of requireArray(page.logGroups, 'logGroups', 'logs:DescribeLogGroups')) {
          out.push({ name: group.logGroupName ?? '', arn: group.arn ?? '', region, retentionDays: group.retentionInDays ?? null, kmsKeyId: group.kmsKeyId ?? null });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'logs:DescribeLogGroups');
    }
  }
  return out;
});
