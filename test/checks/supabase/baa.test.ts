import { describe, expect, it } from 'vitest';
import supabaseBaa from '../../../checks/supabase/supabase.baa.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const NOW = '2025-10-11T22:30:00Z';
const baa = (over: Record<string, unknown> = {}) => ({ 'supabase-baa': { date: '2024-01-15', by: 'Jane Doe', evidence: 'https://docs.acme.example/legal/supabase-baa.pdf', expires: null, pinnedSha256: null, evidenceSha256: PDF_SHA, evidenceFound: true, evidenceStatus: 200, evidenceBytes: 5120, evidenceEmpty: false, evidenceFinalHost: 'docs.acme.example', evidenceContentType: 'application/pdf', ...over } });
const PDF_SHA = 'ab'.repeat(32);
const PAGE_SHA = 'cd'.repeat(32);
const page = { evidence: 'https://acme.example/trust', evidenceFinalHost: 'acme.example', evidenceContentType: 'text/html', evidenceSha256: PAGE_SHA };

const supabase = { supabase: { projectRef: 'abcdefghijabcdefghij' } };

describe('supabase.baa', () => {
  const cases: CheckCase[] = [
    { name: 'no `supabase:` section: not assessed, like the rest of the section', facts: { attestations: {} }, now: NOW, expected: [['project', 'not_applicable', 'not-assessed']] },
    { name: 'a BAA signed long ago still passes (no age limit), URL evidence', facts: { attestations: baa() }, config: supabase, now: NOW, expected: [['supabase-baa', 'pass', 'attested']] },
    { name: 'a web page (a landing page answers 200 as well as the document) is unverified', facts: { attestations: baa(page) }, config: supabase, now: NOW, expected: [['supabase-baa', 'unverified', 'evidence-web-page']] },
    { name: 'a web page pinned as reviewed passes while it is unchanged', facts: { attestations: baa({ ...page, pinnedSha256: PAGE_SHA }) }, config: supabase, now: NOW, expected: [['supabase-baa', 'pass', 'attested']] },
    { name: 'evidence that no longer matches its pinned sha256 fails', facts: { attestations: baa({ pinnedSha256: PAGE_SHA }) }, config: supabase, now: NOW, expected: [['supabase-baa', 'fail', 'evidence-changed']] },
    { name: 'no attestation fails (the API cannot show it)', facts: { attestations: {} }, config: supabase, now: NOW, expected: [['supabase-baa', 'fail', 'attestation-missing']] },
    { name: 'an expired BAA fails', facts: { attestations: baa({ expires: '2025-01-15' }) }, config: supabase, now: NOW, expected: [['supabase-baa', 'fail', 'attestation-expired']] },
    { name: 'a BAA dated in the future fails', facts: { attestations: baa({ date: '2025-12-01' }) }, config: supabase, now: NOW, expected: [['supabase-baa', 'fail', 'attestation-future']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(supabaseBaa, c)).toEqual(c.expected));
});
