import type { Report, Result, Status } from '../model.js';
import { commandNote } from '../command-review.js';
import { countStatuses } from '../engine/scoring.js';
import { PLAIN, type Palette, type Style } from './palette.js';
import { accountRows, criticalPath, formatEffort, formatPathEffort, formatPhaseEffort, formatScore, isOpen, resultsBySection, scopeNotes, verdictLabel } from './shared.js';

export interface TerminalOptions {
  /** The colours to print with (see colourPalette); none: plain text. */
  palette?: Palette;
  /** Also list passed and not-applicable results, every finding and every fix command in full (default: what needs attention, compact). */
  verbose?: boolean;
  /** Only the verdict, the blockers and the section scores: the rest is in the files written beside it (`--out`). */
  summary?: boolean;
  /** Wrap lines at this many columns (the terminal's width); none: lines are not wrapped (a pipe, a file, a CI log). */
  width?: number | undefined;
  /** The report files written beside this output, named in the closing summary. */
  reportFiles?: readonly string[];
}

/** Findings listed per check before the rest are counted: a terminal is read, not searched (the files list them all). */
const SHOWN_PER_CHECK = 5;

/** Blockers first, then each section with what is open, then the critical path; the last lines sum it all up, as ESLint's do. */
export function terminalReporter(report: Report, options: TerminalOptions = {}): string {
  const c = options.palette ?? PLAIN;
  const lines: string[] = [];
  const verdictColor = report.verdict === 'READY' ? c.boldGreen : report.band === 'yellow' ? c.boldYellow : c.boldRed;
  const verdict = verdictLabel(report);

  lines.push(c.bold(`readiness — ${report.project}`) + c.dim(`  ${report.generatedAt}${report.source.account ? `  account ${report.source.account}` : ''}  (${report.source.kind})`));
  lines.push('');
  lines.push(`${verdictColor(`${verdict}  ${formatScore(report.score)}`)}  ${c.dim(`gate: ≥ ${report.gate.minScore}% and no open ${report.gate.failOn} finding`)}`);
  lines.push(c.dim(counts(report, ' · ')));
  lines.push('');

  if (report.blockers.length) {
    const byCheck = Map.groupBy(report.blockers, (b) => b.checkId);
    lines.push(c.boldRed(`Blockers (${plural(byCheck.size, 'check')}, ${plural(report.blockers.length, 'finding')})`));
    for (const group of byCheck.values()) {
      const first = group[0]!;
      lines.push(`  ${mark(c, first.status)} ${first.title} ${c.dim(`[${first.checkId}]`)}`);
      for (const b of group.slice(0, SHOWN_PER_CHECK)) lines.push(`      ${c.bold(b.resource)}: ${b.message}`);
      if (group.length > SHOWN_PER_CHECK) lines.push(c.dim(`      … and ${group.length - SHOWN_PER_CHECK} more`));
    }
    lines.push('');
  }
  if (report.notAssessed.length) lines.push(c.yellow(`Not assessed (absent from config): ${report.notAssessed.join(', ')}`), '');
  const notes = scopeNotes(report);
  if (notes.length) lines.push(...notes.map((note) => c.yellow(note)), '');

  const accounts = accountRows(report);
  if (accounts.length) {
    lines.push(c.bold('Accounts and projects'));
    for (const a of accounts) {
      const color = a.band === 'green' ? c.boldGreen : a.band === 'yellow' ? c.boldYellow : c.boldRed;
      lines.push(`  ${color(`${a.label}  ${a.score}`)}${c.dim(`  ${a.counts.pass}✓ ${a.counts.fail}✗ ${a.counts.unverified}?  ${a.sections}`)}`);
    }
    lines.push('');
  }

  const bySection = resultsBySection(report);
  for (const section of report.sections) {
    const color = section.band === 'green' ? c.boldGreen : section.band === 'yellow' ? c.boldYellow : c.boldRed;
    const label = section.assessed ? formatScore(section.score) : 'not assessed';
    lines.push(color(`${section.title}  ${label}`) + c.dim(`  ${section.counts.pass}✓ ${section.counts.fail}✗ ${section.counts.unverified}?`));
    if (options.summary) continue;
    const shown = (bySection.get(section.id) ?? []).filter((r) => options.verbose || isOpen(r) || r.status === 'waived');
    for (const group of Map.groupBy(shown, (r) => r.checkId).values()) lines.push(...checkLines(c, group, options));
    lines.push('');
  }

  if (!options.summary) {
    const informational = report.results.filter((r) => !r.scored);
    if (informational.length) {
      lines.push(c.bold('Information (not scored)'));
      for (const r of informational) lines.push(`  ${mark(c, r.status)} ${r.checkId}: ${r.message}`);
      lines.push('');
    }
    const path = criticalPath(report);
    if (path.length) {
      lines.push(c.bold('Critical path'));
      for (const phase of path) {
        lines.push(`  Phase ${phase.phase} · ${phase.title} · ${formatPhaseEffort(phase)}`);
        for (const step of phase.steps) lines.push(`    - ${step.title} (${step.effortLabel ?? formatEffort(step.effortMinutes)})`);
      }
      lines.push(`  ${c.bold('Effort')}: ${formatPathEffort(path)}`);
      lines.push('');
    }
  }
  lines.push(...closing(c, report, options, verdictColor, verdict));
  return `${lines.map((line) => wrap(line, options.width)).join('\n')}\n`;
}

