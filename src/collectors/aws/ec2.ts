import type { EC2Client, RouteTable, SecurityGroup } from '@aws-sdk/client-ec2';
import { awsIdentity } from '../../facts/aws.js';
import { ec2EbsEncryptionByDefault, ec2FlowLogs, ec2SecurityGroups, ec2SubnetRoutes } from '../../facts/aws-network.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws } from './require.js';

type Group = FactValue<typeof ec2SecurityGroups>[number];
type PrefixListRange = NonNullable<Group['ingress'][number]['prefixListRanges']>[number];

export const ec2SecurityGroupsCollector = defineCollector(ec2SecurityGroups, async (context) => {
  requireAws(context);
  const { paginateDescribeSecurityGroups } = await import('@aws-sdk/client-ec2');
  const groups: Group[] = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('ec2', region);
    const found: Group[] = [];
    try {
      for await (const page of pages(paginateDescribeSecurityGroups, { client }, {}, context.signal)) {
        for (const group of requireArray(page.SecurityGroups, 'SecurityGroups', 'ec2:DescribeSecurityGroups')) found.push(toGroup(group, region));
      }
    } catch (error) {
      throw awsFactError(error, 'ec2:DescribeSecurityGroups');
    }
    // A rule admitting a prefix list lets in whatever the list holds: each list is read once, its entries put on the rules.
    const lists = new Map<string, PrefixListRange>();
    for (const id of new Set(found.flatMap((g) => g.ingress.flatMap((r) => r.prefixLists)))) lists.set(id, await readPrefixList(client, id, context.signal));
    for (const rule of found.flatMap((g) => g.ingress)) rule.prefixListRanges = rule.prefixLists.map((id) => lists.get(id)!);
    groups.push(...found);
  }
  return groups;
});

/** The entries of a managed prefix list; `cidrs` null, with the reason, when they could not be read. */
async function readPrefixList(client: EC2Client, id: string, signal: AbortSignal): Promise<PrefixListRange> {
  const { DescribeManagedPrefixListsCommand, paginateGetManagedPrefixListEntries } = await import('@aws-sdk/client-ec2');
  let action = 'ec2:DescribeManagedPrefixLists';
  let name: string | null = null;
  try {
    const answer = await client.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [id] }), { abortSignal: signal });
    const list = requireArray(answer.PrefixLists, 'PrefixLists', action).find((l) => l.PrefixListId === id);
    // AWS answers NotFound for a list the account cannot see; moto answers with no list, or a deleted one.
    if (!list || list.State === 'delete-complete') return { id, name: list?.PrefixListName ?? null, cidrs: null, error: `${action}: prefix list ${id} not found (deleted, or not shared with this account)` };
    name = list.PrefixListName ?? null;
    action = 'ec2:GetManagedPrefixListEntries';
    const cidrs: string[] = [];
    for await (const page of pages(paginateGetManagedPrefixListEntries, { client }, { PrefixListId: id }, signal)) {
      // An entry without its CIDR is kept as '', which the checks cannot read and so count as open.
      cidrs.push(...requireArray(page.Entries, 'Entries', action).map((e) => e.Cidr ?? ''));
    }
    return { id, name, cidrs, error: null };
  } catch (error) {
    // A run that was stopped stops here; any other failure leaves this list unread, and the checks unverified.
    signal.throwIfAborted();
    return { id, name, cidrs: null, error: awsFactError(error, action).message };
  }
}

