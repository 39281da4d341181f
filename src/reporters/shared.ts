import type { Band, HipaaLayer, Phase, Report, Result, SectionId, Selection, Status } from '../model.js';
import { isOpen, SECTIONS } from '../model.js';

export const PHASES: Record<Phase, string> = {
  1: 'Security & Compliance',
  2: 'Testing & Verification',
  3: 'Domain & SSL',
  4: 'Monitoring & Alerts',
  5: 'Documentation & Training',
};

export const BAND_ICON: Record<Band, string> = { green: '🟢', yellow: '🟡', red: '🔴' };
export const STATUS_ICON: Record<Status, string> = { pass: '✅', fail: '❌', unverified: '❔', not_applicable: '➖', waived: '⏸️' };

const MINUTES_PER_DAY = 8 * 60;

/** Working time: "5 min", "1.5 h", "2 days" (a day is 8 working hours). */
export function formatEffort(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < MINUTES_PER_DAY) return `${round(minutes / 60)} h`;
  const days = round(minutes / MINUTES_PER_DAY);
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${Math.round(score)}%`;
}

export { isOpen };

export interface PathStep {
  checkId: string;
  title: string;
  resources: string[];
  effortMinutes: number;
  effortLabel?: string | undefined;
  /** Business days of waiting on someone else after the work (a signature): beside the rest of the plan, not after it. */
  waitDays?: number | undefined;
  commands: string[];
  text: string;
  blocker: boolean;
  unverified: boolean;
}

export interface PathPhase {
  phase: Phase;
  title: string;
  steps: PathStep[];
  effortMinutes: number;
}

/** Derived once per report and shared by every reporter of the run (reports are not changed after they are built). */
function perReport<T>(derive: (report: Report) => T): (report: Report) => T {
  const cache = new WeakMap<Report, T>();
  return (report) => {
    if (!cache.has(report)) cache.set(report, derive(report));
    return cache.get(report)!;
  };
}

/** The report's blockers as a set, to ask "is this result a blocker?" in constant time. */
export const blockerSet = perReport((report): ReadonlySet<Result> => new Set(report.blockers));

/** Open findings grouped by check, then by the seed's phases; effort counts once per check. */
export const criticalPath = perReport(pathOf);

function pathOf(report: Report): PathPhase[] {
  const blockers = new Set(report.blockers.map((b) => b.checkId));
  const steps = new Map<string, PathStep & { phase: Phase; severityRank: number; seen: Set<string> }>();
  for (const result of report.results) {
    if (!isOpen(result) || !result.scored) continue;
    let step = steps.get(result.checkId);
    if (!step) {
      step = {
        checkId: result.checkId,
        title: result.title,
        resources: [],
        effortMinutes: result.remediation.effortMinutes,
        effortLabel: result.remediation.effortLabel,
        waitDays: result.remediation.waitDays,
        commands: [],
        text: result.remediation.text,
        blocker: blockers.has(result.checkId),
        unverified: true,
        phase: result.phase,
        severityRank: ['critical', 'high', 'medium', 'low'].indexOf(result.severity),
        seen: new Set(),
      };
      steps.set(result.checkId, step);
    }
    if (result.status === 'fail') {
      step.unverified = false;
      step.title = result.title;
    }
    step.resources.push(result.resource);
    const command = result.remediation.command;
    if (command && !step.seen.has(command)) {
      step.seen.add(command);
      step.commands.push(command);
    }
  }
  const phases = ([1, 2, 3, 4, 5] as Phase[]).map((phase) => {
    const inPhase: PathStep[] = [...steps.values()]
      .filter((s) => s.phase === phase)
      .sort((a, b) => Number(b.blocker) - Number(a.blocker) || a.severityRank - b.severityRank)
      .map(({ phase: _phase, severityRank: _rank, seen: _seen, ...step }) => step);
    return { phase, title: PHASES[phase], steps: inPhase, effortMinutes: inPhase.reduce((sum, s) => sum + s.effortMinutes, 0) };
  });
  return phases.filter((p) => p.steps.length > 0);
}

/** What a plan would say: the working time, and apart from it the longest wait (waits run beside the work and each other). */
export function pathEffort(path: readonly PathPhase[]): { workMinutes: number; longestWait?: { days: number; title: string } } {
  const workMinutes = path.reduce((sum, p) => sum + p.effortMinutes, 0);
  let longestWait: { days: number; title: string } | undefined;
  for (const step of path.flatMap((p) => p.steps)) {
    if (step.waitDays && step.waitDays > (longestWait?.days ?? 0)) longestWait = { days: step.waitDays, title: step.title };
  }
  return longestWait ? { workMinutes, longestWait } : { workMinutes };
}

/** "3.5 days of work; longest wait 2 business days (…), in parallel". */
export function formatPathEffort(path: readonly PathPhase[]): string {
  const { workMinutes, longestWait } = pathEffort(path);
  const work = `${formatEffort(workMinutes)} of work`;
  if (!longestWait) return work;
  return `${work}; longest wait ${longestWait.days} business ${longestWait.days === 1 ? 'day' : 'days'} (${longestWait.title}), in parallel with the work`;
}

/** A phase's effort: its working time, and the longest wait in it when there is one. */
export function formatPhaseEffort(phase: PathPhase): string {
  const wait = Math.max(0, ...phase.steps.map((s) => s.waitDays ?? 0));
  return wait ? `${formatEffort(phase.effortMinutes)} of work + up to ${wait} business ${wait === 1 ? 'day' : 'days'} waiting` : formatEffort(phase.effortMinutes);
}

export const QUESTIONS: Record<string, string> = {
  aws: 'Is everything ready on AWS?',
  supabase: 'Is everything ready in Supabase?',
  application: 'Is the application production ready?',
  domain: 'Is it time to use the real domain name?',
  monitoring: 'Will we know when something fails?',
  compliance: 'Are the HIPAA paperwork and policies in place?',
};

export const LAYERS: Record<HipaaLayer, string> = {
  infrastructure: 'Infrastructure Compliance',
  application: 'Application Compliance',
  operational: 'Operational Compliance',
};

export interface CheckStatus {
  checkId: string;
  title: string;
  status: Status;
  hipaa: readonly string[];
}

/** A check's status over its resources, worst first: one failing resource fails the check. */
export function groupChecks(results: readonly Result[]): CheckStatus[] {
  const order: Status[] = ['fail', 'unverified', 'waived', 'pass'];
  // One pass: per check, the first result of its worst status (not_applicable when none of the four).
  const worst = new Map<string, { first: Result; rank: number; any: Result }>();
  for (const r of results) {
    const found = worst.get(r.checkId);
    const rankOf = statusRank(r.status);
    if (!found) worst.set(r.checkId, { first: r, rank: rankOf, any: r });
    else if (rankOf < found.rank) {
      found.first = r;
      found.rank = rankOf;
    }
  }
  return [...worst.values()].map(({ first, rank: worstRank, any }) => {
    const status = worstRank < order.length ? order[worstRank]! : 'not_applicable';
    const shown = worstRank < order.length ? first : any;
    return { checkId: shown.checkId, title: shown.title, status, hipaa: shown.hipaa };
  });
}

/** The statuses worst first, as the reports list them. */
export const STATUS_ORDER: readonly Status[] = ['fail', 'unverified', 'waived', 'pass', 'not_applicable'];

/** A status's place in STATUS_ORDER (its length for none): a switch, as it runs per result. */
export function statusRank(status: string): number {
  switch (status) {
    case 'fail':
      return 0;
    case 'unverified':
      return 1;
    case 'waived':
      return 2;
    case 'pass':
      return 3;
    case 'not_applicable':
      return 4;
    default:
      return STATUS_ORDER.length;
  }
}

/** The seed's HIPAA view: per layer, the scored checks that apply and the share of them that pass. */
export const hipaaLayers = perReport((report): { layer: HipaaLayer; title: string; percent: number; passed: number; checks: CheckStatus[] }[] => {
  const byLayer = new Map<HipaaLayer, Result[]>();
  for (const r of report.results) {
    if (!r.scored || r.status === 'not_applicable') continue;
    const inLayer = byLayer.get(r.layer);
    if (inLayer) inLayer.push(r);
    else byLayer.set(r.layer, [r]);
  }
  return (Object.entries(LAYERS) as [HipaaLayer, string][]).flatMap(([layer, title]) => {
    const inLayer = byLayer.get(layer) ?? [];
    if (inLayer.length === 0) return [];
    const checks = groupChecks(inLayer);
    const passed = checks.filter((c) => c.status === 'pass').length;
    return [{ layer, title, percent: Math.round((passed / checks.length) * 100), passed, checks }];
  });
});

/** Per 45 CFR citation, the checks that cover it (with their status), in citation order (one collator: localeCompare with options makes one per call). */
export const hipaaCitations = perReport((report): { citation: string; checks: CheckStatus[] }[] => {
  const checks = groupChecks(report.results.filter((r) => r.scored));
  const byCitation = new Map<string, CheckStatus[]>();
  for (const check of checks) for (const citation of check.hipaa) byCitation.set(citation, [...(byCitation.get(citation) ?? []), check]);
  const citationOrder = new Intl.Collator('en', { numeric: true });
  return [...byCitation.entries()].sort(([a], [b]) => citationOrder.compare(a, b)).map(([citation, covering]) => ({ citation, checks: covering }));
});

/** The executive summary's recommendation, in plain text. */
export function recommendationText(report: Report): string {
  if (report.verdict === 'READY') return 'Ready for production: keep this report green in CI.';
  const critical = report.blockers.length;
  const { cause, fix } = report.exitReason;
  // Not ready with nothing blocking: the gate could not be judged (stale evidence, the tool could not see).
  if (critical === 0 && cause) return `Do not go to production yet. ${cause.charAt(0).toUpperCase()}${cause.slice(1)}${fix ? `: ${fix}` : ''}.`;
  return `Do not go to production yet. ${critical} blocking finding${critical === 1 ? '' : 's'}. Critical path: ${formatPathEffort(criticalPath(report))}.`;
}

export const resultsBySection = perReport((report): ReadonlyMap<SectionId, Result[]> => {
  const bySection = new Map<SectionId, Result[]>();
  for (const r of report.results) {
    const inSection = bySection.get(r.section);
    if (inSection) inSection.push(r);
    else bySection.set(r.section, [r]);
  }
  return bySection;
});

export function sectionTitle(id: SectionId): string {
  return SECTIONS[id];
}

/** The one-line answer per section, as in the seed's "Is everything ready on AWS?". */
export function sectionAnswer(report: Report, section: SectionId, icons: Record<Band, string> = BAND_ICON): string {
  const s = report.sections.find((x) => x.id === section);
  if (!s) return 'not assessed';
  if (!s.assessed) return `${icons.red} NOT ASSESSED — no \`${section}\` section in the config`;
  const { blockers, open, names } = sectionFindings(report, section);
  if (s.band === 'green' && open === 0) return `${icons.green} YES — ${formatScore(s.score)}, every check passed`;
  const verdict = s.band === 'green' ? 'YES' : 'NO';
  const list = names.slice(0, 3).join('; ') + (names.length > 3 ? `; and ${names.length - 3} more` : '');
  return `${icons[s.band]} ${verdict} — ${formatScore(s.score)}; ${blockers ? `blocked by: ${list}` : `open: ${list}`}`;
}

