import type { ec2SecurityGroups } from '../../src/facts/aws-network.js';
import type { FactValue } from '../../src/model.js';
import { shellQuote } from './shell.js';

type Group = FactValue<typeof ec2SecurityGroups>[number];
type Rule = Group['ingress'][number];

const WORLD_V4 = '0.0.0.0/0';
const WORLD_V6 = '::/0';

export interface WorldOpening {
  rule: Rule;
  cidr: string;
}

function coversPort(rule: Rule, port: number): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  if (rule.protocol !== 'tcp' && rule.protocol !== '6') return false;
  // A TCP rule without ports cannot be built by AWS; treat one as open rather than closed.
  if (rule.fromPort === null || rule.toPort === null) return true;
  return rule.fromPort <= port && port <= rule.toPort;
}

/** Inbound rules of the group that let the whole internet reach `port`. */
export function worldOpenings(group: Group, port: number): WorldOpening[] {
  return group.ingress
    .filter((rule) => coversPort(rule, port))
    .flatMap((rule) => [...rule.ipv4.filter((c) => c === WORLD_V4), ...rule.ipv6.filter((c) => c === WORLD_V6)].map((cidr) => ({ rule, cidr })));
}

/** The `--ip-permissions` argument that revokes exactly these openings (each rule and range once), quoted for the shell. */
export function revokeArgument(openings: readonly WorldOpening[]): string {
  const unique = openings.filter((o, i) => openings.findIndex((p) => p.rule === o.rule && p.cidr === o.cidr) === i);
  const permissions = unique.map(({ rule, cidr }) => {
    const permission: Record<string, unknown> = { IpProtocol: rule.protocol };
    if (rule.fromPort !== null) permission.FromPort = rule.fromPort;
    if (rule.toPort !== null) permission.ToPort = rule.toPort;
    if (cidr === WORLD_V6) permission.Ipv6Ranges = [{ CidrIpv6: cidr }];
    else permission.IpRanges = [{ CidrIp: cidr }];
    return permission;
  });
  return shellQuote(JSON.stringify(permissions));
}

export function describeOpening({ rule, cidr }: WorldOpening): string {
  const ports = rule.protocol === '-1' ? 'all traffic' : rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  return `${ports} from ${cidr}`;
}
