import { defineCheck } from '../../src/model.js';
import { supabaseNetworkRestrictions } from '../../src/facts/supabase-management.js';
import { describeRange, internetRanges } from '../lib/security-groups.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.network-restrictions',
    title: 'Database network access is restricted',
    failureTitle: 'Database is reachable from any address',
    description: 'Network restrictions limit which addresses may connect to Postgres directly; 0.0.0.0/0 (the default), or any range wider than a /16 of public IPv4 or a /32 of IPv6, lets the internet at large try passwords.',
    section: 'supabase',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Allow only the addresses that need a direct connection (office, CI, the Aurora bridge); the app uses the API, not a direct connection',
      command: 'npx supabase network-restrictions update --db-allow-cidr <office-ip>/32 --project-ref {{projectRef}} --experimental',
      effortMinutes: 15,
    },
    messages: {
      restricted: 'Direct database access is limited to {{cidrs}}',
      open: 'Direct database access is allowed from the internet at large ({{open}})',
      'not-applied': 'Network restrictions are stored but not applied (status {{status}})',
      'not-entitled': 'The plan of this project does not allow network restrictions',
    },
  },
  facts: { restrictions: supabaseNetworkRestrictions },
  evaluate({ restrictions }, { config }) {
    const resource = config.supabase?.projectRef ?? 'database';
    const cidrs = [...restrictions.dbAllowedCidrs, ...restrictions.dbAllowedCidrsV6];
    const internet = internetRanges(cidrs);
    const open = cidrs.filter((cidr) => internet.has(cidr));
    const args = { cidrs: cidrs.join(', ') || 'no address', open: open.map(describeRange).join(', '), status: restrictions.status, projectRef: projectRefOf(config) };
    const evidence = { entitlement: restrictions.entitlement, status: restrictions.status, dbAllowedCidrs: restrictions.dbAllowedCidrs, dbAllowedCidrsV6: restrictions.dbAllowedCidrsV6 };
    if (restrictions.entitlement !== 'allowed') return [{ resource, status: 'fail', code: 'not-entitled', args, evidence }];
    if (open.length > 0) return [{ resource, status: 'fail', code: 'open', args, evidence }];
    if (restrictions.status !== 'applied') return [{ resource, status: 'fail', code: 'not-applied', args, evidence }];
    return [{ resource, status: 'pass', code: 'restricted', args, evidence }];
  },
});
