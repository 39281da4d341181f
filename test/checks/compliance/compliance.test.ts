import { describe, expect, it } from 'vitest';
import vendorBaas from '../../../checks/compliance/compliance.vendor-baas.js';
import securityPolicies from '../../../checks/compliance/compliance.security-policies.js';
import incidentResponse from '../../../checks/compliance/compliance.incident-response.js';
import breachNotification from '../../../checks/compliance/compliance.breach-notification.js';
import runbook from '../../../checks/compliance/compliance.runbook.js';
import riskAssessment from '../../../checks/compliance/compliance.risk-assessment.js';
import training from '../../../checks/compliance/compliance.training.js';
import type { AnyCheck } from '../../../src/model.js';
import { DOCUMENT_TOPICS } from '../../../checks/lib/document.js';
import { makeConfig, runCase, type CheckCase } from '../../support/check-tester.js';

const NOW = '2025-10-11T22:30:00Z';
const attestation = (date: string, over: Record<string, unknown> = {}) => ({ date, by: 'Jane Doe', evidence: 'docs/x.pdf', expires: null, evidenceSha256: 'ab12', evidenceFound: true, ...over });

describe('compliance.vendor-baas', () => {
  const cases: CheckCase[] = [
    {
      name: 'one finding per vendor: signed, missing, evidence file gone',
      facts: { attestations: { 'supabase-baa': attestation('2025-10-01'), 'twilio-baa': attestation('2025-09-01', { evidenceFound: false, evidenceSha256: null }) } },
      config: { vendors: ['supabase', 'twilio', 'sendgrid'] },
      now: NOW,
      expected: [['supabase', 'pass', 'attested'], ['twilio', 'fail', 'evidence-missing'], ['sendgrid', 'fail', 'attestation-missing']],
    },
    { name: 'an expired BAA fails', facts: { attestations: { 'twilio-baa': attestation('2023-01-01', { expires: '2025-01-01' }) } }, config: { vendors: ['twilio'] }, now: NOW, expected: [['twilio', 'fail', 'attestation-expired']] },
    {
      name: 'supabase, with the Supabase section assessed, is left to supabase.baa: a missing BAA is not penalised twice',
      facts: { attestations: {} },
      config: { vendors: ['supabase', 'twilio'], supabase: { projectRef: 'abcdefghijabcdefghij' } },
      now: NOW,
      expected: [['supabase', 'not_applicable', 'assessed-elsewhere'], ['twilio', 'fail', 'attestation-missing']],
    },
    { name: 'supabase without a Supabase section is assessed here', facts: { attestations: {} }, config: { vendors: ['supabase'] }, now: NOW, expected: [['supabase', 'fail', 'attestation-missing']] },
    {
      name: 'no vendors listed, and none in the secrets, functions or error tracker, is not applicable',
      facts: {
        attestations: {},
        secrets: { ok: true, value: { names: ['SUPABASE_URL'] } },
        functions: { ok: true, value: { dir: 'supabase/functions', functions: [], shallow: false } },
        tracker: { ok: true, value: { found: false, source: null, provider: null, redactedDsn: null, file: null, scannedDir: null, filesScanned: 0, dsnProblem: null } },
      },
      now: NOW,
      expected: [['vendors', 'not_applicable', 'no-vendors']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(vendorBaas, c)).toEqual(c.expected));
});

const attestationChecks: [AnyCheck, string, number | null][] = [
  [riskAssessment, 'risk-assessment', 365],
  [training, 'training', 365],
];

describe.each(attestationChecks)('%o', (check, key, maxAgeDays) => {
  const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000).toISOString().slice(0, 10);
  it(`${check.meta.id}: recent attestation passes`, () => {
    expect(runCase(check, { name: '', facts: { attestations: { [key]: attestation(daysBefore(10)) } }, now: NOW, expected: [] })).toEqual([[key, 'pass', 'attested']]);
  });
  it(`${check.meta.id}: missing attestation fails`, () => {
    expect(runCase(check, { name: '', facts: { attestations: {} }, now: NOW, expected: [] })).toEqual([[key, 'fail', 'attestation-missing']]);
  });
  it(`${check.meta.id}: age limit`, () => {
    const old = runCase(check, { name: '', facts: { attestations: { [key]: attestation(daysBefore((maxAgeDays ?? 3650) + 1)) } }, now: NOW, expected: [] });
    expect(old).toEqual([[key, maxAgeDays === null ? 'pass' : 'fail', maxAgeDays === null ? 'attested' : 'attestation-stale']]);
  });
});

