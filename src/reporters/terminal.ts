import { Chalk, type ChalkInstance } from 'chalk';
import type { Report, Result, Status } from '../model.js';
import { countStatuses } from '../engine/scoring.js';
import { criticalPath, formatEffort, formatScore, isOpen, resultsBySection, scopeNotes, accountRows } from './shared.js';

export interface TerminalOptions {
  color?: boolean;
  /** Also list passed and not-applicable results (default: only what needs attention). */
  verbose?: boolean;
  /** Only the verdict, the blockers and the section scores: the rest is in the files written beside it (`--out`). */
  summary?: boolean;
}

/** Findings listed per check before the rest are counted: a terminal is read, not searched (the files list them all). */
const SHOWN_PER_CHECK = 5;

/** Blockers first, then each section with what is open, then the critical path. */
export function terminalReporter(report: Report, options: TerminalOptions = {}): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  const verdictColor = report.verdict === 'READY' ? c.green.bold : report.band === 'yellow' ? c.yellow.bold : c.red.bold;
  const verdict = report.verdict === 'READY' ? 'READY' : 'NOT READY';

  lines.push(c.bold(`readiness — ${report.project}`) + c.dim(`  ${report.generatedAt}${report.source.account ? `  account ${report.source.account}` : ''}  (${report.source.kind})`));
  lines.push('');
  lines.push(`${verdictColor(`${verdict}  ${formatScore(report.score)}`)}  ${c.dim(`gate: ≥ ${report.gate.minScore}% and no open ${report.gate.failOn} finding`)}`);
  lines.push(c.dim(`${report.summary.pass} passed · ${report.summary.fail} failed · ${report.summary.unverified} unverified · ${report.summary.waived} waived · ${report.summary.not_applicable} n/a`));
  lines.push('');

  if (report.blockers.length) {
    const byCheck = Map.groupBy(report.blockers, (b) => b.checkId);
    lines.push(c.red.bold(`Blockers (${plural(byCheck.size, 'check')}, ${plural(report.blockers.length, 'finding')})`));
    for (const group of byCheck.values()) {
      const first = group[0]!;
      lines.push(`  ${mark(c, first.status)} ${first.title} ${c.dim(`[${first.checkId}]`)}`);
      for (const b of group.slice(0, 5)) lines.push(`      ${c.bold(b.resource)}: ${b.message}`);
      if (group.length > 5) lines.push(c.dim(`      … and ${group.length - 5} more`));
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
      const color = a.band === 'green' ? c.green : a.band === 'yellow' ? c.yellow : c.red;
      lines.push(`  ${color.bold(`${a.label}  ${a.score}`)}${c.dim(`  ${a.counts.pass}✓ ${a.counts.fail}✗ ${a.counts.unverified}?  ${a.sections}`)}`);
    }
    lines.push('');
  }

  const bySection = resultsBySection(report);
  for (const section of report.sections) {
    const color = section.band === 'green' ? c.green : section.band === 'yellow' ? c.yellow : c.red;
    const label = section.assessed ? formatScore(section.score) : 'not assessed';
    lines.push(color.bold(`${section.title}  ${label}`) + c.dim(`  ${section.counts.pass}✓ ${section.counts.fail}✗ ${section.counts.unverified}?`));
    if (options.summary) continue;
    const shown = (bySection.get(section.id) ?? []).filter((r) => options.verbose || isOpen(r) || r.status === 'waived');
    for (const group of Map.groupBy(shown, (r) => r.checkId).values()) {
      for (const r of options.verbose ? group : group.slice(0, SHOWN_PER_CHECK)) {
        lines.push(`  ${mark(c, r.status)} ${c.dim(r.severity.padEnd(8))} ${r.checkId} ${c.bold(r.resource)}: ${r.message}`);
        if (isOpen(r) && r.remediation.command) lines.push(c.dim(`      $ ${r.remediation.command}`));
        if (r.waiver) lines.push(c.dim(`      waiver ${r.waiver.expired ? 'EXPIRED' : 'until'} ${r.waiver.expires} by ${r.waiver.approvedBy}: ${r.waiver.reason}`));
      }
      if (!options.verbose && group.length > SHOWN_PER_CHECK) {
        const rest = countStatuses(group.slice(SHOWN_PER_CHECK));
        const counts = [[rest.fail, 'failing'], [rest.unverified, 'unverified'], [rest.waived, 'waived']].filter(([n]) => n).map(([n, what]) => `${n} ${what}`);
        lines.push(c.dim(`      … and ${group.length - SHOWN_PER_CHECK} more ${group[0]!.checkId} findings (${counts.join(', ')}): see the md, html or json report`));
      }
    }
    lines.push('');
  }
  if (options.summary) {
    const open = report.summary.fail + report.summary.unverified;
    lines.push('', c.dim(`${plural(open, 'open finding')} in ${plural(new Set(report.results.filter(isOpen).map((r) => r.checkId)).size, 'check')}: every finding, its evidence and its fix are in the reports.`), '');
    return lines.join('\n');
  }

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
      lines.push(`  Phase ${phase.phase} · ${phase.title} · ${formatEffort(phase.effortMinutes)}`);
      for (const step of phase.steps) lines.push(`    - ${step.title} (${step.effortLabel ?? formatEffort(step.effortMinutes)})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function mark(c: ChalkInstance, status: Status | Result['status']): string {
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
