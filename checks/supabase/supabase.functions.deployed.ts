import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseFunctions } from '../../src/facts/supabase-management.js';
import { localFunctions } from '../../src/facts/supabase-local.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.functions.deployed',
    title: 'Every Edge Function is deployed and current',
    failureTitle: 'Edge Functions are not deployed or out of date',
    description: 'Each folder of `supabase.functionsDir` must be deployed and ACTIVE; a function changed locally after its last deployment is stale: production runs other code than the repository.',
    section: 'supabase',
    severity: 'critical',
    layer: 'application',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Deploy the function from the repository',
      command: 'npx supabase functions deploy {{resource}} --project-ref {{projectRef}}',
      effortMinutes: 10,
    },
    messages: {
      deployed: 'Function {{resource}} is deployed (version {{version}}) and ACTIVE',
      'not-deployed': 'Function {{resource}} exists in {{dir}} but is not deployed',
      inactive: 'Function {{resource}} is deployed but {{status}}',
      stale: 'Function {{resource}} changed locally ({{localChange}}) after its deployment ({{deployedAt}})',
      'no-functions': 'No function folder in {{dir}}',
    },
  },
  facts: { local: localFunctions, deployed: supabaseFunctions },
  evaluate({ local, deployed }, { config }) {
    const projectRef = projectRefOf(config);
    if (local.functions.length === 0) return [{ resource: local.dir, status: 'not_applicable', code: 'no-functions', args: { dir: local.dir, projectRef } }];
    return local.functions.map((fn): Finding => {
      const remote = deployed.find((candidate) => candidate.slug === fn.name);
      const args = { projectRef, dir: local.dir };
      if (!remote) return { resource: fn.name, status: 'fail', code: 'not-deployed', args, evidence: { localChange: fn.lastModified, changeSource: fn.changeSource, deployed: false } };
      const evidence = { status: remote.status, version: remote.version, deployedAt: remote.updatedAt, localChange: fn.lastModified, changeSource: fn.changeSource };
      if (remote.status !== 'ACTIVE') return { resource: fn.name, status: 'fail', code: 'inactive', args: { ...args, status: remote.status }, evidence };
      if (Date.parse(fn.lastModified) > Date.parse(remote.updatedAt)) {
        return { resource: fn.name, status: 'fail', code: 'stale', args: { ...args, localChange: fn.lastModified, deployedAt: remote.updatedAt }, evidence };
      }
      return { resource: fn.name, status: 'pass', code: 'deployed', args: { ...args, version: remote.version }, evidence };
    });
  },
});
