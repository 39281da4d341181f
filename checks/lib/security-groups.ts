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
/**
 * The most public space (an IPv4 /16, an IPv6 /32) rules may admit before they count as the internet: one /8 of cloud
 * space (3.0.0.0/8) holds addresses anyone can rent, a few regional IPv6 blocks hold nearly every client.
 */
const PUBLIC_LIMIT = { 4: 1n << 16n, 6: 1n << 96n } as const;

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

/** Space no internet client comes from (private, shared, loopback, link-local, benchmarking, multicast, reserved), in order. */
const SPECIAL_USE: Record<4 | 6, Range[]> = {
  4: ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'].map((c) => parseCidr(c)!),
  6: ['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'].map((c) => parseCidr(c)!),
};

/** The public addresses among the ranges (all of one family), as disjoint ranges: their union less special-use space. */
function publicPart(ranges: readonly Range[], family: 4 | 6): Range[] {
  const merged: Range[] = [];
  for (const range of [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
    const last = merged.at(-1);
    if (last && range.first <= last.last + 1n) last.last = range.last > last.last ? range.last : last.last;
    else merged.push({ ...range });
  }
  return merged.flatMap((range) => {
    const parts: Range[] = [];
    let first = range.first;
    for (const special of SPECIAL_USE[family]) {
      if (special.last < first || special.first > range.last) continue;
      if (special.first > first) parts.push({ family, first, last: special.first - 1n });
      first = special.last + 1n;
    }
    if (first <= range.last) parts.push({ family, first, last: range.last });
    return parts;
  });
}

const ALL_PUBLIC = { 4: span(publicPart([parseCidr('0.0.0.0/0')!], 4)), 6: span(publicPart([parseCidr('::/0')!], 6)) } as const;

/** How wide public space is, in CIDR blocks: "a /8", "5 × /12 + 1 × /16", or roughly in its widest blocks past three sizes. */
function describeWidth(space: readonly Range[], family: 4 | 6): string {
  const blocks = new Map<number, number>();
  for (const range of space) {
    for (let first = range.first; first <= range.last; ) {
      let bits = 0;
      while (bits < BITS[family] && first % (1n << BigInt(bits + 1)) === 0n && first + (1n << BigInt(bits + 1)) - 1n <= range.last) bits++;
      const prefix = BITS[family] - bits;
      blocks.set(prefix, (blocks.get(prefix) ?? 0) + 1);
      first += 1n << BigInt(bits);
    }
  }
  const sizes = [...blocks].sort(([a], [b]) => a - b);
  const [[widest, count] = [0, 0]] = sizes;
  const width =
    sizes.length > 3
      ? `about ${(Number(span(space)) / 2 ** (BITS[family] - widest)).toFixed(1)} × /${widest}`
      : sizes.length === 1 && count === 1
        ? `a /${widest}`
        : sizes.map(([prefix, n]) => `${n} × /${prefix}`).join(' + ');
  return `${width} of public IPv${family} space in all`;
}

interface Judgement {
  /** The CIDRs, as written, that let the internet in. */
  open: Set<string>;
  /** How wide the public space the ranges of each family open is, when it is not all of it. */
  width: Map<4 | 6, string>;
}

function judge(cidrs: readonly string[]): Judgement {
  const parsed = [...new Set(cidrs)].map((cidr) => ({ cidr, range: parseCidr(cidr) }));
  const open = new Set(parsed.filter(({ range }) => !range).map(({ cidr }) => cidr));
  const width = new Map<4 | 6, string>();
  for (const family of [4, 6] as const) {
    const own = parsed.flatMap(({ cidr, range }) => (range?.family === family ? [{ cidr, range, size: span(publicPart([range], family)) }] : []));
    const space = publicPart(own.map(({ range }) => range), family);
    if (span(space) <= PUBLIC_LIMIT[family]) continue;
    // The widest ranges, as few as it takes to bring the rest within the limit: an office /32 beside 3.0.0.0/8 stays.
    const widest = [...own].sort((a, b) => (a.size < b.size ? 1 : a.size > b.size ? -1 : 0));
    const within = (taken: number) => span(publicPart(widest.slice(taken).map(({ range }) => range), family)) <= PUBLIC_LIMIT[family];
    let low = 0;
    let high = widest.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (within(middle)) high = middle;
      else low = middle + 1;
    }
    for (const { cidr } of widest.slice(0, low)) open.add(cidr);
    if (span(space) < ALL_PUBLIC[family]) width.set(family, describeWidth(space, family));
  }
  return { open, width };
}

/**
 * The CIDRs, as written, that let the internet in. The internet need not be written 0.0.0.0/0: ranges that together
 * admit more public space than an IPv4 /16 or an IPv6 /32 open it (private and other special-use space does not count:
 * 10.0.0.0/8 and fc00::/7 stay allowed); the widest of them are named, as many as closing it takes. A CIDR that cannot
 * be read counts as open: fail closed.
 */
export function internetRanges(cidrs: readonly string[]): Set<string> {
  return judge(cidrs).open;
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
  /** How wide the public space the groups open on the port is (this CIDR's family); absent when it is all of it. */
  width?: string;
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
 * An entry of an AWS-managed prefix list (only AWS may name a list com.amazonaws.*): the addresses of an AWS service
 * (S3, CloudFront's origin-facing servers) that no one can rent, so no opening unless it is the whole internet.
 */
function isServiceRange({ cidr, prefixList }: WorldOpening): boolean {
  const range = parseCidr(cidr);
  return Boolean(prefixList?.name?.startsWith('com.amazonaws.')) && range !== null && span(publicPart([range], range.family)) < ALL_PUBLIC[range.family];
}

/**
 * The ranges of the groups' inbound rules that let the internet reach `port` (see `internetRanges`), the rules of all
 * the groups taken together (a resource behind several groups is open to what they admit between them), the entries of
 * the prefix lists they admit with them.
 */
export function worldOpenings(groups: readonly Group[], port: number): WorldOpening[] {
  const pairs = groups.flatMap((group) => group.ingress.filter((rule) => coversPort(rule, port)).flatMap((rule) => sourcesOf(group, rule))).filter((pair) => !isServiceRange(pair));
  const { open, width } = judge(pairs.map(({ cidr }) => cidr));
  return pairs
    .filter(({ cidr }) => open.has(cidr))
    .map((opening) => {
      const family = parseCidr(opening.cidr)?.family;
      return family && width.has(family) ? { ...opening, width: width.get(family) } : opening;
    });
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

export function describeOpening({ rule, cidr, prefixList, width }: WorldOpening): string {
  const ports = rule.protocol === '-1' ? 'all traffic' : rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  const list = prefixList ? ` in prefix list ${prefixList.id}${prefixList.name ? ` (${prefixList.name})` : ''}` : '';
  return `${ports} from ${describeRange(cidr)}${list}${width ? ` (${width})` : ''}`;
}
