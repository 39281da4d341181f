import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances } from '../../src/facts/aws.js';
import { ec2SecurityGroups, ec2SubnetRoutes, rdsClusterSettings, rdsInstanceNetwork } from '../../src/facts/aws-network.js';
import { assessedDatabases, placementsOf, regionalEntry } from '../lib/rds-databases.js';
import { describeOpening, describeUnreadPrefixList, revokeArgument, unreadPrefixLists, worldOpenings } from '../lib/security-groups.js';
import { shellQuote } from '../lib/shell.js';

type SubnetRoute = FactValue<typeof ec2SubnetRoutes>[number];

const subnetIdOf = (subnet: SubnetRoute): string => subnet.subnetId;

/**
 * Gives each routed subnet a route table of the user's choice without an internet gateway route: its explicit
 * association is replaced, or (a subnet on the VPC's main table) a new one made. RDS will not move an instance to
 * another DB subnet group of the same VPC, so re-routing the subnets is the in-place fix.
 */
function reroute(subnets: readonly SubnetRoute[], region: string): string[] {
  return subnets.map((s) =>
    s.associationId
      ? `aws ec2 replace-route-table-association --association-id ${shellQuote(s.associationId)} --route-table-id <private-route-table-id> --region ${region}`
      : `aws ec2 associate-route-table --subnet-id ${shellQuote(s.subnetId)} --route-table-id <private-route-table-id> --region ${region}`,
  );
}

