import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseFunctions } from '../../src/facts/supabase-management.js';
import { localFunctions } from '../../src/facts/supabase-local.js';
import { shellQuote } from '../lib/shell.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.functions.deployed',
    title: 'Every Edge Function is deployed and current',
    failureTitle: 'Edge Functions are not deployed or out of date',
    description: 'Each folder of `supabase.functionsDir` must be deployed and ACTIVE; a function changed locally after its last deployment (its own folder, or a shared folder such as `_shared` that it imports) is stale: production runs other code than the repository. In a shallow clone (CI\'s default checkout) a commit date may be the clone\'s boundary, so a function that only looks newer is unverified until the full history is fetched.',
    section: 'supabase',
    severity: 'critical',
    layer: 'application',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Deploy the function from the repository (in a shallow clone, fetch the full history first: `fetch-depth: 0` on actions/checkout)',
      command: '{{steps}}',
      effortMinutes: 10,
    },
    messages: {
      deployed: 'Function {{resource}} is deployed (version {{version}}) and ACTIVE',
      'not-deployed': 'Function {{resource}} exists in {{dir}} but is not deployed',
      inactive: 'Function {{resource}} is deployed but {{status}}',
      stale: 'Function {{resource}} changed locally ({{localChange}}{{sharedNote}}) after its deployment ({{deployedAt}})',
      'shallow-history': 'Function {{resource}} seems changed ({{localChange}}) after its deployment ({{deployedAt}}), but the git history is shallow: that date may be the clone\'s, not the last change',
      'no-functions': 'No function folder in {{dir}}',
    },
  },
  facts: { local: localFunctions, deployed: supabaseFunctions },
  evaluate({ local, deployed }, { config }) {
    const projectRef = projectRefOf(config);
    const deploy = (name: string) => `npx supabase functions deploy ${shellQuote(name)} --project-ref ${projectRef}`;
    if (local.functions.length === 0) return [{ resource: local.dir, status: 'not_applicable', code: 'no-functions', args: { dir: local.dir, projectRef } }];
    // The first deployed function of each slug, as a search of the list per local function would find it.
    const deployedBySlug = new Map<string, (typeof deployed)[number]>();
    for (const remote of deployed) if (!deployedBySlug.has(remote.slug)) deployedBySlug.set(remote.slug, remote);
    return local.functions.map((fn): Finding => {
      const remote = deployedBySlug.get(fn.name);
      const args = { projectRef, dir: local.dir, steps: deploy(fn.name) };
      const changed = { localChange: fn.lastModified, changeSource: fn.changeSource, shared: fn.shared, shallowHistory: local.shallow };
      if (!remote) return { resource: fn.name, status: 'fail', code: 'not-deployed', args, evidence: { ...changed, deployed: false } };
      const evidence = { status: remote.status, version: remote.version, deployedAt: remote.updatedAt, ...changed };
      if (remote.status !== 'ACTIVE') return { resource: fn.name, status: 'fail', code: 'inactive', args: { ...args, status: remote.status }, evidence };
      if (Date.parse(fn.lastModified) > Date.parse(remote.updatedAt)) {
        const dates = { localChange: fn.lastModified, deployedAt: remote.updatedAt };
        // A shallow clone dates untouched files by its boundary commit: newer than the real change, so only "newer" is in doubt.
        if (local.shallow && fn.changeSource === 'git') {
          return { resource: fn.name, status: 'unverified', code: 'shallow-history', args: { ...args, ...dates, steps: 'git fetch --unshallow  # in GitHub Actions: actions/checkout with fetch-depth: 0' }, evidence };
        }
        return { resource: fn.name, status: 'fail', code: 'stale', args: { ...args, ...dates, sharedNote: fn.shared.length ? `, with ${fn.shared.join(', ')}` : '' }, evidence };
      }
      return { resource: fn.name, status: 'pass', code: 'deployed', args: { ...args, version: remote.version }, evidence };
    });
  },
});
