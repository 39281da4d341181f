import type { ec2SecurityGroups } from '../../src/facts/aws-network.js';
import type { FactValue } from '../../src/model.js';
import { shellQuote } from './shell.js';

type Group = FactValue<typeof ec2SecurityGroups>[number];
type Rule = Group['ingress'][number];

interface Range {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;
/** As many addresses as a /7 (IPv4) or a /6 (IPv6) holds: more than the widest private block, 10.0.0.0/8 or fc00::/7. */
const INTERNET_SIZE = { 4: 1n << 25n, 6: 1n << 122n } as const;

const MAPPED_V4 = 0xffffn << 32n;

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const isIPv4 = (address: string): boolean => IPV4.test(address);
// The URL parser validates IPv6 addresses as hosts, without loading node:net (and the stream modules under it) into
// every run that evaluates the catalog: about 12 ms of `check --demo`.
const isIPv6 = (address: string): boolean => address.includes(':') && !/[%\[\]/]/.test(address) && URL.canParse(`http://[${address}]/`);

const ipv4Value = (address: string): bigint => address.split('.').reduce((n, octet) => (n << 8n) + BigInt(octet), 0n);

function ipv6Value(address: string): bigint {
  const dotted = /[\d.]+$/.exec(address);
  const text = dotted?.[0].includes('.') ? `${address.slice(0, dotted.index)}${(ipv4Value(dotted[0]) >> 16n).toString(16)}:${(ipv4Value(dotted[0]) & 0xffffn).toString(16)}` : address;
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, group) => (n << 16n) + BigInt(`0x${group}`), 0n);
}

/** The addresses a CIDR names, host bits dropped; null when it is not a CIDR. */
function parseCidr(cidr: string): Range | null {
  const [address = '', bits = '', ...rest] = cidr.trim().split('/');
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : null;
  if (family === null || rest.length > 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > BITS[family]) return null;
  const size = 1n << BigInt(BITS[family] - Number(bits));
  const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
  const first = value - (value % size);
  const last = first + size - 1n;
  // An IPv4-mapped range (within ::ffff:0:0/96) admits IPv4 clients of a dual-stack listener: count the IPv4 range it maps.
  if (family === 6 && first >= MAPPED_V4 && last <= MAPPED_V4 + 0xffffffffn) return { family: 4, first: first - MAPPED_V4, last: last - MAPPED_V4 };
  return { family, first, last };
}

/** How many addresses the ranges hold together, overlaps counted once. */
function span(ranges: readonly Range[]): bigint {
  let total = 0n;
  let end = -1n;
  for (const range of [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
    if (range.last <= end) continue;
    total += range.last - (range.first > end ? range.first : end + 1n) + 1n;
    end = range.last;
  }
  return total;
}

/**
 * The CIDRs, as written, that let the internet in. The internet need not be written 0.0.0.0/0: a range too wide to be
 * private space alone (IPv4 /7 or wider, IPv6 /6 or wider; 10.0.0.0/8 and fc00::/7 stay allowed) opens it, and so do
 * narrower ranges that together hold as many addresses (0.0.0.0/1 + 128.0.0.0/1, every /8). A CIDR that cannot be read
 * counts as open: fail closed.
 */
export function internetRanges(cidrs: readonly string[]): Set<string> {
  const parsed = cidrs.map((cidr) => ({ cidr, range: parseCidr(cidr) }));
  const open = new Set(parsed.filter(({ range }) => !range || span([range]) >= INTERNET_SIZE[range.family]).map(({ cidr }) => cidr));
  for (const family of [4, 6] as const) {
    const narrow = parsed.filter(({ cidr, range }) => range?.family === family && !open.has(cidr));
    if (span(narrow.map(({ range }) => range!)) >= INTERNET_SIZE[family]) for (const { cidr } of narrow) open.add(cidr);
  }
  return open;
}

/** The CIDR as written, marked when it could not be read (and so was counted as open). */
export function describeRange(cidr: string): string {
  return parseCidr(cidr) ? cidr : `${cidr} (an unreadable range, treated as open)`;
}

type PrefixList = NonNullable<Rule['prefixListRanges']>[number];

export interface WorldOpening {
  group: Group;
  rule: Rule;
  cidr: string;
  /** The prefix list the rule admits that holds the CIDR; absent for the rule's own ranges. */
  prefixList?: PrefixList;
}

export interface UnreadPrefixList {
  group: Group;
  id: string;
  reason: string;
}

function coversPort(rule: Rule, port: number): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  if (rule.protocol !== 'tcp' && rule.protocol !== '6') return false;
  // A TCP rule without ports cannot be built by AWS; treat one as open rather than closed.
  if (rule.fromPort === null || rule.toPort === null) return true;
  return rule.fromPort <= port && port <= rule.toPort;
}