/** A section's blockers and open findings, counted, and the titles that name them (asked by several formats). */
const findingsBySection = perReport(() => new Map<SectionId, { blockers: number; open: number; names: string[] }>());
function sectionFindings(report: Report, section: SectionId): { blockers: number; open: number; names: string[] } {
  const cache = findingsBySection(report);
  let found = cache.get(section);
  if (!found) {
    const blockers = report.blockers.filter((b) => b.section === section);
    const open = (resultsBySection(report).get(section) ?? []).filter((r) => isOpen(r) && r.scored);
    found = { blockers: blockers.length, open: open.length, names: [...new Set((blockers.length ? blockers : open).map((r) => r.title))] };
    cache.set(section, found);
  }
  return found;
}

/** "READY", "NOT READY", and beside it "(partial assessment)" when checks were left out: every format says it the same. */
export function verdictLabel(report: Report): string {
  return `${report.verdict === 'READY' ? 'READY' : 'NOT READY'}${report.scope.partial ? ' (partial assessment)' : ''}`;
}

/**
 * What the gate made of a result: a blocker; an open finding that failed the gate through the score (the score is
 * under gate.minScore, and every open result lowered it); or one the gate let through. Reporters map levels from
 * this, so a READY run shows no error and no failure.
 */
export type GateRole = 'blocker' | 'score' | 'ignored' | 'closed';
export function gateRole(report: Report, result: Result): GateRole {
  if (!isOpen(result) || !result.scored) return 'closed';
  if (blockerSet(report).has(result)) return 'blocker';
  return report.verdict === 'NOT_READY' && report.score < report.gate.minScore ? 'score' : 'ignored';
}

