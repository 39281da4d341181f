import { collectors } from '../../src/collectors/index.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { buildReport, type ReportOptions } from '../../src/engine/run.js';
import type { AnyCheck, Report } from '../../src/model.js';
import { readSnapshot } from '../../src/snapshot.js';
import { allChecks } from '../../checks/index.js';

export interface DemoOptions {
  /** Changes to the demo's loaded config (e.g. a waiver) before the report is built. */
  configure?: (loaded: LoadedConfig) => void;
  checks?: readonly AnyCheck[];
  gate?: ReportOptions['gate'];
}

/** The demo environment's report, built in-process as `check --demo` does. */
export async function demoReport(options: DemoOptions = {}): Promise<Report> {
  const loaded = await loadConfig(DEMO_CONFIG);
  options.configure?.(loaded);
  const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
  const { snapshot, facts } = await readSnapshot(DEMO_SNAPSHOT, known);
  return buildReport({
    loaded,
    checks: options.checks ?? allChecks,
    outcomes: facts,
    now: new Date(snapshot.collectedAt),
    source: { kind: 'demo', snapshot: DEMO_SNAPSHOT, collectedAt: snapshot.collectedAt },
    gate: options.gate,
  });
}

/**
 * A READY run that still has open findings: the demo without the checks that block it, a gate at 0 %, and a waiver
 * on a high-severity failure. What the gate let through must show as neither a SARIF error nor a JUnit failure.
 */
export async function readyDemoReport(): Promise<Report> {
  const full = await demoReport();
  const blocking = new Set(full.blockers.map((b) => b.checkId));
  const waived = full.results.find((r) => r.status === 'fail' && r.severity === 'high')!;
  const report = await demoReport({
    checks: allChecks.filter((c) => !blocking.has(c.meta.id)),
    gate: { minScore: 0 },
    configure: (loaded) => {
      loaded.config.waivers.push({ check: waived.checkId, resource: waived.resource, reason: 'moving in Q1', approvedBy: 'cto@example.com', expires: '2026-06-30' });
    },
  });
  if (report.verdict !== 'READY') throw new Error('readyDemoReport: expected a READY report');
  return report;
}