const fullSections = (name: string) => (DOCUMENT_TOPICS[name] ?? []).map((t) => ({ heading: t.heading, words: 40 }));
const doc = (name: string, over: Record<string, unknown> = {}) => ({
  name, path: `docs/${name}.md`, exists: true, reviewed: '2025-06-01', reviewedSource: 'front-matter', reviewer: 'Jane Doe', sha256: 'ab12', sections: fullSections(name), ...over,
});
const documentChecks: [AnyCheck, string][] = [
  [securityPolicies, 'security-policies'],
  [incidentResponse, 'incident-response'],
  [breachNotification, 'breach-notification'],
  [runbook, 'runbook'],
];

describe.each(documentChecks)('%o', (check, name) => {
  const cases: CheckCase[] = [
    { name: 'reviewed 4 months ago passes', facts: { documents: [doc(name)] }, now: NOW, expected: [[`docs/${name}.md`, 'pass', 'document-current']] },
    // A typo fix, a formatter run or a rebase dates the last commit: it is no review.
    { name: 'dated only by the last commit is unverified, not current', facts: { documents: [doc(name, { reviewed: '2025-10-01', reviewedSource: 'git' })] }, now: NOW, expected: [[`docs/${name}.md`, 'unverified', 'review-date-unknown']] },
    { name: 'reviewed 13 months ago fails', facts: { documents: [doc(name, { reviewed: '2024-09-01' })] }, now: NOW, expected: [[`docs/${name}.md`, 'fail', 'review-stale']] },
    { name: 'listed but absent fails', facts: { documents: [doc(name, { exists: false, reviewed: null, reviewedSource: null })] }, now: NOW, expected: [[`docs/${name}.md`, 'fail', 'document-missing']] },
    { name: 'no review date is unverified', facts: { documents: [doc(name, { reviewed: null, reviewedSource: null })] }, now: NOW, expected: [[`docs/${name}.md`, 'unverified', 'review-date-unknown']] },
    { name: 'not listed fails', facts: { documents: [doc('other')] }, now: NOW, expected: [[name, 'fail', 'document-not-listed']] },
    { name: 'a title and nothing else fails', facts: { documents: [doc(name, { sections: [{ heading: name, words: 0 }] })] }, now: NOW, expected: [[`docs/${name}.md`, 'fail', 'sections-missing']] },
    { name: 'one required section missing fails', facts: { documents: [doc(name, { sections: fullSections(name).slice(1) })] }, now: NOW, expected: [[`docs/${name}.md`, 'fail', 'sections-missing']] },
    { name: 'headings with only TODOs under them fail', facts: { documents: [doc(name, { sections: fullSections(name).map((s) => ({ ...s, words: 0 })) })] }, now: NOW, expected: [[`docs/${name}.md`, 'fail', 'sections-empty']] },
    { name: 'no named reviewer fails', facts: { documents: [doc(name, { reviewer: null })] }, now: NOW, expected: [[`docs/${name}.md`, 'fail', 'no-reviewer']] },
    { name: 'content not read (binary, or an older snapshot) is unverified', facts: { documents: [doc(name, { sections: null })] }, now: NOW, expected: [[`docs/${name}.md`, 'unverified', 'content-unread']] },
    // A review dated in the future is never stale: one edit would make the plan current forever.
    { name: 'a review dated after the run fails', facts: { documents: [doc(name, { reviewed: '2099-12-31' })] }, now: NOW, expected: [[`docs/${name}.md`, 'fail', 'review-date-future']] },
    { name: 'a review date that is no calendar date is unverified, not current', facts: { documents: [doc(name, { reviewed: '2024-99-99' })] }, now: NOW, expected: [[`docs/${name}.md`, 'unverified', 'review-date-invalid']] },
    { name: 'February 30th is no calendar date either', facts: { documents: [doc(name, { reviewed: '2025-02-30' })] }, now: NOW, expected: [[`docs/${name}.md`, 'unverified', 'review-date-invalid']] },
  ];
  it.each(cases)(`${check.meta.id}: $name`, (c) => expect(runCase(check, c)).toEqual(c.expected));
  it(`${check.meta.id}: the evidence carries the sha256 and the reviewer`, () => {
    const [finding] = check.evaluate({ documents: [doc(name)] } as never, { config: makeConfig(), now: new Date(NOW), options: {} });
    expect(finding?.evidence).toMatchObject({ sha256: 'ab12', reviewer: 'Jane Doe' });
  });
});

it('incident response plans need roles, contacts, detection, containment and notification', () => {
  expect(DOCUMENT_TOPICS['incident-response']!.map((t) => t.heading)).toEqual(['Roles and responsibilities', 'Contacts and escalation', 'Detection and reporting', 'Containment and recovery', 'Notification']);
  for (const name of documentChecks.map(([, n]) => n)) expect(DOCUMENT_TOPICS[name]?.length, name).toBeGreaterThanOrEqual(5);
});
