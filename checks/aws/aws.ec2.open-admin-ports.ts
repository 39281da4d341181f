import { defineCheck, type Finding } from '../../src/model.js';
import { ec2SecurityGroups } from '../../src/facts/aws-network.js';
import { describeOpening, describeUnreadPrefixList, revokeArgument, unreadPrefixLists, worldOpenings } from '../lib/security-groups.js';
import { shellQuote } from '../lib/shell.js';

const ADMIN_PORTS = [22, 3389];

export default defineCheck({
  meta: {
    id: 'aws.ec2.open-admin-ports',
    title: 'No security group opens SSH or RDP to the internet',
    failureTitle: 'A security group opens SSH or RDP to the internet',
    description:
      'SSH (22) and RDP (3389) open to 0.0.0.0/0, ::/0 or any public space wider than a /16 of IPv4 or a /32 of IPv6 (counted over all of a group\'s rules, private ranges aside) invite password spraying and exploits against any host in the VPC that holds PHI; administration should go through SSM Session Manager, a VPN or a bastion limited to known addresses.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Remove the world-open SSH/RDP rule; use SSM Session Manager or restrict the source to a known address range',
      command: 'aws ec2 revoke-security-group-ingress --group-id {{group}} --ip-permissions {{permission}} --region {{region}}',
      effortMinutes: 15,
    },
    messages: {
      closed: 'Security group {{name}} does not open SSH or RDP to the world',
      open: 'Security group {{name}} allows {{opening}} (port {{port}})',
      'prefix-list-not-read': 'Security group {{name}} admits SSH or RDP from prefix list(s) whose entries were not read: {{lists}}',
      'no-security-groups': 'No security group in the selected regions',
    },
  },
  facts: { groups: ec2SecurityGroups },
  evaluate({ groups }) {
    if (groups.length === 0) return [{ resource: 'ec2', status: 'not_applicable', code: 'no-security-groups' }];
    return groups.map((group): Finding => {
      const args = { name: group.name, region: group.region, group: shellQuote(group.id) };
      for (const port of ADMIN_PORTS) {
        const opening = worldOpenings([group], port)[0];
        if (opening) {
          // The fix closes every admin port the group opens to the world, not only the one reported.
          const all = ADMIN_PORTS.flatMap((p) => worldOpenings([group], p));
          return {
            resource: group.id,
            status: 'fail',
            code: 'open',
            args: { ...args, port, opening: describeOpening(opening), permission: revokeArgument(all) },
            evidence: { vpcId: group.vpcId, rule: describeOpening(opening) },
          };
        }
      }
      // Fail closed: a prefix list whose entries are not known might hold the internet.
      const unread = ADMIN_PORTS.flatMap((p) => unreadPrefixLists([group], p)).map(describeUnreadPrefixList);
      if (unread.length > 0) {
        return { resource: group.id, status: 'unverified', code: 'prefix-list-not-read', args: { name: group.name, lists: [...new Set(unread)].join('; ') }, evidence: { vpcId: group.vpcId } };
      }
      return { resource: group.id, status: 'pass', code: 'closed', args: { name: group.name }, evidence: { vpcId: group.vpcId, inboundRules: group.ingress.length } };
    });
  },
});