export default defineCheck({
  meta: {
    id: 'aws.vpc.database-isolation',
    title: 'Databases sit in isolated subnets, closed to the internet',
    failureTitle: 'A database can be reached from the internet',
    description:
      'A database whose subnets route to an internet gateway, or whose security groups admit its port from 0.0.0.0/0, ::/0 or public space wider than a /16 of IPv4 or a /32 of IPv6, is one setting away from exposing PHI (publicly accessible, a leaked password). The seed counts private and isolated subnets as part of its HIPAA network isolation.',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 1,
    remediation: {
      text: 'Remove the inbound rule that opens the database port to the world (allow only the application security group), and give the database\'s subnets a route table without an internet gateway route (choose <private-route-table-id>; everything else in those subnets loses that route too: when they also hold public resources, restore the database into a DB subnet group of dedicated private subnets instead)',
      command: '{{fix}}',
      effortMinutes: 30,
    },
    messages: {
      isolated: '{{resource}}: subnets {{subnets}} have no internet gateway route and no security group opens port {{port}} to the world',
      'internet-route': '{{resource}} sits in subnet(s) routed to an internet gateway: {{routes}}',
      'open-to-world': '{{resource}}: security group {{group}} allows {{opening}}',
      'subnet-not-read': '{{resource}}: the routes of subnet(s) {{subnets}} were not read',
      'group-not-read': '{{resource}}: security group(s) {{groups}} were not read',
      'prefix-list-not-read': '{{resource}}: the entries of prefix list(s) admitted on port {{port}} were not read: {{lists}}',
      'member-not-read': '{{resource}}: the placement of instance(s) {{instances}} was not read',
      'no-subnets': '{{resource}} has no DB subnet group (no VPC placement to assess)',
      'no-port': '{{resource}}: its port was not reported',
      'no-members': '{{resource}} has no instances',
      missing: 'Configured database {{resource}} was not found',
      'no-databases': 'No DB cluster or instance found in the selected regions',
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances, network: rdsInstanceNetwork, clusterSettings: rdsClusterSettings, subnets: ec2SubnetRoutes, groups: ec2SecurityGroups },
  evaluate({ clusters, instances, network, clusterSettings, subnets, groups }) {
    const databases = assessedDatabases(clusters, instances);
    if (databases.length === 0) return [{ resource: 'rds', status: 'fail', code: 'no-databases' }];
    return databases.map((db): Finding => {
      const region = db.region;
      if (db.missing) return { resource: db.resource, status: 'fail', code: 'missing', args: { region } };
      const { found, unread } = placementsOf(db, network);
      const settings = db.kind === 'cluster' ? regionalEntry(clusterSettings, region, db.resource) : undefined;
      const subnetIds = [...new Set(found.flatMap((p) => p.subnets))];
      const groupIds = [...new Set([...(settings?.securityGroups ?? []), ...found.flatMap((p) => p.securityGroups)])];
      const port = settings?.port ?? found.find((p) => p.port !== null)?.port ?? null;
      const evidence = { subnets: subnetIds, securityGroups: groupIds, port };

      const routes = subnetIds.map((id) => ({ id, entry: regionalEntry(subnets, region, id, subnetIdOf) }));
      const routed = routes.filter((r) => r.entry && (r.entry.routeTableId === null ? false : r.entry.internetRoutes.length > 0));
      const groupEntries = groupIds.map((id) => ({ id, group: regionalEntry(groups, region, id) }));
      const read = groupEntries.flatMap(({ group }) => (group ? [group] : []));
      // The groups are judged together: the database admits what any of them admits, ranges split between groups add up.
      const openings = port === null ? [] : worldOpenings(read, port);
      const open = read.map((group) => ({ group, openings: openings.filter((o) => o.group === group) })).filter((g) => g.openings.length > 0);
      // One revoke per group, every opening of the port in each: the database is isolated only when all are closed.
      const revokes = open.map(({ group, openings }) => `aws ec2 revoke-security-group-ingress --group-id ${shellQuote(group.id)} --ip-permissions ${revokeArgument(openings)} --region ${region}`);
      if (routed.length > 0) {
        const described = routed.map((r) => `${r.id} (${r.entry!.routeTableId}: ${r.entry!.internetRoutes.join(', ')})`).join('; ');
        // Both exposures at once: re-routed but still open to the world would fail again.
        const fix = [...reroute(routed.map((r) => r.entry!), region), ...revokes].join(' && ');
        return { resource: db.resource, status: 'fail', code: 'internet-route', args: { routes: described, region, fix }, evidence };
      }
      const [first, ...others] = open;
      if (first) {
        const together = others.map((g) => `security group ${shellQuote(g.group.id)}: ${describeOpening(g.openings[0]!)}`);
        const opening = [describeOpening(first.openings[0]!), ...together].join(', together with ');
        return {
          resource: db.resource,
          status: 'fail',
          code: 'open-to-world',
          args: { group: shellQuote(first.group.id), opening, fix: revokes.join(' && '), region },
          evidence,
        };
      }
      // Fail closed: what was not read might be the opening.
      if (unread.length > 0) return { resource: db.resource, status: 'unverified', code: 'member-not-read', args: { instances: unread.join(', ') }, evidence };
      if (found.length === 0) return { resource: db.resource, status: 'pass', code: 'no-members', evidence };
      if (subnetIds.length === 0) return { resource: db.resource, status: 'unverified', code: 'no-subnets', evidence };
      const unreadSubnets = routes.filter((r) => !r.entry || r.entry.routeTableId === null).map((r) => r.id);
      if (unreadSubnets.length > 0) return { resource: db.resource, status: 'unverified', code: 'subnet-not-read', args: { subnets: unreadSubnets.join(', ') }, evidence };
      const unreadGroups = groupEntries.filter((g) => !g.group).map((g) => g.id);
      if (unreadGroups.length > 0) return { resource: db.resource, status: 'unverified', code: 'group-not-read', args: { groups: unreadGroups.join(', ') }, evidence };
      if (port === null) return { resource: db.resource, status: 'unverified', code: 'no-port', evidence };
      const unreadLists = [...new Set(unreadPrefixLists(read, port).map(describeUnreadPrefixList))];
      if (unreadLists.length > 0) return { resource: db.resource, status: 'unverified', code: 'prefix-list-not-read', args: { port, lists: unreadLists.join('; ') }, evidence };
      return { resource: db.resource, status: 'pass', code: 'isolated', args: { subnets: subnetIds.join(', '), port }, evidence };
    });
  },
});
