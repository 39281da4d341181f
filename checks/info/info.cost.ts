import { defineCheck, type Evidence } from '../../src/model.js';
import { costByService } from '../../src/facts/aws-account.js';

type Period = { start: string; total: number; byService: Record<string, number> } | null;

/** Per-service amounts, largest first, keyed by period so both months fit in one evidence record. */
function periodEvidence(label: string, period: Period): Evidence {
  if (!period) return { [`${label} total`]: null };
  const services = Object.entries(period.byService).filter(([, amount]) => amount !== 0).sort(([, a], [, b]) => b - a);
  return { [`${label} total`]: period.total, ...Object.fromEntries(services.map(([service, amount]) => [`${label}: ${service}`, amount])) };
}

export default defineCheck({
  meta: {
    id: 'info.cost',
    title: 'AWS spend is within budget',
    failureTitle: 'AWS spend is over budget',
    description: 'Monthly AWS cost by service (Cost Explorer) for the last full month and the month to date, against `budget.monthlyUsd`. Informational: it never changes the score.',
    section: 'info',
    severity: 'low',
    layer: 'operational',
    hipaa: [],
    phase: 5,
    scored: false,
    remediation: {
      text: 'Review the largest services in Cost Explorer, or raise the budget if the spend is expected',
      command: 'aws ce get-cost-and-usage --time-period Start={{start}},End={{end}} --granularity MONTHLY --metrics UnblendedCost --group-by Type=DIMENSION,Key=SERVICE',
      effortMinutes: 30,
    },
    messages: {
      'under-budget': 'AWS cost {{amount}} {{currency}} ({{period}}) is within the budget of {{budget}} USD/month',
      'over-budget': 'AWS cost {{amount}} {{currency}} ({{period}}) is OVER the budget of {{budget}} USD/month',
      'no-budget': 'AWS cost {{amount}} {{currency}} ({{period}}); no `budget.monthlyUsd` to compare with',
      'no-data': 'Cost Explorer returned no cost for the last or current month',
    },
  },
  facts: { cost: costByService },
  evaluate({ cost }, { config }) {
    const evidence = { currency: cost.currency, ...periodEvidence('last month', cost.lastMonth), ...periodEvidence('month to date', cost.monthToDate) };
    // The last full month is the fair comparison; a month to date already over budget is over whatever happens next.
    const candidates = [cost.lastMonth && { ...cost.lastMonth, label: `month of ${cost.lastMonth.start.slice(0, 7)}` }, cost.monthToDate && { ...cost.monthToDate, label: `${cost.monthToDate.start.slice(0, 7)} to date` }].filter((p) => p !== null);
    if (candidates.length === 0) return [{ resource: 'aws', status: 'not_applicable', code: 'no-data', args: { start: '<YYYY-MM-01>', end: '<YYYY-MM-DD>' }, evidence }];
    const worst = candidates.reduce((a, b) => (b.total > a.total ? b : a));
    const args = { amount: worst.total.toFixed(2), currency: cost.currency, period: worst.label, start: worst.start, end: worst.end };
    const budget = config.budget?.monthlyUsd;
    if (budget === undefined) return [{ resource: 'aws', status: 'not_applicable', code: 'no-budget', args, evidence }];
    const over = worst.total > budget;
    return [{ resource: 'aws', status: over ? 'fail' : 'pass', code: over ? 'over-budget' : 'under-budget', args: { ...args, budget }, evidence: { ...evidence, budgetUsd: budget } }];
  },
});
