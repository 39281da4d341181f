import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vendorBaas from '../../../checks/compliance/compliance.vendor-baas.js';
import { evaluateCheck } from '../../../src/engine/evaluate.js';
import type { FactOutcome } from '../../../src/model.js';
import { makeConfig, renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../../support/management-api-server.js';
import { collectForChecks, TEST_NOW } from '../../support/supabase-collect.js';

// The config's `vendors:` is what the user remembered to list: the project's own secrets, functions and
// error tracker name vendors too, and one left out of the list must not pass silently.

const NOW = '2025-10-11T22:30:00Z';
const attestation = (date: string) => ({ date, by: 'Jane Doe', evidence: 'docs/x.pdf', expires: null, evidenceSha256: 'ab12', evidenceFound: true });
const ok = <T>(value: T) => ({ ok: true as const, value });
const secrets = (...names: string[]) => ok({ names });
const functions = (...names: string[]) => ok({ dir: 'supabase/functions', functions: names.map((name) => ({ name, lastModified: '2025-10-09T17:42:00.000Z', changeSource: 'git', shared: [] })), shallow: false });
const tracker = (provider: string | null) =>
  ok({ found: provider !== null, source: provider ? 'bundle' : null, provider, redactedDsn: null, file: provider ? 'assets/index.js' : null, scannedDir: 'dist', filesScanned: 3, dsnProblem: null });
const noTracker = tracker(null);
const notConfigured = { ok: false as const, failure: { kind: 'NotConfigured' as const, message: 'no `supabase` section in the config' } };
const denied = { ok: false as const, failure: { kind: 'AccessDenied' as const, message: 'the token may not read secrets' } };

describe('compliance.vendor-baas: vendors the project uses but the config does not list', () => {
  const cases: CheckCase[] = [
    {
      name: 'vendors: [] with TWILIO_AUTH_TOKEN among the secrets is unverified, not not_applicable',
      facts: { attestations: {}, secrets: secrets('SUPABASE_URL', 'TWILIO_AUTH_TOKEN'), functions: functions(), tracker: noTracker },
      now: NOW,
      expected: [['twilio', 'unverified', 'unlisted-vendor']],
    },
    {
      name: 'a listed vendor is judged as before; the one left out is named',
      facts: { attestations: { 'twilio-baa': attestation('2025-09-01') }, secrets: secrets('TWILIO_AUTH_TOKEN', 'OPENAI_API_KEY'), functions: functions('twilio-webhook'), tracker: noTracker },
      config: { vendors: ['twilio'] },
      now: NOW,
      expected: [['twilio', 'pass', 'attested'], ['openai', 'unverified', 'unlisted-vendor']],
    },
    {
      name: 'every signal: secret prefix, function name segment, error tracker (datadog-rum is Datadog)',
      facts: {
        attestations: {},
        secrets: secrets('SUPABASE_SERVICE_ROLE_KEY', 'SENDGRID_API_KEY', 'STRIPE_SECRET_KEY', 'DATABASE_PASSWORD'),
        functions: functions('advancedmd-sync', 'zoom_meeting', 'health'),
        tracker: tracker('datadog-rum'),
      },
      now: NOW,
      expected: [['sendgrid', 'unverified', 'unlisted-vendor'], ['zoom', 'unverified', 'unlisted-vendor'], ['datadog', 'unverified', 'unlisted-vendor'], ['advancedmd', 'unverified', 'unlisted-vendor'], ['stripe', 'unverified', 'unlisted-vendor']],
    },
    {
      name: 'case-insensitive, on word boundaries only: a word inside another word names nothing',
      facts: { attestations: {}, secrets: secrets('Twilio_Sid', 'MY_TWILIOX_KEY', 'STRIPED_TABLES'), functions: functions('notwilio', 'Sentry-Relay'), tracker: noTracker },
      now: NOW,
      expected: [['twilio', 'unverified', 'unlisted-vendor'], ['sentry', 'unverified', 'unlisted-vendor']],
    },
    {
      name: 'a vendor listed in another case counts as listed',
      facts: { attestations: {}, secrets: secrets('TWILIO_AUTH_TOKEN'), functions: functions('twilio-webhook'), tracker: noTracker },
      config: { vendors: ['Twilio'] },
      now: NOW,
      expected: [['Twilio', 'fail', 'attestation-missing']],
    },
    {
      name: 'supabase stays with supabase.baa; its own secrets name no vendor',
      facts: { attestations: {}, secrets: secrets('SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_DB_URL'), functions: functions('health'), tracker: noTracker },
      config: { vendors: ['supabase'], supabase: { projectRef: 'abcdefghijabcdefghij' } },
      now: NOW,
      expected: [['supabase', 'not_applicable', 'assessed-elsewhere']],
    },
    {
      name: 'nothing listed and nothing found is not applicable',
      facts: { attestations: {}, secrets: secrets('SUPABASE_URL'), functions: functions('health'), tracker: noTracker },
      now: NOW,
      expected: [['vendors', 'not_applicable', 'no-vendors']],
    },
    {
      name: 'nothing listed, a fact denied: unverified, saying the vendors could not be inferred',
      facts: { attestations: {}, secrets: denied, functions: notConfigured, tracker: noTracker },
      now: NOW,
      expected: [['vendors', 'unverified', 'no-vendors-uninferred']],
    },
    {
      name: 'nothing listed, a source not configured (no Supabase project): not applicable',
      facts: { attestations: {}, secrets: notConfigured, functions: notConfigured, tracker: noTracker },
      now: NOW,
      expected: [['vendors', 'not_applicable', 'no-vendors-uninferred']],
    },
    {
      name: 'what one fact shows counts when another could not be read',
      facts: { attestations: {}, secrets: denied, functions: functions('twilio-webhook'), tracker: tracker('sentry') },
      config: { vendors: ['supabase'] },
      now: NOW,
      expected: [['supabase', 'fail', 'attestation-missing'], ['twilio', 'unverified', 'unlisted-vendor'], ['sentry', 'unverified', 'unlisted-vendor']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(vendorBaas, c)).toEqual(c.expected));

  // The engine's rendering: it wraps each fact's value in a collected outcome itself.
  const values = (secretNames: string[], functionNames: string[]) => ({ attestations: {}, secrets: secrets(...secretNames).value, functions: functions(...functionNames).value, tracker: noTracker.value });

  it('the message names each signal, and the fix lists the vendor', () => {
    const facts = values(['TWILIO_AUTH_TOKEN', 'TWILIO_ACCOUNT_SID'], ['twilio-webhook']);
    const [message] = renderedMessages(vendorBaas, facts);
    expect(message).toContain('secret TWILIO_AUTH_TOKEN, secret TWILIO_ACCOUNT_SID, Edge Function twilio-webhook');
    expect(message).toContain('`vendors:`');
    expect(renderedCommands(vendorBaas, facts)).toEqual([`DATE=$(date +%F) yq -i '.vendors += ["twilio"]' readiness.config.yaml`]);
  });

  it('the not-applicable message says which evidence was looked at', () => {
    const [message] = renderedMessages(vendorBaas, values(['SUPABASE_URL'], ['health']));
    expect(message).toMatch(/none found in the Edge Function secrets, the Edge Functions, the error tracker/);
  });

  it('and, when a fact could not be read, that the vendors could not be inferred', () => {
    const outcomes = new Map<string, FactOutcome>([
      ['attestations', ok({})],
      ['supabase.secrets', denied],
      ['supabase.functions.local', functions('health')],
      ['evidence.error-tracking', noTracker],
    ]);
    const [result] = evaluateCheck(vendorBaas, outcomes, { config: makeConfig(), now: new Date(NOW) });
    expect([result?.status, result?.code]).toEqual(['unverified', 'no-vendors-uninferred']);
    expect(result?.message).toBe(
      'No vendors listed under `vendors:`, and the vendors the project uses could not be inferred: the Edge Function secrets (the token may not read secrets) could not be read; none found in the Edge Functions, the error tracker. List every vendor that handles PHI so its BAA is checked',
    );
  });
});

describe('compliance.vendor-baas through the real collectors', () => {
  let api: ManagementApiServer;
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'readiness-vendors-'));
    for (const name of ['twilio-webhook', 'health']) {
      await mkdir(join(project, 'supabase/functions', name), { recursive: true });
      await writeFile(join(project, 'supabase/functions', name, 'index.ts'), "Deno.serve(() => new Response('ok'));\n");
    }
    api = await startManagementApi(projectRoutes({ secrets: ['SUPABASE_URL', 'TWILIO_AUTH_TOKEN', 'OPENAI_API_KEY'] }));
  });
  afterAll(async () => {
    await api.stop();
    await rm(project, { recursive: true, force: true });
  });

  const supabase = () => ({ projectRef: PROJECT_REF, accessToken: 't', apiUrl: api.url, functionsDir: 'supabase/functions' });

  it('vendors: [] with Twilio and OpenAI in use names both, with what gave them away', async () => {
    const run = await collectForChecks([vendorBaas], { supabase: supabase(), vendors: [] }, { baseDir: project });
    expect(run.results(vendorBaas)).toEqual([['twilio', 'unverified', 'unlisted-vendor'], ['openai', 'unverified', 'unlisted-vendor']]);
    const [twilio] = evaluateCheck(vendorBaas, run.outcomes, { config: makeConfig({ supabase: supabase(), vendors: [] }), now: TEST_NOW });
    expect(twilio?.evidence).toEqual({ signals: ['secret TWILIO_AUTH_TOKEN', 'Edge Function twilio-webhook'] });
  });

  it('listing them leaves each BAA to be checked', async () => {
    const run = await collectForChecks([vendorBaas], { supabase: supabase(), vendors: ['supabase', 'twilio', 'openai'] }, { baseDir: project });
    expect(run.results(vendorBaas)).toEqual([['supabase', 'not_applicable', 'assessed-elsewhere'], ['twilio', 'fail', 'attestation-missing'], ['openai', 'fail', 'attestation-missing']]);
  });
});
