import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { loadConfig } from '../../src/config/load.js';
import { accountFactId } from '../../src/engine/accounts.js';
import { buildReport } from '../../src/engine/run.js';
import type { FactOutcome } from '../../src/model.js';
import { readSnapshot } from '../../src/snapshot.js';
import { scannedWhile } from '../support/scans.js';

// An organization of n accounts: each check runs once per account, against that account's facts. Before, each of
// those runs scanned every account's recorded facts to pick its own (and each account's score scanned every result):
// n² work, about 34 s of evaluation at 400 accounts.

const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
const { facts: demoFacts } = await readSnapshot(DEMO_SNAPSHOT, known);

/** The demo's AWS facts recorded for each of `size` accounts (as `collect` writes an organization), the rest shared. */
async function organization(size: number) {
  const loaded = await loadConfig(DEMO_CONFIG);
  const ids = Array.from({ length: size }, (_, i) => String(100_000_000_000 + i));
  const { accountId: _one, ...aws } = loaded.config.aws!;
  loaded.config = { ...loaded.config, aws: { ...aws, accounts: ids.map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/readiness` })) } };
  const outcomes = new Map<string, FactOutcome>();
  for (const [id, outcome] of demoFacts) {
    if (!id.startsWith('aws.')) outcomes.set(id, outcome);
    else for (const account of ids) outcomes.set(accountFactId(id, account), outcome);
  }
  return { loaded, outcomes };
}

async function scannedEvaluating(size: number) {
  const { loaded, outcomes } = await organization(size);
  const { value: report, scanned } = scannedWhile(() => buildReport({ loaded, checks: allChecks, outcomes, now: new Date('2025-10-11T22:30:00Z'), source: { kind: 'snapshot', snapshot: 'organization.json' } }));
  return { scanned, report };
}

describe('an organization of many accounts', () => {
  it('is evaluated in work linear in its accounts', async () => {
    const small = await scannedEvaluating(25);
    const large = await scannedEvaluating(100);
    expect(small.report.accounts).toHaveLength(25);
    expect(large.report.accounts).toHaveLength(100);
    // Each account judged on its own facts: the demo's AWS results, once per account.
    const perAccount = large.report.results.filter((r) => r.account === large.report.accounts![0]!.id).length;
    expect(perAccount).toBeGreaterThan(20);
    expect(large.report.accounts!.every((a) => a.summary.fail === large.report.accounts![0]!.summary.fail)).toBe(true);
    expect(large.scanned / small.scanned).toBeLessThan(5);
  }, 60_000);
});
