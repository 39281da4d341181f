import type { Report, Result, Status } from './model.js';

export interface ResultChange {
  checkId: string;
  resource: string;
  title: string;
  severity: Result['severity'];
  before: Status | 'absent';
  after: Status | 'absent';
}

export interface ReportDiff {
  score: { before: number; after: number };
  verdict: { before: Report['verdict']; after: Report['verdict'] };
  /** Was passing, waived, n/a or absent; is now failing or unverified. */
  regressions: ResultChange[];
  /** Was failing or unverified; is now passing, waived, n/a or gone. */
  fixed: ResultChange[];
  /** Failing or unverified in both. */
  stillOpen: ResultChange[];
}

const open = (status: Status | 'absent') => status === 'fail' || status === 'unverified';

/** What changed between two reports, matched on check id and resource. */
export function diffReports(before: Report, after: Report): ReportDiff {
  const key = (r: Result) => `${r.checkId}\u0000${r.resource}`;
  const previous = new Map(before.results.map((r) => [key(r), r]));
  const current = new Map(after.results.map((r) => [key(r), r]));
  const changes: ResultChange[] = [];
  for (const k of new Set([...previous.keys(), ...current.keys()])) {
    const a = previous.get(k);
    const b = current.get(k);
    const any = (b ?? a)!;
    changes.push({ checkId: any.checkId, resource: any.resource, title: any.title, severity: any.severity, before: a?.status ?? 'absent', after: b?.status ?? 'absent' });
  }
  return {
    score: { before: before.score, after: after.score },
    verdict: { before: before.verdict, after: after.verdict },
    regressions: changes.filter((c) => !open(c.before) && open(c.after)),
    fixed: changes.filter((c) => open(c.before) && !open(c.after)),
    stillOpen: changes.filter((c) => open(c.before) && open(c.after)),
  };
}

export function formatDiff(diff: ReportDiff): string {
  const delta = Math.round((diff.score.after - diff.score.before) * 10) / 10;
  const lines = [
    `Score ${diff.score.before}% → ${diff.score.after}% (${delta >= 0 ? '+' : ''}${delta})  ${diff.verdict.before} → ${diff.verdict.after}`,
    '',
    `Regressions (${diff.regressions.length})`,
    ...diff.regressions.map((c) => `  ✗ ${c.severity.padEnd(8)} ${c.checkId} ${c.resource}: ${c.before} → ${c.after}`),
    '',
    `Fixed (${diff.fixed.length})`,
    ...diff.fixed.map((c) => `  ✓ ${c.severity.padEnd(8)} ${c.checkId} ${c.resource}: ${c.before} → ${c.after}`),
    '',
    `Still open: ${diff.stillOpen.length}`,
    '',
  ];
  return lines.join('\n');
}
