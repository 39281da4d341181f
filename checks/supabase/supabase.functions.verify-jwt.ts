import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseFunctions } from '../../src/facts/supabase-management.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.functions.verify-jwt',
    title: 'Edge Functions verify JWTs',
    failureTitle: 'Edge Functions accept calls without a valid JWT',
    description: 'A function deployed with JWT verification off answers anyone on the internet; only functions listed in `supabase.publicFunctions` (e.g. a health probe) may skip it.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text: 'Set verify_jwt = true for the function in supabase/config.toml (or list it in supabase.publicFunctions if it must be public) and redeploy without --no-verify-jwt',
      command: 'npx supabase functions deploy {{resource}} --project-ref {{projectRef}}',
      effortMinutes: 10,
    },
    messages: {
      verified: 'Function {{resource}} verifies JWTs',
      'public-allowed': 'Function {{resource}} skips JWT verification and is listed as public',
      'not-verified': 'Function {{resource}} skips JWT verification and is not listed in supabase.publicFunctions',
      unknown: 'The API did not say whether function {{resource}} verifies JWTs',
      'no-functions': 'No Edge Function is deployed',
    },
  },
  facts: { functions: supabaseFunctions },
  evaluate({ functions }, { config }) {
    const projectRef = projectRefOf(config);
    const publicFunctions = config.supabase?.publicFunctions ?? [];
    const deployed = functions.filter((fn) => fn.status !== 'REMOVED');
    if (deployed.length === 0) return [{ resource: 'functions', status: 'not_applicable', code: 'no-functions', args: { projectRef } }];
    return deployed.map((fn): Finding => {
      const evidence = { verifyJwt: fn.verifyJwt, version: fn.version, listedPublic: publicFunctions.includes(fn.slug) };
      const args = { projectRef };
      if (fn.verifyJwt === null) return { resource: fn.slug, status: 'unverified', code: 'unknown', args, evidence };
      if (fn.verifyJwt) return { resource: fn.slug, status: 'pass', code: 'verified', args, evidence };
      if (publicFunctions.includes(fn.slug)) return { resource: fn.slug, status: 'pass', code: 'public-allowed', args, evidence };
      return { resource: fn.slug, status: 'fail', code: 'not-verified', args, evidence };
    });
  },
});