/** Every range the rule admits: its own, and the entries of the prefix lists it admits (those that were read). */
function sourcesOf(group: Group, rule: Rule): WorldOpening[] {
  const own = [...rule.ipv4, ...rule.ipv6].map((cidr) => ({ group, rule, cidr }));
  const listed = rule.prefixLists.flatMap((id) => {
    const prefixList = rule.prefixListRanges?.find((l) => l.id === id);
    return (prefixList?.cidrs ?? []).map((cidr) => ({ group, rule, cidr, prefixList }));
  });
  return [...own, ...listed];
}

/**
 * The ranges of the groups' inbound rules that let the internet reach `port` (see `internetRanges`), the rules of all
 * the groups taken together (a resource behind several groups is open to what they admit between them), the entries of
 * the prefix lists they admit with them.
 */
export function worldOpenings(groups: readonly Group[], port: number): WorldOpening[] {
  const pairs = groups.flatMap((group) => group.ingress.filter((rule) => coversPort(rule, port)).flatMap((rule) => sourcesOf(group, rule)));
  const open = internetRanges(pairs.map(({ cidr }) => cidr));
  return pairs.filter(({ cidr }) => open.has(cidr));
}

/** The prefix lists the groups admit on `port` whose entries are not known (each once per group): they might open it. */
export function unreadPrefixLists(groups: readonly Group[], port: number): UnreadPrefixList[] {
  const unread = groups.flatMap((group) =>
    group.ingress
      .filter((rule) => coversPort(rule, port))
      .flatMap((rule) =>
        rule.prefixLists.flatMap((id): UnreadPrefixList[] => {
          if (!rule.prefixListRanges) return [{ group, id, reason: 'collected before prefix list entries were read; collect again' }];
          const list = rule.prefixListRanges.find((l) => l.id === id);
          return list?.cidrs ? [] : [{ group, id, reason: list?.error ?? 'its entries were not collected' }];
        }),
      ),
  );
  return unread.filter((u, i) => unread.findIndex((v) => v.group === u.group && v.id === u.id) === i);
}

export function describeUnreadPrefixList({ group, id, reason }: UnreadPrefixList): string {
  return `${id} in security group ${group.id} (${reason})`;
}

/**
 * The `--ip-permissions` argument that revokes exactly these openings (each rule and range once, a prefix list by its
 * id, once however many of its entries are open), quoted for the shell.
 */
export function revokeArgument(openings: readonly WorldOpening[]): string {
  const source = (o: WorldOpening) => o.prefixList ?? o.cidr;
  const unique = openings.filter((o, i) => openings.findIndex((p) => p.rule === o.rule && source(p) === source(o)) === i);
  const permissions = unique.map(({ rule, cidr, prefixList }) => {
    const permission: Record<string, unknown> = { IpProtocol: rule.protocol };
    if (rule.fromPort !== null) permission.FromPort = rule.fromPort;
    if (rule.toPort !== null) permission.ToPort = rule.toPort;
    if (prefixList) permission.PrefixListIds = [{ PrefixListId: prefixList.id }];
    else if (rule.ipv6.includes(cidr)) permission.Ipv6Ranges = [{ CidrIpv6: cidr }];
    else permission.IpRanges = [{ CidrIp: cidr }];
    return permission;
  });
  return shellQuote(JSON.stringify(permissions));
}

export function describeOpening({ rule, cidr, prefixList }: WorldOpening): string {
  const ports = rule.protocol === '-1' ? 'all traffic' : rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  const list = prefixList ? ` in prefix list ${prefixList.id}${prefixList.name ? ` (${prefixList.name})` : ''}` : '';
  return `${ports} from ${describeRange(cidr)}${list}`;
}