/** The run's scope and unused waivers, one plain-text sentence each (reporters escape them for their format). */
export function scopeNotes(report: Report): string[] {
  const { scope } = report;
  const notes: string[] = [];
  if (scope.selection) notes.push(selectionNote(scope.selection));
  for (const u of scope.unused) notes.push(`Declared unused: ${u.service} (${u.checks.join(', ')}): ${u.reason}`);
  for (const o of scope.off) notes.push(`Turned off: ${o.check}: ${o.reason}`);
  for (const n of scope.notAssessed) notes.push(`Not assessed: ${n.checks.join(', ')}: ${n.reason}`);
  for (const w of report.unusedWaivers) {
    notes.push(`Unused waiver: ${w.check}${w.resource ? ` on ${w.resource}` : ''} (until ${w.expires}) matches no open finding: remove it`);
  }
  return notes;
}

/** "Partial assessment: --only aws.rds --skip … — 97 checks left out: a, b, …" (every one named: none is lost). */
function selectionNote(selection: Selection): string {
  const flags = [
    ...(selection.only.length ? [`--only ${selection.only.join(',')}`] : []),
    ...(selection.skip.length ? [`--skip ${selection.skip.join(',')}`] : []),
    ...(selection.sections.length ? [`--section ${selection.sections.join(',')}`] : []),
  ];
  const count = selection.leftOut.length;
  return `Partial assessment: ${flags.join(' ')} left out ${count} ${count === 1 ? 'check' : 'checks'}: ${selection.leftOut.join(', ')}`;
}

