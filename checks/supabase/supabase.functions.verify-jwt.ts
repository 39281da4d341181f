import { defineCheck, optional, type Finding } from '../../src/model.js';
import { localFunctions } from '../../src/facts/supabase-local.js';
import { supabaseFunctions } from '../../src/facts/supabase-management.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.functions.verify-jwt',
    title: 'Edge Functions verify JWTs',
    failureTitle: 'Edge Functions accept calls without a valid JWT',
    description:
      'A function deployed with JWT verification off answers anyone on the internet; only functions listed in `supabase.publicFunctions` (e.g. a health probe) may skip it. With it on, the Edge Runtime only proves the request carries a JWT signed for the project, and the anon key, public in every browser, is one: the function still answers anyone unless its code checks the user (supabase.auth.getUser(token), auth.getClaims(), or the role or sub claim), which is read from the function folders of `supabase.functionsDir`.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text: 'Set verify_jwt = true for the function in supabase/config.toml (or list it in supabase.publicFunctions if it must be public) and redeploy without --no-verify-jwt; in its code, check the user (supabase.auth.getUser(token) or auth.getClaims(), refusing the anon role) before doing anything',
      command: 'npx supabase functions deploy {{resource}} --project-ref {{projectRef}}',
      effortMinutes: 10,
    },
    messages: {
      verified: 'Function {{resource}} verifies the JWT and its code checks the user: {{marker}} in {{file}}',
      'public-allowed': 'Function {{resource}} {{access}} and is listed as public',
      'anon-key-accepted':
        'Function {{resource}} verifies JWTs, but its code never checks the user: the anon key, public in the browser, is a valid JWT, so the function must check the user itself; review it, and waive if it is meant for anyone holding the anon key',
      'caller-check-unknown': 'Function {{resource}} verifies JWTs, but whether its code checks the user is unknown ({{reason}}): the anon key, public in the browser, is a valid JWT',
      'not-verified': 'Function {{resource}} skips JWT verification and is not listed in supabase.publicFunctions',
      unknown: 'The API did not say whether function {{resource}} verifies JWTs',
      'no-functions': 'No Edge Function is deployed',
    },
  },
  facts: { functions: supabaseFunctions, local: optional(localFunctions) },
  evaluate({ functions, local }, { config }) {
    const projectRef = projectRefOf(config);
    const publicFunctions = config.supabase?.publicFunctions ?? [];
    const deployed = functions.filter((fn) => fn.status !== 'REMOVED');
    if (deployed.length === 0) return [{ resource: 'functions', status: 'not_applicable', code: 'no-functions', args: { projectRef } }];
    const folders = local?.ok ? new Map(local.value.functions.map((f) => [f.name, f])) : undefined;
    return deployed.map((fn): Finding => {
      const listedPublic = publicFunctions.includes(fn.slug);
      const evidence = { verifyJwt: fn.verifyJwt, version: fn.version, listedPublic };
      const args = { projectRef };
      if (fn.verifyJwt === null) return { resource: fn.slug, status: 'unverified', code: 'unknown', args, evidence };
      if (!fn.verifyJwt) {
        if (listedPublic) return { resource: fn.slug, status: 'pass', code: 'public-allowed', args: { ...args, access: 'skips JWT verification' }, evidence };
        return { resource: fn.slug, status: 'fail', code: 'not-verified', args, evidence };
      }
      const folder = folders?.get(fn.slug);
      const callerCheck = folder?.callerCheck;
      if (callerCheck) return { resource: fn.slug, status: 'pass', code: 'verified', args: { ...args, ...callerCheck }, evidence: { ...evidence, callerCheck: callerCheck.marker, callerCheckFile: callerCheck.file } };
      if (listedPublic) return { resource: fn.slug, status: 'pass', code: 'public-allowed', args: { ...args, access: 'accepts the public anon key' }, evidence };
      if (callerCheck === null) return { resource: fn.slug, status: 'unverified', code: 'anon-key-accepted', args, evidence: { ...evidence, callerCheck: null } };
      const reason = !local
        ? 'the function folders were not read'
        : !local.ok
          ? `the function folders were not read: ${local.failure.message}`
          : !folder
            ? `no folder ${fn.slug} in ${local.value.dir}`
            : 'the snapshot predates the reading of function code (collect again)';
      return { resource: fn.slug, status: 'unverified', code: 'caller-check-unknown', args: { ...args, reason }, evidence: { ...evidence, reason } };
    });
  },
});
