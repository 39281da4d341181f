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
    description: 'Each folder of `supabase.functionsDir` must be deployed and ACTIVE; a function changed locally after its last deployment (its own folder, or a shared folder such as `_shared` that it imports) is stale: production runs other code than the repository. A change dates from when it reached the checked-out branch (the merge, not the branch commit), so only the production branch (the remote\'s default one) can show a function current: another branch, a detached HEAD or uncommitted changes are unverified. In a shallow clone (CI\'s default checkout) a commit date may be the clone\'s boundary, so a function that only looks newer is unverified until the full history is fetched.',
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
      uncommitted: 'Function {{resource}} has uncommitted changes (or is not in a git repository with history): file times cannot tell whether its deployment ({{deployedAt}}) runs this code',
      'branch-not-collected': 'Function {{resource}} looks unchanged since its deployment ({{deployedAt}}), but the snapshot does not say which branch that history is of',
      'detached-head': 'Function {{resource}} looks unchanged since its deployment ({{deployedAt}}), but the checkout is on no branch: which branch production deploys from is unknown',
      'production-branch-unknown': 'Function {{resource}} looks unchanged on {{branch}} since its deployment ({{deployedAt}}), but the remote\'s default branch is unknown, so {{branch}} may not be what production runs',
      'other-branch': 'Function {{resource}} looks unchanged on {{branch}} since its deployment ({{deployedAt}}), but production deploys from {{productionBranch}}',
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
      // Dates show that nothing reached this branch after the deployment; they mean production only for its branch, committed.
      const notNewer = { ...args, deployedAt: remote.updatedAt };
      const repo = local.git;
      if (fn.changeSource === 'mtime' && repo !== null) return { resource: fn.name, status: 'unverified', code: 'uncommitted', args: { ...notNewer, steps: 'git status  # commit (or discard) the changes, then deploy' }, evidence };
      if (fn.changeSource === 'git') {
        if (repo === undefined || repo === null) return { resource: fn.name, status: 'unverified', code: 'branch-not-collected', args: { ...notNewer, steps: 'npx readiness collect  # take a new snapshot' }, evidence };
        const branchEvidence = { ...evidence, branch: repo.branch, productionBranch: repo.productionBranch };
        if (repo.branch === null) return { resource: fn.name, status: 'unverified', code: 'detached-head', args: { ...notNewer, steps: 'git checkout <production branch>' }, evidence: branchEvidence };
        if (repo.productionBranch === null) return { resource: fn.name, status: 'unverified', code: 'production-branch-unknown', args: { ...notNewer, branch: repo.branch, steps: 'git remote set-head origin --auto' }, evidence: branchEvidence };
        if (repo.branch !== repo.productionBranch) return { resource: fn.name, status: 'unverified', code: 'other-branch', args: { ...notNewer, branch: repo.branch, productionBranch: repo.productionBranch, steps: `git checkout ${shellQuote(repo.productionBranch)}` }, evidence: branchEvidence };
      }
      return { resource: fn.name, status: 'pass', code: 'deployed', args: { ...args, version: remote.version }, evidence };
    });
  },
});