/** One line per finding (five per check unless verbose), then each distinct fix command of the check once. */
function checkLines(c: Palette, group: readonly Result[], options: TerminalOptions): string[] {
  const lines: string[] = [];
  const listed = options.verbose ? group : group.slice(0, SHOWN_PER_CHECK);
  for (const r of listed) {
    lines.push(`  ${mark(c, r.status)} ${c.dim(r.severity.padEnd(8))} ${r.checkId} ${c.bold(r.resource)}: ${r.message}`);
    if (r.waiver) lines.push(c.dim(`      waiver ${r.waiver.expired ? 'EXPIRED' : 'until'} ${r.waiver.expires} by ${r.waiver.approvedBy}: ${r.waiver.reason}`));
  }
  if (!options.verbose && group.length > SHOWN_PER_CHECK) {
    const rest = countStatuses(group.slice(SHOWN_PER_CHECK));
    const counted = [[rest.fail, 'failing'], [rest.unverified, 'unverified'], [rest.waived, 'waived']].filter(([n]) => n).map(([n, what]) => `${n} ${what}`);
    lines.push(c.dim(`      … and ${group.length - SHOWN_PER_CHECK} more ${group[0]!.checkId} findings (${counted.join(', ')}): see the md, html or json report`));
  }
  const distinct = new Set<string>();
  for (const r of group) if (isOpen(r) && r.remediation.command) distinct.add(r.remediation.command);
  const commands = [...distinct];
  const printed = options.verbose ? commands : commands.slice(0, SHOWN_PER_CHECK);
  for (const command of printed) {
    const note = commandNote(command);
    if (note) lines.push(c.yellow(`      ${note}`));
    lines.push(options.verbose ? c.dim(`      $ ${command}`) : c.dim(cut(`      $ ${command}`, options.width)));
  }
  if (printed.length < commands.length) lines.push(c.dim(`      … and ${plural(commands.length - printed.length, 'more fix command')} (--verbose, or the md report)`));
  return lines;
}

/** The closing lines, last on the screen: verdict, score, counts, blockers, why the exit code is what it is, where the reports went. */
function closing(c: Palette, report: Report, options: TerminalOptions, verdictColor: Style, verdict: string): string[] {
  const blockerChecks = new Set(report.blockers.map((b) => b.checkId)).size;
  const blockers = report.blockers.length ? `${plural(report.blockers.length, 'blocker')} in ${plural(blockerChecks, 'check')}` : 'no blocker';
  const reports = options.reportFiles?.length ? `reports: ${options.reportFiles.join(', ')}` : 'no report file written (--out DIR writes md and json; --format html for the auditor)';
  return [
    c.dim('─'.repeat(Math.min(options.width ?? 60, 60))),
    `${verdictColor(`${report.verdict === 'READY' ? '✓' : '✗'} ${verdict} ${formatScore(report.score)}`)} (${counts(report, ', ')}) · ${blockers}`,
    c.dim(`  exit ${report.exitReason.code}: ${exitReason(report)} · ${reports}`),
  ];
}

function exitReason(report: Report): string {
  const { exitReason: reason, gate } = report;
  if (reason.code === 0) return `ready (score ≥ ${gate.minScore}%, no open ${gate.failOn} finding)`;
  if (reason.code === 3) return `the tool could not see: ${reason.cause ?? 'see the unverified results'}${reason.fix ? ` — fix: ${reason.fix}` : ''}`;
  const why = [...(report.score < gate.minScore ? [`score ${formatScore(report.score)} under ${gate.minScore}%`] : []), ...(report.blockers.length ? [`${plural(report.blockers.length, `open ${gate.failOn}-or-worse finding`)}`] : [])];
  return `not ready${why.length ? ` (${why.join(', ')})` : ''}`;
}

function counts(report: Report, separator: string): string {
  const { pass, fail, unverified, waived, not_applicable } = report.summary;
  return [`${pass} passed`, `${fail} failed`, `${unverified} unverified`, `${waived} waived`, `${not_applicable} n/a`].join(separator);
}

const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string): number => [...text.replace(ANSI, '')].length;

/** Wraps at `width` between words, continuing under the line's indent plus four; a word longer than a line stays whole. */
export function wrap(line: string, width: number | undefined): string {
  if (!width || visibleLength(line) <= width) return line;
  const indent = ' '.repeat(Math.min(/^ */.exec(line.replace(ANSI, ''))![0].length + 4, Math.floor(width / 2)));
  const words = line.trimStart().split(' ');
  const out: string[] = [];
  let current = line.slice(0, line.length - line.trimStart().length);
  let empty = true;
  for (const word of words) {
    if (!empty && visibleLength(current) + 1 + visibleLength(word) > width) {
      out.push(current);
      current = indent + word;
    } else current += (empty ? '' : ' ') + word;
    empty = false;
  }
  out.push(current);
  return out.join('\n');
}

/** One screen line: what does not fit ends in "…" (the full text is one --verbose away). */
function cut(line: string, width: number | undefined): string {
  if (!width || [...line].length <= width) return line;
  return `${[...line].slice(0, width - 1).join('')}…`;
}

function mark(c: Palette, status: Status | Result['status']): string {
  switch (status) {
    case 'pass':
      return c.green('✓');
    case 'fail':
      return c.red('✗');
    case 'unverified':
      return c.yellow('?');
    case 'waived':
      return c.cyan('~');
    default:
      return c.dim('-');
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
