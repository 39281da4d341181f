import { describe, expect, it } from 'vitest';
import patientDataExport from '../../../checks/application/app.patient-data-export.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const NOW = '2025-10-11T22:30:00Z';
const exported = (over: Record<string, unknown> = {}) => ({ 'patient-data-export': { date: '2025-08-01', by: 'Eng lead', evidence: 'docs/compliance/export-test.md', expires: null, evidenceSha256: 'ab', evidenceFound: true, ...over } });

describe('app.patient-data-export', () => {
  const cases: CheckCase[] = [
    { name: 'attested with evidence passes', facts: { attestations: exported() }, now: NOW, expected: [['patient-data-export', 'pass', 'attested']] },
    { name: 'not implemented (the seed) fails', facts: { attestations: {} }, now: NOW, expected: [['patient-data-export', 'fail', 'attestation-missing']] },
    { name: 'evidence file missing fails', facts: { attestations: exported({ evidenceFound: false, evidenceSha256: null }) }, now: NOW, expected: [['patient-data-export', 'fail', 'evidence-missing']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(patientDataExport, c)).toEqual(c.expected));
});
