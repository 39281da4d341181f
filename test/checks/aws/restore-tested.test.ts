import { describe, expect, it } from 'vitest';
import restoreTested from '../../../checks/aws/aws.rds.restore-tested.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const NOW = '2025-10-11T22:30:00Z';
const restore = (date: string, over: Record<string, unknown> = {}) => ({ 'restore-test': { date, by: 'Ops', evidence: 'docs/ops/restore.md', expires: null, evidenceSha256: 'ab', evidenceFound: true, ...over } });

describe('aws.rds.restore-tested', () => {
  const cases: CheckCase[] = [
    { name: 'restored 30 days ago passes', facts: { attestations: restore('2025-09-11') }, now: NOW, expected: [['restore-test', 'pass', 'attested']] },
    { name: 'restored 91 days ago fails', facts: { attestations: restore('2025-07-12') }, now: NOW, expected: [['restore-test', 'fail', 'attestation-stale']] },
    { name: 'never restored fails', facts: { attestations: {} }, now: NOW, expected: [['restore-test', 'fail', 'attestation-missing']] },
    { name: 'the restore report is gone', facts: { attestations: restore('2025-10-01', { evidenceFound: false, evidenceSha256: null }) }, now: NOW, expected: [['restore-test', 'fail', 'evidence-missing']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(restoreTested, c)).toEqual(c.expected));

  it('fills the restore command from the configured cluster', () => {
    const [finding] = restoreTested.evaluate({ attestations: {} } as never, { config: { aws: { region: 'eu-west-1', rds: { clusters: ['db-1'] } } } as never, now: new Date(NOW), options: { maxAgeDays: 90 } });
    expect(finding?.args).toMatchObject({ cluster: 'db-1', region: 'eu-west-1' });
  });
});
