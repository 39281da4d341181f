import type { Band, Result, SectionId, SectionScore, Severity, Status } from '../model.js';
import { SECTIONS, SEVERITIES, SEVERITY_WEIGHT } from '../model.js';

export interface Gate {
  minScore: number;
  failOn: Severity;
}

const WORST_FIRST: Status[] = ['fail', 'unverified', 'pass', 'waived', 'not_applicable'];

/** A check's status over all its resources: one failing bucket fails the check. */
export function checkStatus(results: readonly Result[]): Status {
  return WORST_FIRST.find((status) => results.some((r) => r.status === status)) ?? 'not_applicable';
}

/** Each status's place in WORST_FIRST: a check's status is the lowest place among its results. */
const RANK: Record<Status, number> = Object.fromEntries(WORST_FIRST.map((status, i) => [status, i])) as Record<Status, number>;

/** Σ weight of passed ÷ Σ weight of evaluated (pass, fail, unverified), per check, in percent. */
export function score(results: readonly Result[]): number | null {
  // One pass, no group per check: the report is scored several times (overall, per section, per account, without the unseen).
  const checks = new Map<string, { rank: number; severity: Severity }>();
  for (const result of results) {
    if (!result.scored) continue;
    const rank = RANK[result.status];
    const check = checks.get(result.checkId);
    if (!check) checks.set(result.checkId, { rank, severity: result.severity });
    else if (rank < check.rank) check.rank = rank;
  }
  let passed = 0;
  let evaluated = 0;
  for (const { rank, severity } of checks.values()) {
    const status = WORST_FIRST[rank];
    if (status !== 'pass' && status !== 'fail' && status !== 'unverified') continue;
    const weight = SEVERITY_WEIGHT[severity];
    evaluated += weight;
    if (status === 'pass') passed += weight;
  }
  return evaluated === 0 ? null : Math.round((passed / evaluated) * 1000) / 10;
}

export function isBlocker(result: Result, failOn: Severity): boolean {
  return (result.status === 'fail' || result.status === 'unverified') && result.scored && atLeast(result.severity, failOn);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

export function band(value: number | null, ready: boolean): Band {
  if (ready) return 'green';
  return value !== null && value >= 70 ? 'yellow' : 'red';
}

export function scoreSections(results: readonly Result[], gate: Gate): SectionScore[] {
  const sections: SectionScore[] = [];
  const bySection = groupBySection(results);
  for (const [id, title] of Object.entries(SECTIONS) as [SectionId, string][]) {
    const inSection = bySection.get(id) ?? [];
    // Informational checks (info.cost) are shown on their own, never as a scored section.
    if (!inSection.some((r) => r.scored)) continue;
    const value = score(inSection);
    const ready = value !== null && value >= gate.minScore && !inSection.some((r) => isBlocker(r, gate.failOn));
    const counts = countStatuses(inSection);
    const assessed = inSection.some((r) => r.code !== 'not-assessed');
    sections.push({ id, title, score: value, band: assessed ? band(value, ready) : 'red', assessed, counts });
  }
  return sections;
}

/** Each section's results, in their order: one pass, not one per section. */
function groupBySection(results: readonly Result[]): Map<string, Result[]> {
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    const group = groups.get(result.section);
    if (group) group.push(result);
    else groups.set(result.section, [result]);
  }
  return groups;
}

export function countStatuses(results: readonly Result[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, fail: 0, unverified: 0, not_applicable: 0, waived: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

export function groupByCheck(results: readonly Result[]): Map<string, Result[]> {
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    const group = groups.get(result.checkId) ?? [];
    group.push(result);
    groups.set(result.checkId, group);
  }
  return groups;
}
