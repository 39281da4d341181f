import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStatus, groupByCheck, score } from '../../src/engine/scoring.js';
import { SEVERITIES, SEVERITY_WEIGHT, type Result, type Status } from '../../src/model.js';

// score() is one pass over the results (it runs for the report, each section, each account): it must give what
// grouping the results by check and taking each check's worst status gives.
function byGroups(results: readonly Result[]): number | null {
  let passed = 0;
  let evaluated = 0;
  for (const group of groupByCheck(results.filter((r) => r.scored)).values()) {
    const status = checkStatus(group);
    if (status !== 'pass' && status !== 'fail' && status !== 'unverified') continue;
    const weight = SEVERITY_WEIGHT[group[0]!.severity];
    evaluated += weight;
    if (status === 'pass') passed += weight;
  }
  return evaluated === 0 ? null : Math.round((passed / evaluated) * 1000) / 10;
}

const STATUSES: Status[] = ['pass', 'fail', 'unverified', 'not_applicable', 'waived'];
const result = fc.record({
  checkId: fc.constantFrom('a.one', 'a.two', 'b.three', 'b.four', 'c.five'),
  status: fc.constantFrom(...STATUSES),
  severity: fc.constantFrom(...SEVERITIES),
  scored: fc.constantFrom(true, true, true, false),
}) as unknown as fc.Arbitrary<Result>;

describe('score', () => {
  it('is the weighted share of checks whose worst result passed', () => {
    const r = (checkId: string, status: Status, severity: Result['severity'] = 'high') => ({ checkId, status, severity, scored: true }) as Result;
    expect(score([r('a', 'pass'), r('a', 'fail'), r('b', 'pass', 'low')])).toBe(12.5);
    expect(score([r('a', 'not_applicable'), r('b', 'waived')])).toBeNull();
    expect(score([r('a', 'waived'), r('a', 'pass')])).toBe(100);
  });

  it('gives what grouping by check gives, for any results', () => {
    fc.assert(fc.property(fc.array(result, { maxLength: 40 }), (results) => score(results) === byGroups(results)), { numRuns: 3000 });
  });
});