function toGroup(group: SecurityGroup, region: string): Group {
  return {
    id: group.GroupId ?? '',
    name: group.GroupName ?? '',
    vpcId: group.VpcId ?? null,
    region,
    ingress: requireArray(group.IpPermissions, `IpPermissions of ${group.GroupId}`, 'ec2:DescribeSecurityGroups').map((rule) => ({
      protocol: rule.IpProtocol ?? '-1',
      fromPort: rule.FromPort ?? null,
      toPort: rule.ToPort ?? null,
      ipv4: (rule.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter(Boolean),
      ipv6: (rule.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? '').filter(Boolean),
      prefixLists: (rule.PrefixListIds ?? []).map((p) => p.PrefixListId ?? '').filter(Boolean),
      groups: (rule.UserIdGroupPairs ?? []).map((p) => p.GroupId ?? '').filter(Boolean),
    })),
  };
}

export const ec2SubnetRoutesCollector = defineCollector(ec2SubnetRoutes, async (context) => {
  requireAws(context);
  const { paginateDescribeSubnets, paginateDescribeRouteTables } = await import('@aws-sdk/client-ec2');
  const out: FactValue<typeof ec2SubnetRoutes> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('ec2', region);
    const tables: RouteTable[] = [];
    try {
      for await (const page of pages(paginateDescribeRouteTables, { client }, {}, context.signal)) tables.push(...requireArray(page.RouteTables, 'RouteTables', 'ec2:DescribeRouteTables'));
    } catch (error) {
      throw awsFactError(error, 'ec2:DescribeRouteTables');
    }
    try {
      for await (const page of pages(paginateDescribeSubnets, { client }, {}, context.signal)) {
        for (const subnet of requireArray(page.Subnets, 'Subnets', 'ec2:DescribeSubnets')) {
          const subnetId = subnet.SubnetId ?? '';
          const vpcId = subnet.VpcId ?? '';
          // A subnet without an explicit association uses its VPC's main route table.
          const explicit = tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId));
          const table = explicit ?? tables.find((t) => t.VpcId === vpcId && t.Associations?.some((a) => a.Main === true));
          out.push({
            subnetId,
            vpcId,
            region,
            availabilityZone: subnet.AvailabilityZone ?? null,
            routeTableId: table?.RouteTableId ?? null,
            associationId: explicit?.Associations?.find((a) => a.SubnetId === subnetId)?.RouteTableAssociationId ?? null,
            internetRoutes: (table?.Routes ?? [])
              .filter((r) => r.GatewayId?.startsWith('igw-') && r.State !== 'blackhole')
              .map((r) => `${r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId ?? '?'} → ${r.GatewayId}`),
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'ec2:DescribeSubnets');
    }
  }
  return out;
});

export const ec2FlowLogsCollector = defineCollector(ec2FlowLogs, async (context) => {
  requireAws(context);
  const { paginateDescribeFlowLogs } = await import('@aws-sdk/client-ec2');
  const out: FactValue<typeof ec2FlowLogs> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('ec2', region);
    try {
      for await (const page of pages(paginateDescribeFlowLogs, { client }, {}, context.signal)) {
        for (const log of requireArray(page.FlowLogs, 'FlowLogs', 'ec2:DescribeFlowLogs')) {
          out.push({
            id: log.FlowLogId ?? '',
            resourceId: log.ResourceId ?? '',
            region,
            status: log.FlowLogStatus ?? null,
            trafficType: log.TrafficType ?? null,
            destinationType: log.LogDestinationType ?? null,
            deliverStatus: log.DeliverLogsStatus ?? null,
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'ec2:DescribeFlowLogs');
    }
  }
  return out;
});

export const ec2EbsEncryptionByDefaultCollector = defineCollector(ec2EbsEncryptionByDefault, async (context) => {
  requireAws(context);
  const { GetEbsEncryptionByDefaultCommand } = await import('@aws-sdk/client-ec2');
  const out: FactValue<typeof ec2EbsEncryptionByDefault> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('ec2', region);
    let enabled: boolean;
    try {
      const answer = await client.send(new GetEbsEncryptionByDefaultCommand({}), { abortSignal: context.signal });
      if (typeof answer.EbsEncryptionByDefault !== 'boolean') throw new FactError('MalformedResponse', 'ec2:GetEbsEncryptionByDefault: the answer has no EbsEncryptionByDefault');
      enabled = answer.EbsEncryptionByDefault;
    } catch (error) {
      throw awsFactError(error, 'ec2:GetEbsEncryptionByDefault');
    }
    out.push({ region, enabled, defaultKey: enabled ? await ebsDefaultKey(context, client, region) : null });
  }
  return out;
});

type DefaultKey = NonNullable<FactValue<typeof ec2EbsEncryptionByDefault>[number]['defaultKey']>;

/** The AWS managed key, as GetEbsDefaultKmsKeyId names it while no customer key was chosen. */
const AWS_MANAGED_EBS_KEY = /^(?:arn:aws[\w-]*:kms:[^:]+:\d{12}:)?alias\/aws\/ebs$/;

/** The region's default EBS key and its state: new volumes cannot be created with a key that is not Enabled. */
async function ebsDefaultKey(context: CollectContext, ec2: EC2Client, region: string): Promise<DefaultKey> {
  const { GetEbsDefaultKmsKeyIdCommand } = await import('@aws-sdk/client-ec2');
  const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
  const unread = { arn: null, manager: null, state: null };
  let id: string;
  try {
    const answer = await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}), { abortSignal: context.signal });
    if (!answer.KmsKeyId) throw new FactError('MalformedResponse', 'ec2:GetEbsDefaultKmsKeyId: the answer has no KmsKeyId');
    id = answer.KmsKeyId;
  } catch (error) {
    // One unreadable key leaves the other regions' verdicts (a region with encryption off fails all the same).
    context.signal.throwIfAborted();
    return { id: null, ...unread, error: awsFactError(error, 'ec2:GetEbsDefaultKmsKeyId').message, otherAccount: null };
  }
  // A key id or alias without an ARN is resolved in the caller's own account.
  const otherAccount = async (arn: string | undefined): Promise<string | null> => {
    const owner = arn?.startsWith('arn:') ? arn.split(':')[4] : undefined;
    if (!owner) return null;
    const { account } = await context.fact(awsIdentity);
    return owner === account ? null : owner;
  };
  // DescribeKey on the predefined alias creates the AWS managed key if no volume used it yet: not for a read-only tool.
  // Nobody can disable or delete that key.
  if (AWS_MANAGED_EBS_KEY.test(id)) return { id, arn: null, manager: 'AWS', state: null, error: null, otherAccount: await otherAccount(id) };
  let described: Omit<DefaultKey, 'id' | 'otherAccount'>;
  try {
    const kms = await context.aws.client('kms', region);
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: id }), { abortSignal: context.signal })).KeyMetadata;
    described = meta?.KeyState
      ? { arn: meta.Arn ?? null, manager: meta.KeyManager ?? null, state: meta.KeyState, error: null }
      : { ...unread, error: 'kms:DescribeKey answered without a KeyState' };
  } catch (error) {
    context.signal.throwIfAborted();
    described = (error as Error).name === 'NotFoundException' ? { ...unread, state: 'NotFound', error: null } : { ...unread, error: awsFactError(error, 'kms:DescribeKey').message };
  }
  return { id, ...described, otherAccount: await otherAccount(described.arn ?? id) };
}
