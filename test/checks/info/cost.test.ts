import { describe, expect, it } from 'vitest';
import cost from '../../../checks/info/info.cost.js';
import { makeConfig, runCase, type CheckCase } from '../../support/check-tester.js';

const period = (start: string, total: number) => ({ start, end: '2025-10-01', estimated: false, total, byService: { 'Amazon Relational Database Service': total * 0.6, 'Amazon CloudFront': total * 0.4 } });
const facts = (lastMonth: number | null, monthToDate: number | null) => ({
  cost: { currency: 'USD', lastMonth: lastMonth === null ? null : period('2025-09-01', lastMonth), monthToDate: monthToDate === null ? null : period('2025-10-01', monthToDate) },
});
const budget = { budget: { monthlyUsd: 250 } };

describe('info.cost', () => {
  const cases: CheckCase[] = [
    { name: 'under budget passes', facts: facts(140.75, 51.41), config: budget, expected: [['aws', 'pass', 'under-budget']] },
    { name: 'last month over budget fails', facts: facts(312.5, 20), config: budget, expected: [['aws', 'fail', 'over-budget']] },
    { name: 'month to date already over budget fails', facts: facts(200, 260), config: budget, expected: [['aws', 'fail', 'over-budget']] },
    { name: 'without a budget it is not applicable', facts: facts(140.75, 51.41), expected: [['aws', 'not_applicable', 'no-budget']] },
    { name: 'no cost data is not applicable', facts: facts(null, null), config: budget, expected: [['aws', 'not_applicable', 'no-data']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cost, c)).toEqual(c.expected));

  it('is never scored, and carries per-service amounts as evidence', () => {
    expect(cost.meta.scored).toBe(false);
    const [finding] = cost.evaluate(facts(140, 50) as never, { config: makeConfig(budget), now: new Date('2025-10-11T00:00:00Z') });
    expect(finding?.evidence).toMatchObject({ 'last month total': 140, 'last month: Amazon Relational Database Service': 84, budgetUsd: 250 });
  });
});