/** One line per account or project of a multi-account report: who it is, its score, band, counts, and its sections' scores. */
export interface AccountRow {
  label: string;
  score: string;
  band: Band;
  sections: string;
  counts: Record<Status, number>;
}

export function accountRows(report: Report): AccountRow[] {
  return (report.accounts ?? []).map((account) => ({
    label: `${account.kind === 'aws' ? 'AWS account' : 'Supabase project'} ${account.id}${account.name ? ` (${account.name})` : ''}`,
    score: formatScore(account.score),
    band: account.band,
    sections: account.sections.map((s) => `${s.title} ${s.assessed ? formatScore(s.score) : 'not assessed'}`).join(' · '),
    counts: account.summary,
  }));
}

/** Characters gathered into a piece before it is handed on: its UTF-8 fits the writer's buffer several times over. */
const PIECE_SIZE = 1 << 14;

/**
 * A document's text, line by line, handed on in pieces of about PIECE_SIZE characters: few enough for the writer,
 * small enough to encode straight into its buffer. Each piece is one join of its parts (a string grown with `+=`
 * would be a rope, several times slower to flatten when written).
 */
export class Pieces {
  private finished: string[] = [];
  private parts: string[] = [];
  private size = 0;

  /** A whole line. */
  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= PIECE_SIZE) this.finish();
  }

  lines(texts: readonly string[]): void {
    for (const text of texts) this.line(text);
  }

  /** Part of a line: the line goes on. */
  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= PIECE_SIZE) this.finish();
  }

  /** Whether a piece is finished: asked before taking them (`if (md.anyReady) yield* md.ready()`), which costs less. */
  get anyReady(): boolean {
    return this.finished.length > 0;
  }

  /** The pieces finished since last asked. */
  ready(): string[] {
    const finished = this.finished;
    this.finished = [];
    return finished;
  }

  /** Every piece not handed on yet, the last one as it is. */
  done(): string[] {
    this.finish();
    return this.ready();
  }

  private finish(): void {
    if (this.parts.length) this.finished.push(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

