import { escapeControlCharacters } from './engine/control-characters.js';
import { UsageError } from './errors.js';
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
  /** Checks only one of the runs assessed (left out by a selection, turned off, declared unused, absent): never "fixed". */
  notCompared: { checkId: string; assessedIn: 'before' | 'after' }[];
}

const open = (status: Status | 'absent') => status === 'fail' || status === 'unverified';

/** Results that say the check was not assessed in that run: its absence there proves nothing. */
const NOT_ASSESSED_CODES = new Set(['turned-off', 'declared-unused', 'not-assessed']);

/** The checks a report assessed: those with a result that is more than "left out". */
export function assessedChecks(report: Report): Set<string> {
  return new Set(report.results.filter((r) => !NOT_ASSESSED_CODES.has(r.code)).map((r) => r.checkId));
}

/**
 * What changed between two reports of one project, matched on check id and resource. Only the checks both runs
 * assessed are compared: a check one run left out is "not compared", never fixed nor regressed.
 */
export function diffReports(before: Report, after: Report): ReportDiff {
  if (before.project !== after.project) throw new UsageError(`cannot compare reports of two projects ("${before.project}" and "${after.project}")`);
  const inBefore = assessedChecks(before);
  const inAfter = assessedChecks(after);
  const both = (r: Result) => inBefore.has(r.checkId) && inAfter.has(r.checkId);
  const key = (r: Result) => `${r.checkId}\u0000${r.resource}`;
  const previous = new Map(before.results.filter(both).map((r) => [key(r), r]));
  const current = new Map(after.results.filter(both).map((r) => [key(r), r]));
  const notCompared: ReportDiff['notCompared'] = [
    ...[...inBefore].filter((id) => !inAfter.has(id)).map((checkId) => ({ checkId, assessedIn: 'before' as const })),
    ...[...inAfter].filter((id) => !inBefore.has(id)).map((checkId) => ({ checkId, assessedIn: 'after' as const })),
  ];
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
    notCompared,
  };
}

export function formatDiff(diff: ReportDiff): string {
  const delta = Math.round((diff.score.after - diff.score.before) * 10) / 10;
  const lines = [
    `Score ${diff.score.before}% → ${diff.score.after}% (${delta >= 0 ? '+' : ''}${delta})  ${diff.verdict.before} → ${diff.verdict.after}`,
    '',
    `Regressions (${diff.regressions.length})`,
    ...diff.regressions.map((c) => `  ✗ ${c.severity.padEnd(8)} ${escapeControlCharacters(c.checkId)} ${escapeControlCharacters(c.resource)}: ${c.before} → ${c.after}`),
    '',
    `Fixed (${diff.fixed.length})`,
    ...diff.fixed.map((c) => `  ✓ ${c.severity.padEnd(8)} ${escapeControlCharacters(c.checkId)} ${escapeControlCharacters(c.resource)}: ${c.before} → ${c.after}`),
    '',
    `Still open: ${diff.stillOpen.length}`,
    '',
    ...(diff.notCompared.length
      ? [
          `Not compared (${diff.notCompared.length}, assessed by one run only; the scores cover different checks)`,
          ...diff.notCompared.map((c) => `  · ${escapeControlCharacters(c.checkId)}: assessed only ${c.assessedIn === 'before' ? 'before' : 'after'}`),
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}
