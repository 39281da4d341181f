import { defineCheck, optional, type FactOutcome, type Finding } from '../../src/model.js';
import { attestations } from '../../src/facts/config.js';
import { errorTracking } from '../../src/facts/evidence.js';
import { supabaseSecrets } from '../../src/facts/supabase.js';
import { localFunctions } from '../../src/facts/supabase-local.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';
import { attestationExpression, RECORD_ATTESTATION } from '../lib/record-attestation.js';
import { shellQuote } from '../lib/shell.js';
import { detectVendors, isListed } from '../lib/vendors.js';

/** What was read to find the vendors the project uses, and what could not be (with why). */
interface Sources {
  looked: string[];
  unread: string[];
  /** A source that exists but could not be read (denied, timed out): unlike one not configured, it may name a vendor. */
  failed: boolean;
}

function read<T>(outcome: FactOutcome<T> | undefined, what: string, sources: Sources): T | undefined {
  if (outcome?.ok) {
    sources.looked.push(what);
    return outcome.value;
  }
  sources.unread.push(`${what} (${outcome ? outcome.failure.message : 'not collected'})`);
  if (!outcome || outcome.failure.kind !== 'NotConfigured') sources.failed = true;
  return undefined;
}

export default defineCheck({
  meta: {
    id: 'compliance.vendor-baas',
    title: 'Every PHI vendor has a BAA',
    failureTitle: 'A vendor handling PHI has no BAA',
    description: 'Every vendor listed under `vendors:` (they create, receive, keep or send PHI: Supabase, Twilio, email and video providers, ...) needs a signed Business Associate Agreement, recorded as the `<vendor>-baa` attestation. A well-known PHI vendor that the Edge Function secrets, the Edge Functions or the error tracker show in use, but that `vendors:` leaves out, is unverified until it is listed (or waived, if it never sees PHI).',
    section: 'compliance',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(b)(1)'],
    phase: 1,
    remediation: {
      text: 'Sign a BAA with the vendor (or stop sending it PHI), then record it as the `<vendor>-baa` attestation with its evidence',
      command: RECORD_ATTESTATION,
      effortMinutes: 60,
      effortLabel: '1 h of work, then 1–2 business days waiting for each signature, vendors in parallel',
      waitDays: 2,
    },
    messages: {
      ...ATTESTATION_MESSAGES,
      'assessed-elsewhere': "{{resource}}'s BAA is assessed by {{check}}: not counted twice",
      'no-vendors': 'No vendors listed under `vendors:`, and none found in {{looked}}: list every vendor that handles PHI so its BAA is checked',
      'no-vendors-uninferred': 'No vendors listed under `vendors:`, and the vendors the project uses could not be inferred: {{unread}} could not be read{{lookedNote}}. List every vendor that handles PHI so its BAA is checked',
      'unlisted-vendor': '{{resource}} is not listed under `vendors:`, yet the project uses it ({{signals}}): list it under `vendors:` so its BAA is checked, or waive this result if it never sees PHI',
    },
  },
  facts: { attestations, secrets: optional(supabaseSecrets), functions: optional(localFunctions), tracker: optional(errorTracking) },
  evaluate({ attestations, secrets, functions, tracker }, { config, now }) {
    // The config's silence is no evidence that there is no vendor: the project's own names say which it uses.
    const sources: Sources = { looked: [], unread: [], failed: false };
    const secretNames = read(secrets, 'the Edge Function secrets', sources)?.names;
    const functionNames = read(functions, 'the Edge Functions', sources)?.functions.map((fn) => fn.name);
    const errorTracker = read(tracker, 'the error tracker', sources);
    const detected = detectVendors({ secrets: secretNames, functions: functionNames, errorTracker: errorTracker?.found ? errorTracker.provider : null });
    const unlisted = detected
      .filter((vendor) => !isListed(vendor.id, config.vendors))
      .map((vendor): Finding => ({
        resource: vendor.id,
        status: 'unverified',
        code: 'unlisted-vendor',
        args: { signals: vendor.signals.join(', '), yqExpression: shellQuote(`.vendors += [${JSON.stringify(vendor.id)}]`) },
        evidence: { signals: vendor.signals },
      }));
    if (config.vendors.length === 0) {
      if (unlisted.length) return unlisted;
      const looked = sources.looked.join(', ');
      const args = { key: '<vendor>-baa', yqExpression: attestationExpression('<vendor>-baa', 'docs/compliance/<vendor>-baa.pdf'), looked, unread: sources.unread.join(', '), lookedNote: looked ? `; none found in ${looked}` : '' };
      const evidence = { lookedAt: sources.looked, unread: sources.unread };
      if (sources.failed) return [{ resource: 'vendors', status: 'unverified', code: 'no-vendors-uninferred', args, evidence }];
      return [{ resource: 'vendors', status: 'not_applicable', code: sources.unread.length ? 'no-vendors-uninferred' : 'no-vendors', args, evidence }];
    }
    const listed = config.vendors.map((vendor): Finding => {
      // supabase.baa (critical) already weighs a missing Supabase BAA when the Supabase section is assessed.
      if (vendor === 'supabase' && config.supabase) return { resource: vendor, status: 'not_applicable', code: 'assessed-elsewhere', args: { check: 'supabase.baa', key: 'supabase-baa' } };
      const finding = evaluateAttestation(attestations, `${vendor}-baa`, now);
      return { ...finding, resource: vendor };
    }).map((f) => ({ ...f, args: { ...f.args, yqExpression: attestationExpression(String(f.args?.key), `docs/compliance/${String(f.args?.key)}.pdf`) } }));
    return [...listed, ...unlisted];
  },
});
