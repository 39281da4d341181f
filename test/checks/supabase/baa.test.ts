import { describe, expect, it } from 'vitest';
import supabaseBaa from '../../../checks/supabase/supabase.baa.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const NOW = '2025-10-11T22:30:00Z';
const baa = (over: Record<string, unknown> = {}) => ({ 'supabase-baa': { date: '2024-01-15', by: 'Jane Doe', evidence: 'https://supabase.com/dashboard/org/acme/documents', expires: null, evidenceSha256: 'ab12', evidenceFound: true, evidenceStatus: 200, evidenceBytes: 5120, evidenceEmpty: false, evidenceFinalHost: 'supabase.com', evidenceContentType: 'text/html', ...over } });

const supabase = { supabase: { projectRef: 'abcdefghijabcdefghij' } };

describe('supabase.baa', () => {
  const cases: CheckCase[] = [
    { name: 'no `supabase:` section: not assessed, like the rest of the section', facts: { attestations: {} }, now: NOW, expected: [['project', 'not_applicable', 'not-assessed']] },
    { name: 'a BAA signed long ago still passes (no age limit), URL evidence', facts: { attestations: baa() }, config: supabase, now: NOW, expected: [['supabase-baa', 'pass', 'attested']] },
    { name: 'no attestation fails (the API cannot show it)', facts: { attestations: {} }, config: supabase, now: NOW, expected: [['supabase-baa', 'fail', 'attestation-missing']] },
    { name: 'an expired BAA fails', facts: { attestations: baa({ expires: '2025-01-15' }) }, config: supabase, now: NOW, expected: [['supabase-baa', 'fail', 'attestation-expired']] },
    { name: 'a BAA dated in the future fails', facts: { attestations: baa({ date: '2025-12-01' }) }, config: supabase, now: NOW, expected: [['supabase-baa', 'fail', 'attestation-future']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(supabaseBaa, c)).toEqual(c.expected));
});
